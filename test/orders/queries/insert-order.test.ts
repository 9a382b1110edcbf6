import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/postgresql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OUTBOX_CHANNEL } from "../../../src/platform/outbox/outbox-store.js";
import { insertNewOrder, insertNewOrders, type NewOrderRows } from "../../../src/orders/queries/insert-order.js";
import { IdempotencyRecord, Order, OutboxEvent } from "../../../src/database.js";
import { isUniqueViolation } from "../../../src/platform/database/errors.js";
import { query } from "../../../src/platform/database/query.js";
import { isRefusal } from "../../../src/platform/database/refusal.js";
import { PROMOTION_LIMITED } from "../../../src/promotions/public.js";
import { STOCK_TRACKED } from "../../../src/inventory/public.js";
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

/** Runs `body` while a connection listens to the relays' channel; `notified()` counts the notifications so far. */
async function listeningToRelays(body: (notified: () => number) => Promise<void>): Promise<void> {
  const listener = new pg.Client({ connectionString: testDatabaseUrl() });
  await listener.connect();
  try {
    let notified = 0;
    listener.on("notification", (n) => (n.channel === OUTBOX_CHANNEL ? notified++ : undefined));
    await listener.query(`listen ${OUTBOX_CHANNEL}`);
    await body(() => notified);
  } finally {
    await listener.end();
  }
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
    await listeningToRelays(async (notified) => {
      await insertNewOrder(orm.em.fork(), rowsFor(`IN-${randomUUID()}`));
      await waitFor("the outbox notification", () => notified() > 0);
    });
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

describe("insertNewOrders: a batch of orders in one statement (group commit)", () => {
  async function writtenOf(batch: readonly NewOrderRows[]) {
    const ids = batch.map((rows) => rows.order.id);
    const { rows } = await query<{ orders: string; lines: string; events: string; records: string; xmins: string }>(
      orm.em.fork(),
      `select (select count(*) from orders where id = any($1::uuid[])) as orders,
              (select count(*) from order_lines where order_id = any($1::uuid[])) as lines,
              (select count(*) from outbox_events where aggregate_id = any($1::uuid[])) as events,
              (select count(*) from idempotency_records where tenant_id = $2::uuid and request_id = any($3::uuid[])) as records,
              (select count(distinct xmin::text) from orders where id = any($1::uuid[])) as xmins`,
      [ids, tenantId, batch.flatMap((rows) => (rows.order.requestId ? [rows.order.requestId] : []))],
    );
    const [row] = rows;
    return {
      orders: Number(row?.orders),
      lines: Number(row?.lines),
      events: Number(row?.events),
      records: Number(row?.records),
      transactions: Number(row?.xmins),
    };
  }

  it("writes every order's rows in one transaction and wakes the relays once", async () => {
    await listeningToRelays(async (notified) => {
      const batch = [
        rowsFor(`IN-${randomUUID()}`, { requestId: randomUUID(), lines: 3 }),
        rowsFor(`IN-${randomUUID()}`, { lines: 1 }),
        rowsFor(`IN-${randomUUID()}`, { requestId: randomUUID(), lines: 5 }),
      ];
      await insertNewOrders(orm.em.fork(), batch);
      expect(await writtenOf(batch)).toEqual({ orders: 3, lines: 9, events: 3, records: 2, transactions: 1 });
      await waitFor("the outbox notification", () => notified() > 0);
      // One pg_notify per statement: a further write's notification is the second, not the fourth.
      await insertNewOrder(orm.em.fork(), rowsFor(`IN-${randomUUID()}`));
      await waitFor("the next statement's notification", () => notified() >= 2);
      expect(notified()).toBe(2);
      // Each order reads back exactly as insertNewOrder writes it alone.
      const order = await orm.em.fork().findOneOrFail(Order, { id: batch[2]?.order.id ?? "" }, { populate: ["lines"] });
      expect(order.lines.getItems().map((l) => l.position)).toEqual([0, 1, 2, 3, 4]);
      expect(order).toMatchObject({ customerNote: AWKWARD, tags: [AWKWARD], metadata: { [AWKWARD]: AWKWARD } });
    });
  });

  it("writes nothing of any order when one order's number is taken or its request_id used", async () => {
    const taken = `IN-${randomUUID()}`;
    const requestId = randomUUID();
    await insertNewOrder(orm.em.fork(), rowsFor(taken));
    await insertNewOrder(orm.em.fork(), rowsFor(`IN-${randomUUID()}`, { requestId }));
    for (const [conflicting, constraint] of [
      [rowsFor(taken), "orders_tenant_id_order_number_unique"],
      [rowsFor(`IN-${randomUUID()}`, { requestId }), "idempotency_records_pkey"],
    ] as const) {
      const batch = [
        rowsFor(`IN-${randomUUID()}`, { requestId: randomUUID() }),
        conflicting,
        rowsFor(`IN-${randomUUID()}`),
      ];
      const error = await insertNewOrders(orm.em.fork(), batch).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isUniqueViolation(error, constraint)).toBe(true);
      expect(await writtenOf([batch[0], batch[2]].flatMap((rows) => (rows ? [rows] : [])))).toMatchObject({
        orders: 0,
        lines: 0,
        events: 0,
        records: 0,
      });
    }
  });
});

