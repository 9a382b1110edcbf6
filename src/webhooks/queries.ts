import type { EntityManager } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import { Parameters, query, type Queryable } from "../platform/database/query.js";
import { CURSOR_TIME_SQL } from "../platform/pagination/page-request.js";
import type { PageCursor } from "../platform/pagination/page-token.js";
import type { WebhookDeliveryStatusName } from "./entities/webhook-delivery.js";
import type { WebhookAttemptView, WebhookDeliveryView, WebhookEndpointView } from "./webhook-mapper.js";

// Every SQL statement of webhooks. Times are selected as RFC 3339 text with microseconds (as gift cards do), so
// they read the same through MikroORM's connection and a `pg` pool; the delivery worker passes its own clock's
// time ($now) to every statement, so a test can run it at any time.

function timeText(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

function dateOf(text: string | null): Date | null {
  return text === null ? null : new Date(text);
}

const ENDPOINT_COLUMNS = `id, is_test as "isTest", url, description, event_types as "eventTypes", enabled,
  ${timeText("previous_secret_expires_at")} as "previousSecretExpiresAt", ${timeText("failing_since")} as "failingSince",
  ${timeText("auto_disabled_at")} as "autoDisabledAt", version,
  ${timeText("created_at")} as "createdAt", ${timeText("updated_at")} as "updatedAt"`;

type Times<View, Keys extends keyof View> = Omit<View, Keys> & Record<Keys, string | null>;
type EndpointRow = Times<
  WebhookEndpointView,
  "previousSecretExpiresAt" | "failingSince" | "autoDisabledAt" | "createdAt" | "updatedAt"
>;

function endpointView(row: EndpointRow): WebhookEndpointView {
  return {
    ...row,
    previousSecretExpiresAt: dateOf(row.previousSecretExpiresAt),
    failingSince: dateOf(row.failingSince),
    autoDisabledAt: dateOf(row.autoDisabledAt),
    createdAt: new Date(row.createdAt ?? ""),
    updatedAt: new Date(row.updatedAt ?? ""),
  };
}

/** One page of a tenant's endpoints of one mode, oldest first, after `after`; `limit` rows at most. */
export async function selectEndpointPage(
  em: EntityManager,
  tenantId: string,
  isTest: boolean,
  after: PageCursor | undefined,
  limit: number,
): Promise<(WebhookEndpointView & { cursorTime: string })[]> {
  const params = new Parameters();
  const where = [`tenant_id = ${params.bind(tenantId)}`, `is_test = ${params.bind(isTest)}`];
  if (after) {
    where.push(`(created_at, id) > (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`);
  }
  const { rows } = await query<EndpointRow & { cursorTime: string }>(
    em,
    `select ${ENDPOINT_COLUMNS}, ${CURSOR_TIME_SQL} as "cursorTime" from webhook_endpoints
      where ${where.join(" and ")} order by created_at, id limit ${Math.trunc(limit)}`,
    params.values,
  );
  return rows.map((row) => ({ ...endpointView(row), cursorTime: row.cursorTime }));
}

/** One endpoint of the tenant and mode, without its secrets; undefined when there is none. */
export async function selectEndpoint(
  db: Queryable,
  tenantId: string,
  isTest: boolean,
  id: string,
): Promise<WebhookEndpointView | undefined> {
  const { rows } = await query<EndpointRow>(
    db,
    `select ${ENDPOINT_COLUMNS} from webhook_endpoints where tenant_id = $1 and is_test = $2 and id = $3`,
    [tenantId, isTest, id],
  );
  const row = rows[0];
  return row && endpointView(row);
}

/** An enabled endpoint an event may be queued for (the dispatcher matches types, modes and times in rules). */
export interface SubscribedEndpoint {
  id: string;
  tenantId: string;
  isTest: boolean;
  eventTypes: string[];
  createdAt: Date;
}

/** Every enabled endpoint of the given tenants (one statement for a batch of events). */
export async function selectEnabledEndpoints(
  db: Queryable,
  tenantIds: readonly string[],
): Promise<SubscribedEndpoint[]> {
  const { rows } = await query<Omit<SubscribedEndpoint, "createdAt"> & { createdAt: string }>(
    db,
    `select id, tenant_id as "tenantId", is_test as "isTest", event_types as "eventTypes",
            ${timeText("created_at")} as "createdAt"
       from webhook_endpoints where tenant_id = any($1::uuid[]) and enabled`,
    [[...tenantIds]],
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

/** A delivery to queue: the event for the endpoint, with the body every attempt sends. */
export interface NewDelivery {
  tenantId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  isTestEvent: boolean;
  eventTime: Date;
  body: string;
  /** The trace the delivery continues (the published message's traceparent, docs/tracing.md); null for none. */
  traceparent: string | null;
}

/**
 * Queues deliveries, due at `now`, in one statement; one already queued for the same endpoint and event is
 * left as it is (ON CONFLICT DO NOTHING), so reading an event again queues nothing. Returns the ids of the
 * rows inserted, in the order of `deliveries` that were new.
 */
export async function insertDeliveries(
  db: Queryable,
  deliveries: readonly NewDelivery[],
  now: Date,
): Promise<{ id: string; endpointId: string; eventId: string }[]> {
  if (deliveries.length === 0) return [];
  const { rows } = await query<{ id: string; endpointId: string; eventId: string }>(
    db,
    `insert into webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, is_test_event, event_time, body,
                                     traceparent, status, attempt_count, next_attempt_at, created_at, updated_at)
     select id, tenant_id, endpoint_id, event_id, event_type, is_test_event, event_time, body, traceparent, 'pending', 0,
            $9, $9, $9
       from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::boolean[], $7::timestamptz[], $8::text[],
                   $10::text[])
         as d (id, tenant_id, endpoint_id, event_id, event_type, is_test_event, event_time, body, traceparent)
     on conflict (endpoint_id, event_id) do nothing
     returning id, endpoint_id as "endpointId", event_id as "eventId"`,
    [
      deliveries.map(() => randomUUID()),
      deliveries.map((d) => d.tenantId),
      deliveries.map((d) => d.endpointId),
      deliveries.map((d) => d.eventId),
      deliveries.map((d) => d.eventType),
      deliveries.map((d) => d.isTestEvent),
      deliveries.map((d) => d.eventTime),
      deliveries.map((d) => d.body),
      now,
      deliveries.map((d) => d.traceparent),
    ],
  );
  return rows;
}

/** A delivery the worker claimed, with what one attempt needs of its endpoint. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  body: string;
  /** The trace the attempt continues (docs/tracing.md); null for none. */
  traceparent: string | null;
  attemptNumber: number;
  createdAt: Date;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints (pending, `next_attempt_at` passed, no lease
 * running) and leases them until `leaseUntil`, oldest due first, at most `perEndpoint` minus what this
 * replica already has in flight (`busy`) per endpoint, so one slow endpoint never takes every slot. Rows
 * another replica holds locked are skipped (FOR UPDATE SKIP LOCKED); the lease keeps them from being
 * claimed again once that transaction commits.
 */
export async function claimDueDeliveries(
  db: Queryable,
  options: {
    now: Date;
    leaseUntil: Date;
    limit: number;
    perEndpoint: number;
    busy: ReadonlyMap<string, number>;
  },
): Promise<ClaimedDelivery[]> {
  const { rows } = await query<
    Omit<ClaimedDelivery, "createdAt" | "previousSecretExpiresAt"> & {
      createdAt: string;
      previousSecretExpiresAt: string | null;
    }
  >(
    db,
    `with busy (endpoint_id, in_flight) as (select * from unnest($5::uuid[], $6::int[])),
     due as (
       select id, endpoint_id, row_number() over (partition by endpoint_id order by next_attempt_at, id) as position,
              next_attempt_at
         from webhook_deliveries
        where status = 'pending' and next_attempt_at <= $1 and (lease_until is null or lease_until <= $1)),
     wanted as (
       select due.id from due
         join webhook_endpoints e on e.id = due.endpoint_id and e.enabled
         left join busy on busy.endpoint_id = due.endpoint_id
        where due.position <= $4 - coalesce(busy.in_flight, 0)
        order by due.next_attempt_at, due.id limit $3),
     locked as (
       select d.id from webhook_deliveries d join wanted on wanted.id = d.id
        where d.status = 'pending' and (d.lease_until is null or d.lease_until <= $1)
          for update of d skip locked)
     update webhook_deliveries d set lease_until = $2
       from locked, webhook_endpoints e
      where d.id = locked.id and e.id = d.endpoint_id
     returning d.id, d.endpoint_id as "endpointId", d.event_id as "eventId", d.event_type as "eventType", d.body,
               d.traceparent, d.attempt_count + 1 as "attemptNumber",
               ${timeText("d.created_at")} as "createdAt", e.url, e.secret, e.previous_secret as "previousSecret",
               ${timeText("e.previous_secret_expires_at")} as "previousSecretExpiresAt"`,
    [
      options.now,
      options.leaseUntil,
      Math.trunc(options.limit),
      Math.trunc(options.perEndpoint),
      [...options.busy.keys()],
      [...options.busy.values()],
    ],
  );
  return rows.map((row) => ({
    ...row,
    createdAt: new Date(row.createdAt),
    previousSecretExpiresAt: dateOf(row.previousSecretExpiresAt),
  }));
}

/** What one attempt found, and what follows for its delivery. */
export interface AttemptRecord {
  deliveryId: string;
  attemptNumber: number;
  attemptedAt: Date;
  durationMs: number;
  responseCode: number;
  succeeded: boolean;
  error: string;
  responseBody: string;
  /** The delivery's status after the attempt. */
  status: WebhookDeliveryStatusName;
  /** When to try again while pending; null otherwise. */
  nextAttemptAt: Date | null;
  /** A failure makes an endpoint failing since `failingSince` or earlier be disabled. */
  disableFailingSince: Date;
  now: Date;
}

/**
 * Records an attempt in one statement: the attempt row, the delivery's new state (lease released), and the
 * endpoint's: a success clears failing_since; a failure sets it if unset and, when the endpoint has been failing
 * since `disableFailingSince` or earlier, disables it (auto_disabled_at, a new version) and gives up its pending
 * deliveries, this one included. The endpoint's row is locked first, so two attempts recorded at once see each
 * other's failing_since. Nothing happens when the delivery is gone (its endpoint was deleted) or another replica
 * already recorded this attempt (the lease ran out meanwhile). Returns whether this attempt disabled the endpoint.
 */
export async function recordAttempt(db: Queryable, record: AttemptRecord): Promise<{ disabled: boolean }> {
  const { rows } = await query<{ disabled: boolean }>(
    db,
    `with target as (
       select d.id, d.endpoint_id, (not $7::boolean and e.enabled and coalesce(e.failing_since, $4) <= $12) as disables
         from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
        where d.id = $2 and d.attempt_count = $3 - 1 and d.status = 'pending'
          for update of e),
     attempt as (
       insert into webhook_delivery_attempts
         (id, delivery_id, attempt_number, attempted_at, duration_ms, response_code, succeeded, error, response_body)
       select $1, target.id, $3, $4, $5, $6, $7, $8, $9 from target
       on conflict (delivery_id, attempt_number) do nothing
       returning delivery_id),
     delivery as (
       update webhook_deliveries d
          set attempt_count = $3, lease_until = null, updated_at = $13,
              status = case when target.disables then 'failed' else $10 end,
              next_attempt_at = case when target.disables then null else $11::timestamptz end
         from target join attempt on attempt.delivery_id = target.id
        where d.id = target.id
       returning d.endpoint_id),
     endpoint as (
       update webhook_endpoints e
          set failing_since = case when $7 then null else coalesce(e.failing_since, $4) end,
              enabled = e.enabled and not target.disables,
              auto_disabled_at = case when target.disables then $13 else e.auto_disabled_at end,
              version = e.version + case when target.disables then 1 else 0 end,
              updated_at = case when target.disables then $13 else e.updated_at end
         from target join delivery on delivery.endpoint_id = target.endpoint_id
        where e.id = target.endpoint_id
       returning e.id, target.disables as disabled),
     given_up as (
       update webhook_deliveries d set status = 'failed', next_attempt_at = null, updated_at = $13
         from endpoint where endpoint.disabled and d.endpoint_id = endpoint.id and d.status = 'pending' and d.id <> $2)
     select disabled from endpoint`,
    [
      randomUUID(),
      record.deliveryId,
      record.attemptNumber,
      record.attemptedAt,
      Math.round(record.durationMs),
      record.responseCode,
      record.succeeded,
      record.error,
      record.responseBody,
      record.status,
      record.nextAttemptAt,
      record.disableFailingSince,
      record.now,
    ],
  );
  return { disabled: rows[0]?.disabled === true };
}

const DELIVERY_COLUMNS = `d.id, d.endpoint_id as "endpointId", d.event_id as "eventId", d.event_type as "eventType",
  d.is_test_event as "isTestEvent", ${timeText("d.event_time")} as "eventTime", d.status, d.attempt_count as "attemptCount",
  ${timeText("d.next_attempt_at")} as "nextAttemptAt", ${timeText("d.created_at")} as "createdAt",
  ${timeText("d.updated_at")} as "updatedAt"`;

const ATTEMPTS_JSON = `coalesce((select json_agg(json_build_object(
    'attemptNumber', a.attempt_number, 'attemptedAt', ${timeText("a.attempted_at")}, 'durationMs', a.duration_ms,
    'responseCode', a.response_code, 'succeeded', a.succeeded, 'error', a.error, 'responseBody', a.response_body)
    order by a.attempt_number) from webhook_delivery_attempts a where a.delivery_id = d.id), '[]')`;

type DeliveryRow = Times<
  WebhookDeliveryView,
  "eventTime" | "nextAttemptAt" | "createdAt" | "updatedAt" | "attempts"
> & {
  attempts: (Omit<WebhookAttemptView, "attemptedAt"> & { attemptedAt: string })[];
};

function deliveryView(row: DeliveryRow): WebhookDeliveryView {
  return {
    ...row,
    eventTime: new Date(row.eventTime ?? ""),
    nextAttemptAt: dateOf(row.nextAttemptAt),
    createdAt: new Date(row.createdAt ?? ""),
    updatedAt: new Date(row.updatedAt ?? ""),
    attempts: row.attempts.map((attempt) => ({ ...attempt, attemptedAt: new Date(attempt.attemptedAt) })),
  };
}

/** One delivery with its attempts; undefined when there is none. */
export async function selectDelivery(db: Queryable, id: string): Promise<WebhookDeliveryView | undefined> {
  const { rows } = await query<DeliveryRow>(
    db,
    `select ${DELIVERY_COLUMNS}, ${ATTEMPTS_JSON} as attempts from webhook_deliveries d where d.id = $1`,
    [id],
  );
  const row = rows[0];
  return row && deliveryView(row);
}

/** One page of an endpoint's deliveries, newest first, after `after`, optionally of one status or event. */
export async function selectDeliveryPage(
  em: EntityManager,
  endpointId: string,
  filters: { status: WebhookDeliveryStatusName | undefined; eventId: string },
  after: PageCursor | undefined,
  limit: number,
): Promise<(WebhookDeliveryView & { cursorTime: string })[]> {
  const params = new Parameters();
  const where = [`d.endpoint_id = ${params.bind(endpointId)}`];
  if (filters.status !== undefined) where.push(`d.status = ${params.bind(filters.status)}`);
  if (filters.eventId !== "") where.push(`d.event_id = ${params.bind(filters.eventId)}::uuid`);
  if (after) {
    where.push(
      `(d.created_at, d.id) < (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`,
    );
  }
  const { rows } = await query<DeliveryRow & { cursorTime: string }>(
    em,
    `select ${DELIVERY_COLUMNS}, ${ATTEMPTS_JSON} as attempts,
            to_char(d.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "cursorTime"
       from webhook_deliveries d where ${where.join(" and ")}
      order by d.created_at desc, d.id desc limit ${Math.trunc(limit)}`,
    params.values,
  );
  return rows.map((row) => ({ ...deliveryView(row), cursorTime: row.cursorTime }));
}

/**
 * Deletes deliveries that finished (succeeded or failed) before `before`, with their attempts, at most
 * `batchSize` per statement and until none is left; returns how many. Pending deliveries are never touched.
 */
export async function purgeFinishedDeliveries(db: Queryable, before: Date, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await query(
      db,
      `delete from webhook_deliveries where id in (
         select id from webhook_deliveries where status <> 'pending' and updated_at < $1 limit ${Math.trunc(batchSize)})`,
      [before],
    );
    total += rowCount;
    if (rowCount < batchSize) return total;
  }
}

/** Every tenant's pending deliveries, due now or scheduled later, for /metrics (from the partial index of pending rows). */
export async function countPendingDeliveries(db: Queryable): Promise<{ due: number; scheduled: number }> {
  const { rows } = await query<{ due: number; scheduled: number }>(
    db,
    `select count(*) filter (where next_attempt_at <= now())::integer as due,
            count(*) filter (where next_attempt_at > now())::integer as scheduled
       from webhook_deliveries
      where status = 'pending'`,
  );
  return { due: rows[0]?.due ?? 0, scheduled: rows[0]?.scheduled ?? 0 };
}

/** An endpoint as an operator lists it (the admin CLI): never its secret. */
export interface EndpointFailureState {
  id: string;
  tenantId: string;
  isTest: boolean;
  url: string;
  enabled: boolean;
  /** The first failed attempt since the last success; null while it succeeds. */
  failingSince: string | null;
  /** When the delivery worker disabled it after failing for days; null unless it did. */
  autoDisabledAt: string | null;
  /** Deliveries to it still pending (due now or retried later). */
  pendingDeliveries: number;
}

/** Every endpoint, or one tenant's, oldest first, with its failure state. */
export async function selectEndpointFailureStates(db: Queryable, tenantId?: string): Promise<EndpointFailureState[]> {
  const { rows } = await query<EndpointFailureState>(
    db,
    `select e.id, e.tenant_id as "tenantId", e.is_test as "isTest", e.url, e.enabled,
            to_json(e.failing_since)#>>'{}' as "failingSince", to_json(e.auto_disabled_at)#>>'{}' as "autoDisabledAt",
            (select count(*)::integer from webhook_deliveries d where d.endpoint_id = e.id and d.status = 'pending')
              as "pendingDeliveries"
       from webhook_endpoints e
      where $1::uuid is null or e.tenant_id = $1::uuid
      order by e.created_at, e.id`,
    [tenantId ?? null],
  );
  return rows;
}

/**
 * Enables an endpoint and clears its failure state, as UpdateWebhookEndpoint with enabled = true does (a new
 * version, so etags change); false when no endpoint has that id.
 */
export async function reenableEndpoint(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await query(
    db,
    `update webhook_endpoints
        set enabled = true, failing_since = null, auto_disabled_at = null, version = version + 1, updated_at = now()
      where id = $1`,
    [id],
  );
  return rowCount > 0;
}
