import type { EntityManager } from "@mikro-orm/postgresql";
import { escapeLiteral, type ClientBase, type QueryResult } from "pg";
import { CommitSnapshot } from "../database/commit-snapshot.js";
import { insertInto } from "../database/entity-insert.js";
import { Parameters, query, type Queryable } from "../database/query.js";
import { traceparentOf } from "../tracing.js";
import { OutboxEventSchema } from "./entities/outbox-event.js";
import type { OutboxEvent } from "./outbox-event.js";

/** A transaction that writes events notifies this channel (NOTIFY_RELAYS_SQL) so the relays wake right after commit. */
export const OUTBOX_CHANNEL = "orderspine_outbox";

/**
 * Wakes the relays on every replica once the transaction commits (NOTIFY is delivered on commit only). The payload
 * is the transaction's id, so a relay whose last claim already saw this commit is not woken for an empty round.
 */
export const NOTIFY_RELAYS_SQL = `select pg_notify('${OUTBOX_CHANNEL}', pg_current_xact_id()::text)`;

/** An `outbox_events` row as a change writes it, in the change's own transaction. */
export interface NewOutboxEventRow {
  id: string;
  tenantId: string;
  aggregateType: string;
  aggregateId: string;
  aggregateSequence: number;
  eventType: string;
  subject: string;
  payload: Uint8Array;
  occurredAt: Date;
  /** The W3C trace context of the call that writes it; when not given, the active span's (null without one). */
  traceparent?: string | null;
}

/**
 * The one statement that writes outbox rows (due at once: next_attempt_at is its occurrence, never published,
 * no attempts yet), generated from the OutboxEvent entity, for a statement of the caller's: CreateOrder's single
 * insert statement takes it as a CTE (with the events of every order of a batch).
 */
export function outboxEventInsert(em: EntityManager, params: Parameters, events: readonly NewOutboxEventRow[]): string {
  return insertInto(
    em,
    OutboxEventSchema,
    events.map((event) => ({
      ...event,
      traceparent: event.traceparent === undefined ? traceparentOf() : event.traceparent,
      nextAttemptAt: event.occurredAt,
      publishedAt: null,
      lastError: null,
    })),
    params,
  );
}

/**
 * Writes an outbox row and wakes the relays after commit, in the transaction the EntityManager holds (a unit of
 * work's, see query.ts): the event exists exactly when the change does. Nothing is published here.
 */
export async function writeOutboxEvent(em: EntityManager, event: NewOutboxEventRow): Promise<void> {
  const params = new Parameters();
  await query(em, `with new_event as (${outboxEventInsert(em, params, [event])}) ${NOTIFY_RELAYS_SQL}`, params.values);
}

/**
 * writeOutboxEvent for many events in one statement (a catalog import writes up to 1,000), the rows
 * passed as arrays through unnest().
 */
export async function writeOutboxEvents(db: Queryable, events: readonly NewOutboxEventRow[]): Promise<void> {
  if (events.length === 0) return;
  await query(
    db,
    `with new_events as (
       insert into outbox_events (id, tenant_id, aggregate_type, aggregate_id, aggregate_sequence, event_type, subject, payload, occurred_at, next_attempt_at, traceparent)
       select e.id, e.tenant_id, e.aggregate_type, e.aggregate_id, e.aggregate_sequence, e.event_type, e.subject, e.payload, e.occurred_at, e.occurred_at, e.traceparent
         from unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::integer[], $6::text[], $7::text[], $8::bytea[], $9::timestamptz[], $10::text[])
              as e(id, tenant_id, aggregate_type, aggregate_id, aggregate_sequence, event_type, subject, payload, occurred_at, traceparent)
     ) ${NOTIFY_RELAYS_SQL}`,
    [
      events.map((e) => e.id),
      events.map((e) => e.tenantId),
      events.map((e) => e.aggregateType),
      events.map((e) => e.aggregateId),
      events.map((e) => e.aggregateSequence),
      events.map((e) => e.eventType),
      events.map((e) => e.subject),
      events.map((e) => Buffer.from(e.payload)),
      events.map((e) => e.occurredAt),
      events.map((e) => (e.traceparent === undefined ? traceparentOf() : e.traceparent)),
    ],
  );
}

interface OutboxRow {
  id: string;
  tenant_id: string;
  aggregate_id: string;
  aggregate_sequence: number | null;
  event_type: string;
  subject: string;
  payload: Buffer;
  occurred_at: Date;
  attempts: number;
  traceparent: string | null;
}

/**
 * The due events, longest due first (a new event is due when it occurs). The order is the key of the partial index
 * `outbox_events_unpublished_index (next_attempt_at, occurred_at) where published_at is null`, so PostgreSQL walks
 * the index and stops after `limit` rows. It matters: every published event leaves a dead entry in that index until
 * vacuum, and only an index scan marks those entries dead as it passes them; ordered any other way the query sorted
 * the result of a bitmap scan, which visits every dead entry each time, and the claim slowed from 0.2 ms to 18 ms
 * after 50,000 events (the soak's event lag grew from 100 to 380 ms).
 */
export const CLAIM_DUE_EVENTS_SQL = claimDueEventsSql("$1");