describe("insertNewOrder with the uses of promotions without limits", () => {
  async function promotion(limits: { usageLimit?: number; perCustomerLimit?: number; active?: boolean } = {}) {
    const id = randomUUID();
    await orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into promotions (id, tenant_id, display_name, kind, value, usage_limit, per_customer_limit, active)
           values (?, ?, 'Ten percent', 'ORDER_PERCENTAGE', 10, ?, ?, ?)`,
        [id, tenantId, limits.usageLimit ?? null, limits.perCustomerLimit ?? null, limits.active ?? true],
      );
    return id;
  }
  const withUses = (promotionIds: string[]) => ({
    ...rowsFor(`IN-${randomUUID()}`, { requestId: randomUUID() }),
    unlimitedPromotionUses: {
      buyer: { email: "Ada@Example.com" },
      redemptions: promotionIds.map((promotionId) => ({ promotionId, code: "SPRING10", amount: "1.05" })),
    },
  });
  async function written(rows: NewOrderRows, promotionIds: string[]) {
    const em = orm.em.fork();
    const {
      rows: [redeemed],
    } = await query<{ count: string; keys: string[] | null }>(
      em,
      `select count(*), array_agg(distinct customer_key) as keys from promotion_redemptions
        where order_id = $1 and amount = 1.05 and code = 'SPRING10'`,
      [rows.order.id],
    );
    const { rows: counts } = await query<{ usage_count: number }>(
      em,
      "select usage_count from promotions where id = any($1::uuid[]) order by array_position($1::uuid[], id)",
      [promotionIds],
    );
    return {
      orders: await em.count(Order, { id: rows.order.id }),
      events: await em.count(OutboxEvent, { aggregateId: rows.order.id }),
      records: await em.count(IdempotencyRecord, { tenantId, requestId: rows.order.requestId ?? "" }),
      redemptions: Number(redeemed?.count),
      customerKeys: redeemed?.keys ?? [],
      usageCounts: counts.map((row) => row.usage_count),
    };
  }

  it("counts one use of each promotion and writes its redemption in the order's own statement", async () => {
    const promotions = [await promotion(), await promotion()];
    const rows = withUses(promotions);
    await insertNewOrder(orm.em.fork(), rows);
    expect(await written(rows, promotions)).toEqual({
      orders: 1,
      events: 1,
      records: 1,
      redemptions: 2,
      customerKeys: ["email:ada@example.com"],
      usageCounts: [1, 1],
    });
  });

  it("refuses the whole statement, order included, when a promotion has a limit, in total or per customer, or is inactive", async () => {
    const unlimited = await promotion();
    for (const limited of [
      await promotion({ usageLimit: 100 }),
      await promotion({ perCustomerLimit: 5 }),
      await promotion({ active: false }),
    ]) {
      const rows = withUses([unlimited, limited]);
      const error = await insertNewOrder(orm.em.fork(), rows).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isRefusal(error, PROMOTION_LIMITED)).toBe(true);
      expect(await written(rows, [unlimited, limited])).toEqual({
        orders: 0,
        events: 0,
        records: 0,
        redemptions: 0,
        customerKeys: [],
        usageCounts: [0, 0],
      });
    }
  });

  it("counts a batch's uses of the same promotions together, one update per promotion, a redemption per use", async () => {
    const [shared, other] = [await promotion(), await promotion()];
    const batch = [withUses([shared, other]), withUses([shared]), rowsFor(`PL-${randomUUID()}`), withUses([shared])];
    await insertNewOrders(orm.em.fork(), batch);
    expect(await written(batch[0] as NewOrderRows, [shared, other])).toMatchObject({
      orders: 1,
      redemptions: 2,
      usageCounts: [3, 1],
    });
    for (const rows of [batch[1], batch[3]] as NewOrderRows[])
      expect(await written(rows, [shared])).toMatchObject({ orders: 1, events: 1, records: 1, redemptions: 1 });
    expect(await orm.em.fork().count(Order, { id: batch[2]?.order.id ?? "" })).toBe(1);
  });

  it("refuses a whole batch, nothing written, when one order's promotion has a limit now; without that order it is written", async () => {
    const [unlimited, limited] = [await promotion(), await promotion({ usageLimit: 100 })];
    const batch = [withUses([unlimited]), withUses([limited]), withUses([unlimited])];
    const error = await insertNewOrders(orm.em.fork(), batch).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isRefusal(error, PROMOTION_LIMITED)).toBe(true);
    for (const rows of batch)
      expect(await written(rows, [unlimited, limited])).toMatchObject({
        orders: 0,
        redemptions: 0,
        usageCounts: [0, 0],
      });
    await insertNewOrders(orm.em.fork(), [batch[0], batch[2]] as NewOrderRows[]);
    expect(await written(batch[2] as NewOrderRows, [unlimited, limited])).toMatchObject({
      orders: 1,
      usageCounts: [2, 0],
    });
  });

  it("counts concurrent batches that share promotions in any order without a deadlock", async () => {
    const promotions = [await promotion(), await promotion(), await promotion()];
    const shuffled = (i: number) => [...promotions.slice(i % 3), ...promotions.slice(0, i % 3)];
    const batches = Array.from({ length: 16 }, (_, i) => [withUses(shuffled(i)), withUses(shuffled(i + 1).reverse())]);
    const results = await Promise.allSettled(batches.map((batch) => insertNewOrders(orm.em.fork(), batch)));
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    expect((await written(batches[0]?.[0] as NewOrderRows, promotions)).usageCounts).toEqual([32, 32, 32]);
  });

  it("refuses it for another tenant's promotion", async () => {
    const { tenant } = await createTenantWithCustomer(orm.em.fork());
    const theirs = await promotion();
    await orm.em
      .fork()
      .getConnection()
      .execute("update promotions set tenant_id = ? where id = ?", [tenant.id, theirs]);
    const rows = withUses([theirs]);
    const error = await insertNewOrder(orm.em.fork(), rows).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isRefusal(error, PROMOTION_LIMITED)).toBe(true);
    expect((await written(rows, [theirs])).orders).toBe(0);
  });
});

describe("insertNewOrder with lines that must not be tracked", () => {
  async function track(variantId: string, tracked: boolean): Promise<void> {
    await query(
      orm.em.fork(),
      `insert into inventory_items (id, tenant_id, variant_id, tracked, updated_at) values ($1, $2, $3, $4, now())
       on conflict (tenant_id, variant_id) do update set tracked = excluded.tracked`,
      [randomUUID(), tenantId, variantId, tracked],
    );
  }

  async function ordersNumbered(orderNumber: string): Promise<number> {
    const { rows } = await query<{ n: string }>(
      orm.em.fork(),
      "select count(*) as n from orders where tenant_id = $1 and order_number = $2",
      [tenantId, orderNumber],
    );
    return Number(rows[0]?.n);
  }

  it("writes the order while none of its variants is tracked, and refuses it, nothing written, once one is", async () => {
    const untracked = randomUUID();
    const turnedOff = randomUUID();
    const tracked = randomUUID();
    await track(turnedOff, false);
    const fine = rowsFor(`UT-${randomUUID()}`);
    await insertNewOrder(orm.em.fork(), { ...fine, unreservedVariantIds: [untracked, turnedOff] });
    expect(await ordersNumbered(fine.order.orderNumber)).toBe(1);

    await track(tracked, true);
    const refused = rowsFor(`TR-${randomUUID()}`);
    const error = await insertNewOrder(orm.em.fork(), { ...refused, unreservedVariantIds: [untracked, tracked] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isRefusal(error, STOCK_TRACKED)).toBe(true);
    expect(await ordersNumbered(refused.order.orderNumber)).toBe(0);
  });

  it("refuses a whole batch, nothing written, when one of its orders names a tracked variant", async () => {
    const untracked = randomUUID();
    const tracked = randomUUID();
    await track(tracked, true);
    const batch = [
      { ...rowsFor(`UT-${randomUUID()}`), unreservedVariantIds: [untracked] },
      rowsFor(`UT-${randomUUID()}`),
      { ...rowsFor(`TR-${randomUUID()}`), unreservedVariantIds: [untracked, tracked] },
    ];
    const error = await insertNewOrders(orm.em.fork(), batch).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isRefusal(error, STOCK_TRACKED)).toBe(true);
    for (const rows of batch) expect(await ordersNumbered(rows.order.orderNumber)).toBe(0);
    await insertNewOrders(orm.em.fork(), batch.slice(0, 2));
    for (const rows of batch.slice(0, 2)) expect(await ordersNumbered(rows.order.orderNumber)).toBe(1);
  });
});
