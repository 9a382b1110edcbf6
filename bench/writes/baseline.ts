import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { GroupCommit, MAX_STATEMENT_PARAMETERS } from "../../src/platform/database/group-commit.js";
import { OrderCreatedSchema } from "../../gen/orders/v1/events_pb.js";
import { CUSTOMERS_PER_TENANT, lineInput, SHIPPING_ADDRESS } from "./fixtures.js";

// The statements Orderspine's CreateOrder runs, hand-written for the plain driver with server-side
// parameters: the allocation in autocommit, then order, lines and outbox row as one statement of
// data-modifying CTEs (one statement is one transaction), the fewest round trips this work takes.
const ALLOCATE_SQL = `insert into order_number_counters (tenant_id, last_value) values ($1, 1001)
  on conflict (tenant_id) do update set last_value = order_number_counters.last_value + 1 returning last_value`;
const ORDER_COLUMNS = `(id, tenant_id, order_number, customer_id, status, payment_status, currency, channel,
  subtotal, shipping_total, discount_total, tax_total, total, shipping_address, metadata, created_at, updated_at)`;
const ORDER_ROW = `($1, $2, $3, $4, 'placed', 'unpaid', 'USD', 'storefront', $5, '4.90', '0', '0', $6, $7, '{}', $8, $8)`;
const ORDER_CTE = `new_order as (insert into orders ${ORDER_COLUMNS} values ${ORDER_ROW})`;
const OUTBOX_COLUMNS = `(id, tenant_id, aggregate_type, aggregate_id, event_type, subject, payload, occurred_at, next_attempt_at)`;
const OUTBOX_ROW = `($9, $2, 'order', $1, 'order.created', $10, $11, $8, $12)`;
const OUTBOX_CTE = `new_event as (insert into outbox_events ${OUTBOX_COLUMNS} values ${OUTBOX_ROW})`;
const FIRST_LINE_PARAM = 13;
/** Bound values per order before its lines', and per line. */
const ORDER_PARAMS = FIRST_LINE_PARAM - 1;
const LINE_PARAMS = 7;
const LINE_COLUMNS = "(id, order_id, tenant_id, position, sku, name, quantity, unit_price, line_total)";
// The service's relay publishes every due outbox row of the database; the baseline's rows are due
// in a century, so they cost the same to write but the running service never picks them up.
const NEVER_DUE = new Date("2126-01-01T00:00:00Z");

interface PricedLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: string;
  lineTotal: string;
}

/**
 * The limit Orderspine is measured against: the same database work as one CreateOrder — order
 * number allocation, then order, lines and outbox row in one transaction — on the same tables,
 * with the plain `pg` driver and nothing else: no RPC, no authentication or customer lookup, no
 * validation, no ORM, no pg_notify, no events relay.
 */
export class Baseline {
  readonly #customerIds: string[];
  readonly #lines: PricedLine[];
  readonly #sql: string;
  readonly #subtotal: string;
  readonly #total: string;
  readonly #payload: Buffer;
  #next = 0;

  private constructor(
    readonly pool: pg.Pool,
    readonly tenantId: string,
    customerIds: string[],
    lines: number,
  ) {
    this.#customerIds = customerIds;
    this.#lines = Array.from({ length: lines }, (_, i) => {
      const line = lineInput(i);
      const cents = Math.round(Number(line.unitPrice) * 100) * line.quantity;
      return { ...line, lineTotal: (cents / 100).toFixed(2) };
    });
    const subtotalCents = this.#lines.reduce((sum, l) => sum + Math.round(Number(l.lineTotal) * 100), 0);
    this.#subtotal = (subtotalCents / 100).toFixed(2);
    this.#total = ((subtotalCents + 490) / 100).toFixed(2);
    // Each line: its own id, position and values; order id and tenant are the order's $1 and $2.
    const row = (i: number) => {
      const p = FIRST_LINE_PARAM + i * LINE_PARAMS;
      return `($${p}, $1, $2, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`;
    };
    const linesCte = `new_lines as (insert into order_lines ${LINE_COLUMNS} values ${this.#lines.map((_, i) => row(i)).join(", ")})`;
    this.#sql = `with ${ORDER_CTE}, ${linesCte}, ${OUTBOX_CTE} select 1`;
    // An event of the real shape and size; encoding it per order is work the baseline leaves out.
    this.#payload = Buffer.from(
      toBinary(
        OrderCreatedSchema,
        create(OrderCreatedSchema, {
          eventId: randomUUID(),
          tenantId,
          occurTime: timestampFromDate(new Date()),
          order: {
            id: randomUUID(),
            orderNumber: "1001",
            customerId: randomUUID(),
            currency: "USD",
            items: this.#lines.map((l) => ({ id: randomUUID(), ...l })),
            subtotal: this.#subtotal,
            total: this.#total,
            shippingAddress: SHIPPING_ADDRESS,
          },
        }),
      ),
    );
  }

  /** A pool like the service's, and a tenant with customers of its own. */
  static async prepare(databaseUrl: string, poolMax: number, lines: number): Promise<Baseline> {
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: poolMax,
      application_name: "orderspine-bench-baseline",
    });
    // An idle client whose connection is cut (the bench database is dropped with FORCE when a run
    // fails) must not crash the bench and hide the failure that started the clean-up.
    pool.on("error", () => undefined);
    const tenantId = randomUUID();
    await pool.query("insert into tenants (id, name) values ($1, $2)", [tenantId, `bench baseline ${lines} lines`]);
    const customerIds: string[] = [];
    for (let i = 0; i < CUSTOMERS_PER_TENANT; i++) {
      const id = randomUUID();
      await pool.query("insert into customers (id, tenant_id, email, name) values ($1, $2, $3, $4)", [
        id,
        tenantId,
        `buyer-${i}@baseline.example`,
        `Baseline Buyer ${i}`,
      ]);
      customerIds.push(id);
    }
    return new Baseline(pool, tenantId, customerIds, lines);
  }

  readonly createOrder = async (): Promise<void> => {
    const client = await this.pool.connect();
    let healthy = true;
    try {
      const orderNumber = await this.allocate(client);
      await client.query(this.#sql, this.orderValues(orderNumber));
    } catch (error) {
      healthy = false;
      throw error;
    } finally {
      client.release(!healthy);
    }
  };

  /** The next order number, in its own statement (autocommit), as Orderspine allocates it. */
  async allocate(db: pg.Pool | pg.PoolClient = this.pool): Promise<string> {
    const { rows } = await db.query<{ last_value: string }>(ALLOCATE_SQL, [this.tenantId]);
    return String(rows[0]?.last_value);
  }

  /** How many lines each order has. */
  get lines(): number {
    return this.#lines.length;
  }

  /**
   * The bound values of one order, in the statement's order: $1-$12 the order and its event, then 7 per line
   * (ORDER_CTE, OUTBOX_CTE, the lines' rows).
   */
  orderValues(orderNumber: string): unknown[] {
    const customerId = this.#customerIds[this.#next++ % this.#customerIds.length] as string;
    return [
      randomUUID(),
      this.tenantId,
      orderNumber,
      customerId,
      this.#subtotal,
      this.#total,
      SHIPPING_ADDRESS,
      new Date(),
      randomUUID(),
      `orders.${this.tenantId}.created`,
      this.#payload,
      NEVER_DUE,
      ...this.#lines.flatMap((l, position) => [
        randomUUID(),
        position,
        l.sku,
        l.name,
        l.quantity,
        l.unitPrice,
        l.lineTotal,
      ]),
    ];
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * The baseline with the same group commit as Orderspine (platform/database/group-commit.ts, the same class): the
 * order number in its own statement per order, then the orders that arrive while a write is in flight written
 * together, order, lines and outbox rows of all of them in one statement of multi-row VALUES. The limit of the
 * batching itself, without anything else Orderspine does.
 */
