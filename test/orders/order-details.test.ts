import { fromBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderCreatedSchema } from "../../gen/orders/v1/events_pb.js";
import { issueApiKey } from "../../src/admin/tenants.js";
import { query } from "../../src/platform/database/query.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import type { Clients } from "../support/clients.js";

// What issue 11 puts on an order besides catalog, companies and the store: guest orders by email, seed 001's B2B
// fields, seed 002's locale, line metadata and display money, seed 004's private metadata. Over the routes in memory.
let service: InMemoryService;
let editor: Clients;
let viewer: Clients;
let tenantId: string;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant();
  tenantId = tenant.tenantId;
  editor = service.clients(tenant.key);
  const viewerKey = await issueApiKey(service.app.orm.em.fork(), tenantId, { role: "viewer", mode: "live" });
  viewer = service.clients(viewerKey.key);
});
afterAll(() => ifSetUp(service)?.close());

const item = { sku: "MUG-1", name: "Mug", quantity: 2, unitPrice: "9.75" };

describe("guest orders", () => {
  it("takes an order with an email and no customer, and finds it by that email in any case", async () => {
    const email = `Guest.${Date.now()}@Example.com`;
    const { order } = await editor.orders.createOrder({ email, items: [item] });
    expect(order).toMatchObject({ customerId: "", email, total: "19.50" });
    const read = await editor.orders.getOrder({ id: order?.id ?? "" });
    expect(read.order).toEqual(order);
    const listed = await editor.orders.listOrders({ email: email.toUpperCase() });
    expect(listed.orders.map((o) => o.id)).toEqual([order?.id]);
  });

  it("stores the customer's email on an order placed for a customer", async () => {
    const customerId = await createCustomerId(editor);
    const { customer } = await editor.customers.getCustomer({ id: customerId });
    const { order } = await editor.orders.createOrder({ customerId, items: [item] });
    expect(order?.email).toBe(customer?.email);
    // and the email given wins over the customer's
    const given = await editor.orders.createOrder({ customerId, email: "orders@buyer.example", items: [item] });
    expect(given.order?.email).toBe("orders@buyer.example");
  });

  it("refuses an order with neither customer nor email", async () => {
    const error = await rejectionOf(editor.orders.createOrder({ items: [item] }));
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [expect.objectContaining({ field: "customer_id", reason: "CUSTOMER_OR_EMAIL_REQUIRED" })],
    });
  });

  it("refuses an email that is not one", async () => {
    const error = await rejectionOf(editor.orders.createOrder({ email: "not an email", items: [item] }));
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [expect.objectContaining({ field: "email" })],
    });
  });
});

describe("seed 001's B2B fields", () => {
  it("keeps PO number, reference, dates, requested service and typed custom fields, and filters by PO number", async () => {
    const customerId = await createCustomerId(editor);
    const poNumber = `PO-${Date.now()}`;
    const { order } = await editor.orders.createOrder({
      ...seedOrderRequest(customerId),
      poNumber,
      customerReference: "jsmith",
      requestedShipDate: { year: 2026, month: 12, day: 7 },
      holdUntilDate: { year: 2026, month: 12, day: 5 },
      shipByDate: { year: 2026, month: 12, day: 10 },
      requestedShippingService: "FedEx Ground",
      customFields: { "Package Count": 3, Fragile: true, Dock: { door: "B", hours: ["8-12", "13-17"] } },
    });
    expect(order).toMatchObject({
      poNumber,
      customerReference: "jsmith",
      requestedShipDate: { year: 2026, month: 12, day: 7 },
      holdUntilDate: { year: 2026, month: 12, day: 5 },
      shipByDate: { year: 2026, month: 12, day: 10 },
      requestedShippingService: "FedEx Ground",
      customFields: { "Package Count": 3, Fragile: true, Dock: { door: "B", hours: ["8-12", "13-17"] } },
    });
    const listed = await editor.orders.listOrders({ poNumber });
    expect(listed.orders).toEqual([order]);
    expect((await editor.orders.getOrder({ id: order?.id ?? "" })).order).toEqual(order);
  });

  it.each([
    [{ requestedShipDate: { year: 2026, month: 2, day: 30 } }, "requested_ship_date", "INVALID_DATE"],
    [{ holdUntilDate: { year: 2026, month: 0, day: 1 } }, "hold_until_date", "INVALID_DATE"],
    [
      { requestedShipDate: { year: 2026, month: 12, day: 7 }, shipByDate: { year: 2026, month: 12, day: 6 } },
      "ship_by_date",
      "SHIP_BY_TOO_EARLY",
    ],
    [
      { customFields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i])) },
      "custom_fields",
      "CUSTOM_FIELDS_TOO_LARGE",
    ],
    [{ customFields: { a: { b: { c: { d: { e: { f: 1 } } } } } } }, "custom_fields", "CUSTOM_FIELDS_TOO_LARGE"],
    [{ customFields: { big: "x".repeat(9000) } }, "custom_fields", "CUSTOM_FIELDS_TOO_LARGE"],
    [{ locale: "not a locale!" }, "locale", "INVALID_LOCALE"],
  ])("refuses %j at %s with %s and writes nothing", async (fields, field, reason) => {
    const email = `refused-${Date.now()}-${Math.random()}@example.com`;
    const error = await rejectionOf(editor.orders.createOrder({ email, items: [item], ...fields }));
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [expect.objectContaining({ field, reason })],
    });
    expect((await editor.orders.listOrders({ email })).orders).toEqual([]);
  });
});

