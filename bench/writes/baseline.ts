import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { OrderCreatedSchema } from "../../gen/orders/v1/events_pb.js";
import { CUSTOMERS_PER_TENANT, lineInput, SHIPPING_ADDRESS } from "./fixtures.js";

// The statements Orderspine's CreateOrder runs, hand-written for the plain driver with server-side
// parameters: the allocation in autocommit, then order, lines and outbox row as one statement of
// data-modifying CTEs (one statement is one transaction), the fewest round trips this work takes.
const ALLOCATE_SQL = `insert into order_number_counters (tenant_id, last_value) values ($1, 1001)
  on conflict (tenant_id) do update set last_value = order_number_counters.last_value + 1 returning last_value`;
const ORDER_CTE = `new_order as (insert into orders (id, tenant_id, order_number, customer_id, status, payment_status, currency, channel,
  subtotal, shipping_total, discount_total, tax_total, total, shipping_address, metadata, created_at, updated_at)
  values ($1, $2, $3, $4, 'placed', 'unpaid', 'USD', 'storefront', $5, '4.90', '0', '0', $6, $7, '{}', $8, $8))`;
const OUTBOX_CTE = `new_event as (insert into outbox_events (id, tenant_id, aggregate_type, aggregate_id, event_type, subject, payload,
  occurred_at, next_attempt_at) values ($9, $2, 'order', $1, 'order.created', $10, $11, $8, $12))`;
const FIRST_LINE_PARAM = 13;
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
      const p = FIRST_LINE_PARAM + i * 7;
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
    const customerId = this.#customerIds[this.#next++ % this.#customerIds.length] as string;
    const client = await this.pool.connect();
    let healthy = true;
    try {
      const { rows } = await client.query<{ last_value: string }>(ALLOCATE_SQL, [this.tenantId]);
      const orderNumber = String(rows[0]?.last_value);
      const now = new Date();
      await client.query(this.#sql, [
        randomUUID(),
        this.tenantId,
        orderNumber,
        customerId,
        this.#subtotal,
        this.#total,
        SHIPPING_ADDRESS,
        now,
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
      ]);
    } catch (error) {
      healthy = false;
      throw error;
    } finally {
      client.release(!healthy);
    }
  };

  close(): Promise<void> {
    return this.pool.end();
  }
}