export class BatchedBaseline {
  readonly #writes: GroupCommit<unknown[]>;
  readonly #statements = new Map<number, string>();
  /** Committed statements and the orders in them, for the mean batch size. */
  statements = 0;
  orders = 0;

  private constructor(readonly baseline: Baseline) {
    const perOrder = ORDER_PARAMS + baseline.lines * LINE_PARAMS;
    this.#writes = new GroupCommit<unknown[]>({
      writeAll: (orders) => this.#insert(orders),
      writeOne: (order) => this.#insert([order]),
      size: () => ({ bytes: 0, parameters: perOrder }),
      limits: { maxItems: 64, maxBytes: 2 * 1024 * 1024, maxParameters: MAX_STATEMENT_PARAMETERS },
      onStatement: ({ size, committed }) => {
        if (!committed) return;
        this.statements += 1;
        this.orders += size;
      },
    });
  }

  static async prepare(databaseUrl: string, poolMax: number, lines: number): Promise<BatchedBaseline> {
    return new BatchedBaseline(await Baseline.prepare(databaseUrl, poolMax, lines));
  }

  readonly createOrder = async (): Promise<void> => {
    const orderNumber = await this.baseline.allocate();
    await this.#writes.write(this.baseline.orderValues(orderNumber));
  };

  /** How many lines each order has. */
  get lines(): number {
    return this.baseline.lines;
  }

  async #insert(orders: readonly unknown[][]): Promise<void> {
    await this.baseline.pool.query(this.#statementFor(orders.length), orders.flat());
  }

  /** ORDER_CTE, the lines and OUTBOX_CTE for `n` orders, each order's values after the one before. */
  #statementFor(n: number): string {
    let sql = this.#statements.get(n);
    if (sql) return sql;
    const perOrder = ORDER_PARAMS + this.baseline.lines * LINE_PARAMS;
    const shifted = (text: string, offset: number) =>
      text.replace(/\$(\d+)/g, (_, k: string) => `$${Number(k) + offset}`);
    const orderRows: string[] = [];
    const lineRows: string[] = [];
    const eventRows: string[] = [];
    for (let i = 0; i < n; i++) {
      const offset = i * perOrder;
      orderRows.push(shifted(ORDER_ROW, offset));
      eventRows.push(shifted(OUTBOX_ROW, offset));
      for (let line = 0; line < this.baseline.lines; line++) {
        const p = FIRST_LINE_PARAM + line * LINE_PARAMS;
        lineRows.push(
          shifted(`($${p}, $1, $2, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`, offset),
        );
      }
    }
    sql =
      `with new_order as (insert into orders ${ORDER_COLUMNS} values ${orderRows.join(", ")}), ` +
      `new_lines as (insert into order_lines ${LINE_COLUMNS} values ${lineRows.join(", ")}), ` +
      `new_event as (insert into outbox_events ${OUTBOX_COLUMNS} values ${eventRows.join(", ")}) select 1`;
    this.#statements.set(n, sql);
    return sql;
  }

  close(): Promise<void> {
    return this.baseline.close();
  }
}