describe("locale and display money", () => {
  it("formats every amount in the order's locale and currency, the locale in canonical form", async () => {
    const { order } = await editor.orders.createOrder({
      email: "kunde@example.de",
      currency: "EUR",
      locale: "de-de",
      shippingTotal: "4.90",
      items: [{ sku: "A", name: "A", quantity: 8, unitPrice: "289.5" }],
    });
    expect(order?.locale).toBe("de-DE");
    expect(order?.display).toMatchObject({
      subtotal: "2.316,00\u00a0€",
      shippingTotal: "4,90\u00a0€",
      total: "2.320,90\u00a0€",
      paidTotal: "0,00\u00a0€",
    });
    expect(order?.items[0]?.display).toMatchObject({ unitPrice: "289,50\u00a0€", lineTotal: "2.316,00\u00a0€" });
  });

  it("uses en-US without a locale and the currency's own minor units", async () => {
    const { order } = await editor.orders.createOrder({
      email: "buyer@example.jp",
      currency: "JPY",
      items: [{ sku: "A", name: "A", quantity: 1, unitPrice: "1235" }],
    });
    expect(order?.locale).toBe("");
    expect(order?.display?.total).toBe("¥1,235");
  });
});

describe("metadata on lines, private metadata", () => {
  it("returns line metadata to everyone and private metadata only to editor and admin keys, and puts both in the event", async () => {
    const { order } = await editor.orders.createOrder({
      email: "private@example.com",
      privateMetadata: { margin: "0.31" },
      items: [{ ...item, metadata: { engraving: "Ada" }, privateMetadata: { supplier: "ACME-7" } }],
    });
    expect(order?.privateMetadata).toEqual({ margin: "0.31" });
    expect(order?.items[0]).toMatchObject({ metadata: { engraving: "Ada" }, privateMetadata: { supplier: "ACME-7" } });

    const seen = (await viewer.orders.getOrder({ id: order?.id ?? "" })).order;
    expect(seen?.privateMetadata).toEqual({});
    expect(seen?.items[0]).toMatchObject({ metadata: { engraving: "Ada" }, privateMetadata: {} });
    const listed = await viewer.orders.listOrders({ email: "private@example.com" });
    expect(listed.orders[0]?.privateMetadata).toEqual({});
    expect(listed.orders[0]?.items[0]?.privateMetadata).toEqual({});
    const preview = await viewer.orders.previewOrder({
      order: { email: "p@example.com", privateMetadata: { a: "b" }, items: [{ ...item, privateMetadata: { c: "d" } }] },
    });
    expect(preview.order?.privateMetadata).toEqual({});
    expect(preview.order?.items[0]?.privateMetadata).toEqual({});
    expect((await editor.orders.getOrder({ id: order?.id ?? "" })).order).toEqual(order);

    const { rows } = await query<{ payload: Buffer }>(
      service.app.orm.em.fork(),
      "select payload from outbox_events where tenant_id = $1 and aggregate_id = $2 and event_type = 'order.created'",
      [tenantId, order?.id],
    );
    const event = fromBinary(OrderCreatedSchema, rows[0]?.payload ?? new Uint8Array());
    expect(event.order?.privateMetadata).toEqual({ margin: "0.31" });
    expect(event.order?.items[0]?.privateMetadata).toEqual({ supplier: "ACME-7" });
  });
});
