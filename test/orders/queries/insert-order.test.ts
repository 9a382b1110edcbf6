import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/postgresql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OUTBOX_CHANNEL } from "../../../src/platform/outbox/outbox-store.js";
import { insertNewOrder, type NewOrderRows } from "../../../src/orders/queries/insert-order.js";
import { IdempotencyRecord, Order, OutboxEvent } from "../../../src/database.js";
import { isUniqueViolation } from "../../../src/platform/database/errors.js";
import { createOrm } from "../../../src/database.js";
import { newOrderRowsFixture } from "../support/new-order-rows.js";
import { createTenantWithCustomer } from "../../platform/database/fixtures.js";
import { testDatabaseUrl } from "../../support/database.js";
import { ifSetUp } from "../../support/set-up.js";
import { waitFor } from "../../support/wait-for.js";

let orm: MikroORM;
let tenantId: string;
let customerId: string;

beforeAll(async () => {
  orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 4 });
  const { tenant, customer } = await createTenantWithCustomer(orm.em.fork());
  tenantId = tenant.id;
  customerId = customer.id;
});
afterAll(() => ifSetUp(orm)?.close(true));

/** Text that SQL escaping must carry through unchanged: quotes, backslashes, placeholders, non-ASCII. */
const AWKWARD = `O'Brien \\ "quoted" ? ?? $1 :x -- /* ünïcödé ✓ */`;

function rowsFor(orderNumber: string, options: { requestId?: string; lines?: number } = {}): NewOrderRows {
  return newOrderRowsFixture({ tenantId, customerId, orderNumber, text: AWKWARD, ...options });
}

describe("insertNewOrder", () => {
  it("writes the order, its lines, its event and its idempotency record exactly as the entities read them", async () => {
    const rows = rowsFor(`IN-${randomUUID()}`, { requestId: randomUUID(), lines: 3 });
    await insertNewOrder(orm.em.fork(), rows);

    const em = orm.em.fork();
    const order = await em.findOneOrFail(Order, { id: rows.order.id }, { populate: ["lines"] });
    expect(order).toMatchObject({
      orderNumber: rows.order.orderNumber,
      status: "placed",
      subtotal: "10.5000",
      total: "15.4000",
      shippingAddress: rows.order.shippingAddress,
      billingAddress: null,
      customerNote: AWKWARD,
      metadata: { [AWKWARD]: AWKWARD },
      version: 1,
      createdAt: rows.order.createdAt,
      tags: [AWKWARD],
      paidTotal: "0.0000",
      eventSequence: 1,
    });
    expect(order.customer?.id).toBe(customerId);
    expect(order.lines.getItems().map((l) => [l.position, l.name, l.quantity, l.taxAmount, l.variantId])).toEqual(
      rows.lines.map((l) => [l.position, AWKWARD, l.quantity, l.taxAmount === null ? null : "0.2500", l.variantId]),
    );
    const event = await em.findOneOrFail(OutboxEvent, { id: rows.event.id });
    expect(event).toMatchObject({
      aggregateId: rows.order.id,
      aggregateSequence: 1,
      publishedAt: null,
      attempts: 0,
      nextAttemptAt: rows.event.occurredAt,
    });
    expect(Array.from(event.payload)).toEqual(Array.from(rows.event.payload));
    const record = await em.findOneOrFail(IdempotencyRecord, { tenantId, requestId: rows.order.requestId ?? "" });
    expect(Array.from(record.response)).toEqual(Array.from(rows.idempotency?.response ?? []));
  });

  it("wakes the relays with a notification on commit", async () => {
    const listener = new pg.Client({ connectionString: testDatabaseUrl() });
    await listener.connect();
    try {
      let notified = 0;
      listener.on("notification", (n) => (n.channel === OUTBOX_CHANNEL ? notified++ : undefined));
      await listener.query(`listen ${OUTBOX_CHANNEL}`);
      await insertNewOrder(orm.em.fork(), rowsFor(`IN-${randomUUID()}`));
      await waitFor("the outbox notification", () => notified > 0);
    } finally {
      await listener.end();
    }
  });

  it("writes nothing at all when any row fails: a taken order number leaves no lines, event or record behind", async () => {
    const taken = `IN-${randomUUID()}`;
    await insertNewOrder(orm.em.fork(), rowsFor(taken));
    const second = rowsFor(taken, { requestId: randomUUID() });
    const error = await insertNewOrder(orm.em.fork(), second).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(error, "orders_tenant_id_order_number_unique")).toBe(true);
    const em = orm.em.fork();
    expect(await em.count(OutboxEvent, { aggregateId: second.order.id })).toBe(0);
    expect(await em.count(IdempotencyRecord, { tenantId, requestId: second.order.requestId ?? "" })).toBe(0);
    const [lines] = await em
      .getConnection()
      .execute<{ count: string }[]>("select count(*) from order_lines where order_id = ?", [second.order.id]);
    expect(Number(lines?.count)).toBe(0);
  });

  it("reports a reused request_id as a violation of the idempotency primary key, so CreateOrder answers as the winner", async () => {
    const requestId = randomUUID();
    await insertNewOrder(orm.em.fork(), rowsFor(`IN-${randomUUID()}`, { requestId }));
    const error = await insertNewOrder(orm.em.fork(), rowsFor(`IN-${randomUUID()}`, { requestId })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(error, "idempotency_records_pkey")).toBe(true);
  });
});
