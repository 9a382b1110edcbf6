import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";

const SERVER_URL = process.env.ORDERSPINE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

// The outbox table as SCHEMA.md defines it, for databases private to one test: tests that stop servers or point a
// relay at their own NATS must not claim, or have claimed, rows of other test files.
const OUTBOX_DDL = `
  create table outbox_events (
    id uuid primary key,
    tenant_id uuid not null,
    aggregate_type text not null,
    aggregate_id uuid not null,
    event_type text not null,
    subject text not null,
    payload bytea not null,
    occurred_at timestamptz not null,
    published_at timestamptz null,
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error text null);
  create index on outbox_events (next_attempt_at, occurred_at) where published_at is null;`;

export interface TestDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
  /** Terminates every session on the database and drops it. */
  drop(): Promise<void>;
}

/** A fresh database of its own; with the outbox table unless `withOutbox` is false. */
export async function createTestDatabase(withOutbox = true): Promise<TestDatabase> {
  const name = `orderspine_events_${randomBytes(6).toString("hex")}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  if (withOutbox) await pool.query(OUTBOX_DDL);
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

export async function createOutboxTable(pool: pg.Pool): Promise<void> {
  await pool.query(OUTBOX_DDL);
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface InsertedEvent {
  readonly id: string;
  readonly tenantId: string;
  readonly orderId: string;
  readonly subject: string;
  readonly payload: Buffer;
  readonly occurredAt: Date;
}

/**
 * Inserts `count` order.created events of `tenantId` the way the order transaction does, including the
 * pg_notify that wakes the relay on commit (unless `notify` is false).
 */
export async function insertOrderEvents(
  pool: pg.Pool,
  tenantId: string,
  count: number,
  notify = true,
): Promise<InsertedEvent[]> {
  const events: InsertedEvent[] = Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    tenantId,
    orderId: randomUUID(),
    subject: `orders.${tenantId}.created`,
    // bytes that would break any text round trip: NUL, high bytes, invalid UTF-8
    payload: Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x80, index % 256]), randomBytes(32)]),
    occurredAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 0, index)),
  }));
  const client = await pool.connect();
  try {
    await client.query("begin");
    for (const event of events) {
      await client.query(
        `insert into outbox_events (id, tenant_id, aggregate_type, aggregate_id, event_type, subject, payload,
                                    occurred_at)
         values ($1, $2, 'order', $3, 'order.created', $4, $5, $6)`,
        [event.id, event.tenantId, event.orderId, event.subject, event.payload, event.occurredAt],
      );
    }
    if (notify) await client.query(`select pg_notify('orderspine_outbox', '')`);
    await client.query("commit");
  } catch (err) {
    await client.query("rollback");
    throw err;
  } finally {
    client.release();
  }
  return events;
}

export interface OutboxState {
  readonly id: string;
  readonly published: boolean;
  readonly attempts: number;
  readonly lastError: string | null;
}

export async function outboxState(pool: pg.Pool, tenantId: string): Promise<OutboxState[]> {
  const { rows } = await pool.query<{ id: string; published: boolean; attempts: number; last_error: string | null }>(
    `select id, published_at is not null as published, attempts, last_error
       from outbox_events where tenant_id = $1 order by occurred_at`,
    [tenantId],
  );
  return rows.map((row) => ({ id: row.id, published: row.published, attempts: row.attempts, lastError: row.last_error }));
}
