import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order, OrderHistoryEntry, type Customer, type Tenant } from "../../../src/database.js";
import { createOrm } from "../../../src/database.js";
import { testDatabaseUrl } from "../../support/database.js";
import { createTenantWithCustomer } from "../../platform/database/fixtures.js";

let orm: MikroORM;

beforeAll(async () => {
  orm = await createOrm({ databaseUrl: testDatabaseUrl() });
});
afterAll(() => orm.close(true));

let numbers = 0;
function newOrder(em: EntityManager, tenant: Tenant, customer: Customer, total = "10.0000") {
  numbers += 1;
  return em.create(Order, {
    tenant,
    customer,
    orderNumber: `L-${numbers}`,
    status: "placed",
    paymentStatus: "unpaid",
    currency: "USD",
    channel: "admin",
    subtotal: total,
    shippingTotal: "0",
    discountTotal: "0",
    taxTotal: "0",
    total,
  });
}

describe("orders after creation", () => {
  it("defaults the new columns to an order that never changed", async () => {
    const em = orm.em.fork();
    const { tenant, customer } = await createTenantWithCustomer(em);
    const order = newOrder(em, tenant, customer);
    await em.flush();
    const loaded = await orm.em.fork().findOneOrFail(Order, order.id);
    expect(loaded).toMatchObject({
      paidTotal: "0.0000",
      refundedTotal: "0.0000",
      fulfillment: null,
      tags: [],
      placedAt: null,
      eventSequence: 1,
    });
  });

  it("reads history entries back by position, whatever the insertion order", async () => {
    const em = orm.em.fork();
    const { tenant, customer } = await createTenantWithCustomer(em);
    const order = newOrder(em, tenant, customer);
    const entry = (position: number, kind: "status" | "payment") =>
      em.create(OrderHistoryEntry, { order, tenantId: tenant.id, position, kind, reason: `#${position}` });
    order.history.add(entry(1, "payment"));
    order.history.add(entry(0, "status"));
    await em.flush();
    const loaded = await orm.em.fork().findOneOrFail(Order, order.id, { populate: ["history"] });
    expect(loaded.history.getItems().map((e) => [e.position, e.kind, e.reason])).toEqual([
      [0, "status", "#0"],
      [1, "payment", "#1"],
    ]);
  });

  it("refuses a second entry at the same position of one order", async () => {
    const em = orm.em.fork();
    const { tenant, customer } = await createTenantWithCustomer(em);
    const order = newOrder(em, tenant, customer);
    await em.flush();
    em.create(OrderHistoryEntry, { order, tenantId: tenant.id, position: 0, kind: "status" });
    await em.flush();
    const other = orm.em.fork();
    other.create(OrderHistoryEntry, { order: order.id, tenantId: tenant.id, position: 0, kind: "payment" });
    await expect(other.flush()).rejects.toThrow(/order_history_entries_order_id_position_unique/);
  });

  it.each([
    ["paid more than the total", { paidTotal: "10.0100" }],
    ["refunded more than was paid", { paidTotal: "5.0000", refundedTotal: "5.0001" }],
    ["a negative payment total", { paidTotal: "-1.0000" }],
  ])("refuses %s (check constraint)", async (_, totals) => {
    const em = orm.em.fork();
    const { tenant, customer } = await createTenantWithCustomer(em);
    const order = newOrder(em, tenant, customer);
    await em.flush();
    Object.assign(order, totals);
    await expect(em.flush()).rejects.toThrow(/orders_payment_totals_check/);
  });

  it("accepts paid equal to total and refunded equal to paid", async () => {
    const em = orm.em.fork();
    const { tenant, customer } = await createTenantWithCustomer(em);
    const order = newOrder(em, tenant, customer);
    await em.flush();
    Object.assign(order, { paidTotal: "10.0000", refundedTotal: "10.0000" });
    await expect(em.flush()).resolves.toBeUndefined();
  });
});
