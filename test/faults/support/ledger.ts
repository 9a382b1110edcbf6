import pg from "pg";
import { waitFor } from "../../support/wait-for.js";
import type { CallOutcome } from "./load.js";

/** One committed order as the database holds it, with what belongs to it. */
export interface OrderRow {
  id: string;
  orderNumber: string;
  requestId: string | null;
  createdAt: Date;
  lines: number;
  /** Outbox rows for this order, and how many of them the relay marked published. */
  events: number;
  published: number;
  idempotencyRecords: number;
}

/**
 * Reads a tenant's orders straight from PostgreSQL, bypassing the service, so a scenario can compare
 * what clients were told with what was really committed.
 */
export class Ledger {
  readonly #pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.#pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    // A scenario that restarts PostgreSQL drops these connections too; the next query reconnects.
    this.#pool.on("error", () => undefined);
  }

  async orders(tenantId: string): Promise<OrderRow[]> {
    const { rows } = await this.#pool.query<OrderRow>(
      // Counted per table and joined, not one subquery per order: outbox_events has no index on
      // aggregate_id, so correlated subqueries scan it once per order (hours for the long profile's 100,000).
      `select o.id, o.order_number as "orderNumber", o.request_id as "requestId", o.created_at as "createdAt",
              coalesce(l.n, 0)::int as lines, coalesce(e.n, 0)::int as events, coalesce(e.published, 0)::int as published,
              coalesce(r.n, 0)::int as "idempotencyRecords"
         from orders o
         left join (select order_id, count(*) as n from order_lines where tenant_id = $1 group by order_id) l
           on l.order_id = o.id
         left join (select aggregate_id, count(*) as n, count(published_at) as published
                      from outbox_events where tenant_id = $1 group by aggregate_id) e
           on e.aggregate_id = o.id
         left join (select request_id, count(*) as n from idempotency_records where tenant_id = $1 group by request_id) r
           on r.request_id = o.request_id
        where o.tenant_id = $1`,
      [tenantId],
    );
    return rows;
  }

  /** Outbox rows of the tenant whose order does not exist: an event for something that never happened. */
  async orphanEvents(tenantId: string): Promise<number> {
    const { rows } = await this.#pool.query<{ n: number }>(
      `select count(*)::int as n from outbox_events e
        where e.tenant_id = $1 and not exists (select 1 from orders o where o.id = e.aggregate_id)`,
      [tenantId],
    );
    return rows[0]?.n ?? 0;
  }

  async pendingEvents(tenantId: string): Promise<number> {
    const { rows } = await this.#pool.query<{ n: number }>(
      `select count(*)::int as n from outbox_events where tenant_id = $1 and published_at is null`,
      [tenantId],
    );
    return rows[0]?.n ?? 0;
  }

  /** Waits until the relay has published every event of the tenant; returns how long that took. */
  async waitForDrained(tenantId: string, timeoutMs: number): Promise<number> {
    const started = performance.now();
    await waitFor(
      `the outbox of tenant ${tenantId} to drain`,
      async () => (await this.pendingEvents(tenantId)) === 0,
      timeoutMs,
    );
    return Math.round(performance.now() - started);
  }

  /**
   * How the tenant's orders were committed: orders written by one statement share its transaction id (xmin), so
   * the transactions that wrote more than one order are CreateOrder's batches (group commit) as the database saw
   * them, whatever the service reports.
   */
  async commits(tenantId: string): Promise<{ transactions: number; batches: number; largestBatch: number }> {
    const { rows } = await this.#pool.query<{ transactions: number; batches: number; largest: number | null }>(
      `select count(*)::int as transactions, count(*) filter (where n > 1)::int as batches, max(n)::int as largest
         from (select count(*) as n from orders where tenant_id = $1 group by xmin::text) per_transaction`,
      [tenantId],
    );
    const [row] = rows;
    return { transactions: row?.transactions ?? 0, batches: row?.batches ?? 0, largestBatch: row?.largest ?? 0 };
  }

  query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.#pool.query<R>(sql, params);
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

/** What is wrong with a set of committed orders; every list is empty when nothing was lost or half-written. */
export interface Integrity {
  /** Orders whose line count differs from what the client asked for. */
  halfWritten: string[];
  /** Orders without exactly one outbox row. */
  withoutOneEvent: string[];
  /** Orders created with a request_id but without the idempotency record that must commit with them. */
  withoutIdempotencyRecord: string[];
  /** Orders no client call asked for (a request_id the scenario never sent). */
  unexplained: string[];
  /** Calls a client saw succeed whose order is not in the database. */
  lostSuccesses: string[];
}

/** What checkIntegrity finds when nothing was lost, half-written or written twice: every scenario expects it. */
export const INTACT: Readonly<Integrity> = {
  halfWritten: [],
  withoutOneEvent: [],
  withoutIdempotencyRecord: [],
  unexplained: [],
  lostSuccesses: [],
};

export function checkIntegrity(orders: readonly OrderRow[], outcomes: readonly CallOutcome[]): Integrity {
  const asked = new Map(outcomes.map((o) => [o.requestId, o]));
  const committed = new Set(orders.map((o) => o.id));
  return {
    halfWritten: orders
      .filter((o) => o.requestId !== null && asked.get(o.requestId)?.lines !== o.lines)
      .map((o) => o.id),
    withoutOneEvent: orders.filter((o) => o.events !== 1).map((o) => o.id),
    withoutIdempotencyRecord: orders.filter((o) => o.requestId !== null && o.idempotencyRecords !== 1).map((o) => o.id),
    unexplained: orders.filter((o) => o.requestId === null || !asked.has(o.requestId)).map((o) => o.id),
    lostSuccesses: outcomes
      .filter((o) => o.ok && (o.orderId === undefined || !committed.has(o.orderId)))
      .map((o) => o.requestId),
  };
}
