import { randomUUID } from "node:crypto";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKey, Customer, IdempotencyRecord, Order, OrderLine, OutboxEvent, Tenant } from "../src/database.js";
import { isUniqueViolation } from "../src/platform/database/errors.js";
import { createOrm } from "../src/database.js";
import { testDatabaseUrl } from "./support/database.js";
import { createTenantWithCustomer } from "./platform/database/fixtures.js";

let orm: MikroORM;

beforeAll(async () => {
  orm = await createOrm({ databaseUrl: testDatabaseUrl() });
});

afterAll(async () => {
  await orm.close(true);
});

const address = { name: "Bea Buyer", line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" };

function newOrder(em: EntityManager, tenant: Tenant, customer: Customer, orderNumber: string) {
  return em.create(Order, {
    tenant,
    customer,
    orderNumber,
    status: "placed",
    paymentStatus: "unpaid",
    currency: "USD",
    channel: "storefront",
    subtotal: "999999999999999.6999",
    shippingTotal: "0.1000",
    discountTotal: "0.0000",
    taxTotal: "0.2000",
    // the largest value numeric(19,4) holds: a double would print 1000000000000000
    total: "999999999999999.9999",
  });
}

describe("order round trip", () => {
  it("stores an order with its lines and reads back exact decimal strings, jsonb and line order", async () => {
    const em = orm.em.fork();
    const { tenant, customer } = await createTenantWithCustomer(em);
    const order = newOrder(em, tenant, customer, "1001");
    order.shippingAddress = address;
    order.metadata = { source: "test" };
    order.requestId = randomUUID();
    // added out of position order: loading must sort by `position`, not insertion
    order.lines.add(
      em.create(OrderLine, {
        order,
        tenantId: tenant.id,
        position: 1,
        sku: "B",
        name: "Bolt",
        quantity: 3,
        unitPrice: "0.1000",
        lineTotal: "0.3000",
      }),
    );
    order.lines.add(
      em.create(OrderLine, {
        order,
        tenantId: tenant.id,
        position: 0,
        sku: "A",
        name: "Anvil",
        quantity: 1,
        unitPrice: "999999999999999.6999",
        taxAmount: "0.0001",
        lineTotal: "999999999999999.6999",
      }),
    );
    await em.flush();

    const read = orm.em.fork();
    const loaded = await read.findOneOrFail(Order, { id: order.id, tenant: tenant.id }, { populate: ["lines"] });
    expect(loaded).toBeInstanceOf(Order);
    expect(loaded.tenant.id).toBe(tenant.id);
    expect(loaded.customer?.id).toBe(customer.id);
    expect(loaded.orderNumber).toBe("1001");
    expect(loaded.subtotal).toBe("999999999999999.6999");
    expect(loaded.shippingTotal).toBe("0.1000");
    expect(loaded.discountTotal).toBe("0.0000");
    expect(loaded.taxTotal).toBe("0.2000");
    expect(loaded.total).toBe("999999999999999.9999");
    expect(loaded.currency).toBe("USD");
    expect(loaded.shippingAddress).toEqual(address);
    expect(loaded.billingAddress).toBeNull();
    expect(loaded.metadata).toEqual({ source: "test" });
    expect(loaded.requestId).toBe(order.requestId);
    expect(loaded.version).toBe(1);
    expect(loaded.createdAt).toBeInstanceOf(Date);

    const lines = loaded.lines.getItems();
    expect(lines.map((l) => l.position)).toEqual([0, 1]);
    expect(lines.map((l) => l.sku)).toEqual(["A", "B"]);
    expect(lines[0]?.unitPrice).toBe("999999999999999.6999");
    expect(lines[0]?.taxAmount).toBe("0.0001");
    expect(lines[1]?.unitPrice).toBe("0.1000");
    expect(lines[1]?.taxAmount).toBeNull();
    expect(lines[1]?.lineTotal).toBe("0.3000");

    // the numbers are stored exactly, not just formatted on the way out
    const [row] = await read.execute<{ total: string }[]>("select total::text as total from orders where id = ?", [
      order.id,
    ]);
    expect(row?.total).toBe("999999999999999.9999");
  });

  it("defaults metadata to {} and bumps version on update", async () => {
    const em = orm.em.fork();
    const { tenant, customer } = await createTenantWithCustomer(em);
    const order = newOrder(em, tenant, customer, "2001");
    await em.flush();
    expect(order.metadata).toEqual({});

    order.status = "fulfilled";
    await em.flush();
    const loaded = await orm.em.fork().findOneOrFail(Order, order.id);
    expect(loaded.status).toBe("fulfilled");
    expect(loaded.version).toBe(2);
  });

  it("deletes the lines with their order (on delete cascade)", async () => {
    const em = orm.em.fork();
    const { tenant, customer } = await createTenantWithCustomer(em);
    const order = newOrder(em, tenant, customer, "3001");
    order.lines.add(
      em.create(OrderLine, {
        order,
        tenantId: tenant.id,
        position: 0,
        sku: "A",
        name: "Anvil",
        quantity: 1,
        unitPrice: "1.0000",
        lineTotal: "1.0000",
      }),
    );
    await em.flush();
    await em.execute("delete from orders where id = ?", [order.id]);
    const [row] = await em.execute<{ n: string }[]>("select count(*) as n from order_lines where order_id = ?", [
      order.id,
    ]);
    expect(Number(row?.n)).toBe(0);
  });
});

describe("unique constraints", () => {
  it("rejects a second order with the same number in one tenant, detected by isUniqueViolation", async () => {
    const em = orm.em.fork();
    const { tenant, customer } = await createTenantWithCustomer(em);
    newOrder(em, tenant, customer, "1001");
    await em.flush();

    const other = orm.em.fork();
    newOrder(other, tenant, customer, "1001");
    const err: unknown = await other.flush().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(err, "orders_tenant_id_order_number_unique")).toBe(true);
    expect(isUniqueViolation(err, "order_lines_order_id_position_unique")).toBe(false);
  });

  it("allows the same order number in another tenant", async () => {
    const em = orm.em.fork();
    const a = await createTenantWithCustomer(em);
    const b = await createTenantWithCustomer(em);
    newOrder(em, a.tenant, a.customer, "1001");
    newOrder(em, b.tenant, b.customer, "1001");
    await expect(em.flush()).resolves.toBeUndefined();
  });

  it("treats customer e-mails as equal regardless of case within a tenant", async () => {
    const em = orm.em.fork();
    const { tenant } = await createTenantWithCustomer(em);
    em.create(Customer, { tenant, email: "Ann@Example.com", name: "Ann" });
    await em.flush();

    const other = orm.em.fork();
    other.create(Customer, { tenant: tenant.id, email: "ann@example.COM", name: "Ann again" });
    const err: unknown = await other.flush().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(err, "customers_tenant_id_lower_email_unique")).toBe(true);

    // another tenant may have the same customer
    const third = orm.em.fork();
    const otherTenant = await createTenantWithCustomer(third);
    third.create(Customer, { tenant: otherTenant.tenant, email: "ann@example.com", name: "Ann" });
    await expect(third.flush()).resolves.toBeUndefined();
  });

  it("is not fooled by other constraint errors", async () => {
    const em = orm.em.fork();
    em.create(Customer, { tenant: randomUUID(), email: "x@example.com", name: "No tenant" });
    const err: unknown = await em.flush().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(isUniqueViolation(err)).toBe(false);
    expect(isUniqueViolation(new Error("duplicate key value"))).toBe(false);
    expect(isUniqueViolation("23505")).toBe(false);
  });
});

