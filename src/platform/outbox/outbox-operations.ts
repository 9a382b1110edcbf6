import { query, type Queryable } from "../database/query.js";
import { NOTIFY_RELAYS_SQL } from "./outbox-store.js";

/**
 * What an operator sees of the outbox and does to it (the admin CLI's `outbox` commands). The relay retries an
 * event that failed to publish for ever, each time later (retry-delay.ts): a "failed" event is one not yet
 * published that has failed at least once, and re-driving makes it due now and wakes the relays.
 */
export interface FailedEvent {
  id: string;
  tenantId: string;
  eventType: string;
  subject: string;
  occurredAt: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
}

/** The oldest failed events first, at most `limit`. */
export async function selectFailedEvents(db: Queryable, limit: number): Promise<FailedEvent[]> {
  const { rows } = await query<FailedEvent>(
    db,
    `select id, tenant_id as "tenantId", event_type as "eventType", subject,
            to_json(occurred_at)#>>'{}' as "occurredAt", attempts,
            to_json(next_attempt_at)#>>'{}' as "nextAttemptAt", last_error as "lastError"
       from outbox_events
      where published_at is null and attempts > 0
      order by occurred_at, id
      limit $1`,
    [limit],
  );
  return rows;
}

/** Every failed event, or the one `eventId` names (if it failed), made due now; the relays are woken. */
export async function redriveFailedEvents(db: Queryable, eventId?: string): Promise<string[]> {
  const { rows } = await query<{ id: string }>(
    db,
    `with redriven as (
       update outbox_events set next_attempt_at = now()
        where published_at is null and attempts > 0 and ($1::uuid is null or id = $1::uuid)
        returning id
     ), wake as (${NOTIFY_RELAYS_SQL} where exists (select from redriven))
     select id from redriven, (select count(*) from wake) as woken order by id`,
    [eventId ?? null],
  );
  return rows.map((row) => row.id);
}