/** The claim with its limit as `$1` or as an integer literal (in a round trip of several statements). */
function claimDueEventsSql(limit: string): string {
  return `select id, tenant_id, aggregate_id, aggregate_sequence, event_type, subject, payload, occurred_at, attempts,
         traceparent
    from outbox_events
   where published_at is null and next_attempt_at <= now()
   order by next_attempt_at, occurred_at
   limit ${limit}
     for update skip locked`;
}

/**
 * Locks up to `limit` events that are due. Must run inside a transaction that stays open until the results are
 * recorded: the row locks are what keep other relay replicas off these rows, and SKIP LOCKED lets them take the next
 * rows instead of waiting.
 */
export async function claimDueEvents(tx: Queryable, limit: number): Promise<OutboxEvent[]> {
  const { rows } = await query<OutboxRow>(tx, CLAIM_DUE_EVENTS_SQL, [limit]);
  return rows.map(outboxEvent);
}

/** What a claim took, and the snapshot of a statement just before it: the commits the claim saw at least. */
export interface Claim {
  readonly events: OutboxEvent[];
  readonly snapshot: CommitSnapshot;
}

/**
 * Opens the claim's transaction and locks up to `limit` due events (as claimDueEvents) in ONE round trip: the
 * statements go together in one simple-protocol message, so the limit is a literal. The caller ends the
 * transaction (recordAndCommit, or a rollback). The snapshot comes from a statement run just before the claim,
 * which in READ COMMITTED sees no more than the claim's own: a commit it shows was seen by the claim.
 */
export async function beginAndClaim(tx: ClientBase, limit: number): Promise<Claim> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`claim limit must be a positive integer: ${limit}`);
  const results = (await tx.query(
    `begin; select pg_current_snapshot()::text as snapshot; ${claimDueEventsSql(String(limit))}`,
  )) as unknown as [QueryResult, QueryResult<{ snapshot: string }>, QueryResult<OutboxRow>];
  const text = results[1].rows[0]?.snapshot ?? "";
  const snapshot = CommitSnapshot.parse(text);
  if (snapshot === undefined) throw new Error(`unexpected snapshot from PostgreSQL: ${text}`);
  return { events: results[2].rows.map(outboxEvent), snapshot };
}

/**
 * Records a claimed batch's outcomes and commits, releasing the rows: the failures (rare) as markFailed does, then
 * the published events and the commit in one round trip (one message, so their ids are inlined as a quoted array
 * literal; they are the uuids the claim read).
 */
export async function recordAndCommit(
  tx: ClientBase,
  publishedIds: readonly string[],
  failures: readonly FailedPublish[],
): Promise<void> {
  await markFailed(tx, failures);
  const published =
    publishedIds.length === 0
      ? ""
      : `${MARK_PUBLISHED_SQL.replace("$1", escapeLiteral(`{${publishedIds.join(",")}}`))}; `;
  await tx.query(`${published}commit`);
}

function outboxEvent(row: OutboxRow): OutboxEvent {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    aggregateId: row.aggregate_id,
    aggregateSequence: row.aggregate_sequence,
    eventType: row.event_type,
    subject: row.subject,
    payload: row.payload,
    occurredAt: row.occurred_at,
    attempts: row.attempts,
    traceparent: row.traceparent,
  };
}

const MARK_PUBLISHED_SQL = `update outbox_events set published_at = now() where id = any($1::uuid[])`;

export async function markPublished(tx: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await query(tx, MARK_PUBLISHED_SQL, [ids]);
}

export interface FailedPublish {
  readonly id: string;
  readonly retryInMs: number;
  /** Stored in last_error for operators; must not contain secrets. */
  readonly error: string;
}

export async function markFailed(tx: Queryable, failures: readonly FailedPublish[]): Promise<void> {
  if (failures.length === 0) return;
  // clock_timestamp(), not now(): the transaction started before the publishes, which may have waited for a
  // timeout, and the delay counts from the failure.
  await query(
    tx,
    `update outbox_events as o
        set attempts = o.attempts + 1,
            next_attempt_at = clock_timestamp() + f.retry_in_ms * interval '1 millisecond',
            last_error = f.error
       from unnest($1::uuid[], $2::integer[], $3::text[]) as f(id, retry_in_ms, error)
      where o.id = f.id`,
    [failures.map((f) => f.id), failures.map((f) => f.retryInMs), failures.map((f) => f.error)],
  );
}

/** Events not yet published, optionally of one tenant. */
export async function countPending(db: Queryable, tenantId?: string): Promise<number> {
  const { rows } = await query<{ pending: number }>(
    db,
    `select count(*)::integer as pending
       from outbox_events
      where published_at is null and ($1::uuid is null or tenant_id = $1::uuid)`,
    [tenantId ?? null],
  );
  return rows[0]?.pending ?? 0;
}

/**
 * Every tenant's unpublished events and the age of the oldest, for /metrics: both from the partial index of
 * unpublished rows (outbox_events_unpublished_index), so the cost follows the backlog, not the table.
 */
export async function countBacklog(db: Queryable): Promise<{ backlog: number; oldestAgeSeconds: number }> {
  const { rows } = await query<{ backlog: number; oldest_age_seconds: number }>(
    db,
    `select count(*)::integer as backlog,
            coalesce(extract(epoch from clock_timestamp() - min(occurred_at)), 0)::float8 as oldest_age_seconds
       from outbox_events
      where published_at is null`,
  );
  return { backlog: rows[0]?.backlog ?? 0, oldestAgeSeconds: Math.max(0, rows[0]?.oldest_age_seconds ?? 0) };
}
