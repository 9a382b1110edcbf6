import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { NOTIFY_RELAYS_SQL } from "../../../../src/platform/outbox/outbox-store.js";
import { createScratchDatabase as createDatabase } from "../../../support/scratch-database.js";

export interface TestDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
  /** Closes the pool; a scratch database is dropped as well. */
  close(): Promise<void>;
}

/** The run's migrated database, shared with the other test files: work only on tenants of your own. */
export function openSharedDatabase(): TestDatabase {
  const url = inject("databaseUrl");
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  return { url, pool, close: () => pool.end() };
}

export interface ScratchDatabase extends TestDatabase {
  /** Applies the project's migrations, which creates outbox_events. */
  migrate(): Promise<void>;
}

/**
 * An empty database of its own on the same server, for tests whose relay must not touch other test files' rows
 * (it is pointed at a NATS that is down) or that break the database on purpose. `migrate()` gives it the schema.
 */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const database = await createDatabase(inject("databaseUrl"), "orderspine_events");
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  // pool.end() resolves before its idle clients have closed, and the drop below ends them (57P01):
  // an error of a client being closed is expected then, not a failure of the test.
  pool.on("error", () => undefined);
  return {
    url: database.url,
    pool,
    migrate: () => database.migrate(),
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
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
    if (notify) await client.query(NOTIFY_RELAYS_SQL);
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
  return rows.map((row) => ({
    id: row.id,
    published: row.published,
    attempts: row.attempts,
    lastError: row.last_error,
  }));
}