describe("other tables", () => {
  it("round-trips api keys and enforces the role and mode checks", async () => {
    const em = orm.em.fork();
    const { tenant } = await createTenantWithCustomer(em);
    const key = em.create(ApiKey, {
      tenant,
      name: "ci",
      role: "editor",
      mode: "test",
      lookupId: `lk_${randomUUID()}`,
      secretHash: "ab".repeat(32),
    });
    await em.flush();
    const loaded = await orm.em.fork().findOneOrFail(ApiKey, { lookupId: key.lookupId }, { populate: ["tenant"] });
    expect(loaded.role).toBe("editor");
    expect(loaded.tenant.ordersEnabled).toBe(true);
    expect(loaded.isActiveAt(new Date())).toBe(true);
    loaded.revokedAt = new Date(Date.now() - 1000);
    expect(loaded.isActiveAt(new Date())).toBe(false);

    await expect(
      em.execute(
        "insert into api_keys (id, tenant_id, name, role, mode, lookup_id, secret_hash) values (?, ?, 'x', 'owner', 'live', ?, 'h')",
        [randomUUID(), tenant.id, `lk_${randomUUID()}`],
      ),
    ).rejects.toThrow(/api_keys_role_check/);
    await expect(
      em.execute(
        "insert into api_keys (id, tenant_id, name, role, mode, lookup_id, secret_hash) values (?, ?, 'x', 'admin', 'prod', ?, 'h')",
        [randomUUID(), tenant.id, `lk_${randomUUID()}`],
      ),
    ).rejects.toThrow(/api_keys_mode_check/);
  });

  it("round-trips binary payloads of idempotency records and outbox events", async () => {
    const em = orm.em.fork();
    const tenantId = randomUUID();
    const requestId = randomUUID();
    const bytes = new Uint8Array([0, 1, 2, 254, 255]);
    em.create(IdempotencyRecord, {
      tenantId,
      requestId,
      method: "orders.v1.OrdersService/CreateOrder",
      requestHash: "cd".repeat(32),
      response: bytes,
      expiresAt: new Date(Date.now() + 24 * 3600_000),
    });
    const event = em.create(OutboxEvent, {
      tenantId,
      aggregateType: "order",
      aggregateId: randomUUID(),
      eventType: "order.created",
      subject: `orders.${tenantId}.created`,
      payload: bytes,
      occurredAt: new Date(),
      // Not due for a day, so relays of other test files on this database leave it alone.
      nextAttemptAt: new Date(Date.now() + 24 * 3600_000),
    });
    await em.flush();

    const read = orm.em.fork();
    const record = await read.findOneOrFail(IdempotencyRecord, { tenantId, requestId });
    expect(record.response).toBeInstanceOf(Uint8Array);
    expect(Array.from(record.response)).toEqual([0, 1, 2, 254, 255]);
    expect(record.isExpiredAt(new Date())).toBe(false);

    const loaded = await read.findOneOrFail(OutboxEvent, event.id);
    expect(Array.from(loaded.payload)).toEqual([0, 1, 2, 254, 255]);
    expect(loaded.attempts).toBe(0);
    expect(loaded.publishedAt).toBeNull();
    expect(loaded.isPublished()).toBe(false);
    expect(loaded.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  });
});
