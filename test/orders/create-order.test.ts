import { fromBinary } from "@bufbuild/protobuf";
import { connect } from "@nats-io/transport-node";
import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { OrderCreatedSchema } from "../../gen/orders/v1/events_pb.js";
import { Channel, OrderStatus, PaymentStatus } from "../../gen/orders/v1/order_pb.js";
import { clientsFor, PROTOCOLS, type Clients } from "../support/clients.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { readStored } from "../support/stream-reader.js";
import { waitFor } from "../support/wait-for.js";

let service: TestService;
let tenant: TestTenant;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
});
afterAll(() => ifSetUp(service)?.shutdown());

describe("CreateOrder, seed 000 (Sparx CRM)", () => {
  it("answers raw Connect JSON over HTTP/1.1 with the totals as decimal strings", async () => {
    const clients = clientsFor("connect-json-http1", service.url, tenant.key);
    const customerId = await createCustomerId(clients);
    const response = await fetch(`${service.url}/orders.v1.OrdersService/CreateOrder`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tenant.key}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        customerId,
        currency: "USD",
        channel: "CHANNEL_B2B_PORTAL",
        items: [{ sku: "INJ-6.7-CR", name: "6.7L Common-Rail Injector", quantity: 8, unitPrice: "289.50" }],
      }),
    });
    expect(response.status).toBe(200);
    const { order } = (await response.json()) as { order: Record<string, unknown> };
    expect(order).toMatchObject({
      status: "ORDER_STATUS_PLACED",
      paymentStatus: "PAYMENT_STATUS_UNPAID",
      customerId,
      channel: "CHANNEL_B2B_PORTAL",
      currency: "USD",
      subtotal: "2316.00",
      shippingTotal: "0.00",
      discountTotal: "0.00",
      taxTotal: "0.00",
      total: "2316.00",
      items: [
        {
          sku: "INJ-6.7-CR",
          name: "6.7L Common-Rail Injector",
          quantity: 8,
          unitPrice: "289.50",
          lineTotal: "2316.00",
        },
      ],
    });
    expect(Number(order.orderNumber)).toBeGreaterThanOrEqual(1001);
    expect(order.createTime).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it.each(PROTOCOLS)("creates and reads back the same order over %s", async (protocol) => {
    const clients = clientsFor(protocol, service.url, tenant.key);
    const customerId = await createCustomerId(clients);
    const { order } = await clients.orders.createOrder(seedOrderRequest(customerId));
    expect(order?.status).toBe(OrderStatus.PLACED);
    expect(order?.paymentStatus).toBe(PaymentStatus.UNPAID);
    expect(order?.channel).toBe(Channel.B2B_PORTAL);
    expect(order?.total).toBe("2316.00");
    const fetched = await clients.orders.getOrder({ id: order?.id ?? "" });
    expect(fetched.order).toEqual(order);
  });

  it("publishes order.created to JetStream with the CloudEvents headers after commit", async () => {
    const clients = clientsFor("grpc-http2", service.url, tenant.key);
    const customerId = await createCustomerId(clients);
    const { order } = await clients.orders.createOrder(seedOrderRequest(customerId));
    const nc = await connect({ servers: inject("natsUrl") });
    try {
      const subject = `orders.${tenant.tenantId}.created`;
      let events: Awaited<ReturnType<typeof readStored>> = [];
      await waitFor("the order.created event", async () => {
        events = (await readStored(nc, subject)).filter(
          (e) => fromBinary(OrderCreatedSchema, e.data).order?.id === order?.id,
        );
        return events.length > 0;
      });
      expect(events).toHaveLength(1);
      const [event] = events;
      assert.isDefined(event);
      const payload = fromBinary(OrderCreatedSchema, event.data);
      expect(payload.order).toEqual(order);
      expect(payload.tenantId).toBe(tenant.tenantId);
      expect(event.headers).toMatchObject({
        "Nats-Msg-Id": payload.eventId,
        "ce-specversion": "1.0",
        "ce-id": payload.eventId,
        "ce-type": "order.created",
        "ce-source": "orderspine",
        "ce-subject": order?.id,
        "ce-tenantid": tenant.tenantId,
        "content-type": "application/protobuf",
      });
      expect(Date.parse(event.headers["ce-time"] ?? "")).toBeGreaterThan(0);
    } finally {
      await nc.close();
    }
  });
});

describe("money", () => {
  let clients: Clients;
  let customerId: string;
  beforeAll(async () => {
    clients = clientsFor("connect-binary-http2", service.url, tenant.key);
    customerId = await createCustomerId(clients);
  });
  const line = (unitPrice: string, quantity = 1, extra: Record<string, string> = {}) => ({
    sku: "SKU",
    name: "Thing",
    unitPrice,
    quantity,
    ...extra,
  });

  it.each([
    { name: "0.10 x 3", currency: "USD", items: [line("0.10", 3)], subtotal: "0.30", total: "0.30" },
    { name: "19.99 x 3", currency: "USD", items: [line("19.99", 3)], subtotal: "59.97", total: "59.97" },
    {
      name: "half-even tie rounds down to even",
      currency: "USD",
      items: [line("0.125")],
      subtotal: "0.12",
      total: "0.12",
    },
    {
      name: "half-even tie rounds up to even",
      currency: "USD",
      items: [line("0.135")],
      subtotal: "0.14",
      total: "0.14",
    },
    {
      name: "JPY has no minor units",
      currency: "JPY",
      items: [line("2.5"), line("1200", 2)],
      subtotal: "2402",
      total: "2402",
    },
    { name: "KWD has three", currency: "KWD", items: [line("1.2345", 2)], subtotal: "2.469", total: "2.469" },
  ])("$name", async ({ currency, items, subtotal, total }) => {
    const { order } = await clients.orders.createOrder({ customerId, currency, items });
    expect(order?.subtotal).toBe(subtotal);
    expect(order?.total).toBe(total);
  });

  it("sums line taxes into tax_total unless the request overrides it", async () => {
    const items = [line("10.00", 1, { taxAmount: "0.80" }), line("5.00", 2, { taxAmount: "0.85" })];
    const summed = await clients.orders.createOrder({
      customerId,
      items,
      shippingTotal: "4.99",
      discountTotal: "1.00",
    });
    expect(summed.order).toMatchObject({ subtotal: "20.00", taxTotal: "1.65", total: "25.64" });
    expect(summed.order?.items.map((i) => i.taxAmount)).toEqual(["0.80", "0.85"]);
    const overridden = await clients.orders.createOrder({ customerId, items, taxTotal: "2.00" });
    expect(overridden.order).toMatchObject({ subtotal: "20.00", taxTotal: "2.00", total: "22.00" });
  });

  it("accepts a discount equal to everything else (total 0.00)", async () => {
    const { order } = await clients.orders.createOrder({
      customerId,
      items: [line("10.00")],
      shippingTotal: "5.00",
      discountTotal: "15.00",
    });
    expect(order?.total).toBe("0.00");
  });

  it("accepts 500 items and totals them exactly", async () => {
    const items = Array.from({ length: 500 }, (_, i) => line("0.01", i + 1));
    const { order } = await clients.orders.createOrder({ customerId, items });
    expect(order?.items).toHaveLength(500);
    expect(order?.subtotal).toBe("1252.50"); // 0.01 x (1 + 2 + ... + 500)
    expect(order?.items[499]?.lineTotal).toBe("5.00");
  });
});

describe("order contents", () => {
  it("keeps addresses, notes, metadata, ids and copies the customer's default addresses when none are given", async () => {
    const clients = clientsFor("connect-json-http1", service.url, tenant.key);
    const home = { name: "Ada", line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" };
    const { customer } = await clients.customers.createCustomer({
      email: `defaults-${Date.now()}@example.com`,
      name: "Ada",
      defaultShippingAddress: home,
      defaultBillingAddress: { ...home, line1: "2 Billing Rd" },
    });
    const customerId = customer?.id ?? "";
    const copied = await clients.orders.createOrder({
      customerId,
      items: [{ sku: "A", name: "A", unitPrice: "1.00", description: "blue" }],
      customerNote: "leave at door",
      internalNote: "vip",
      propertyId: "store-eu",
      orderNumber: `PO-${Date.now()}`,
      metadata: { source: "test", "crm.ref": "42" },
    });
    expect(copied.order?.shippingAddress).toMatchObject(home);
    expect(copied.order?.billingAddress?.line1).toBe("2 Billing Rd");
    expect(copied.order).toMatchObject({
      customerNote: "leave at door",
      internalNote: "vip",
      propertyId: "store-eu",
      metadata: { source: "test", "crm.ref": "42" },
    });
    expect(copied.order?.items[0]).toMatchObject({ sku: "A", productId: "", description: "blue" });
    expect(copied.order?.orderNumber).toMatch(/^PO-/);

    const own = await clients.orders.createOrder({
      customerId,
      items: [{ sku: "A", name: "A" }],
      shippingAddress: { line1: "9 Other Ave", country: "DE" },
    });
    expect(own.order?.shippingAddress?.line1).toBe("9 Other Ave");
    expect(own.order?.items[0]).toMatchObject({ quantity: 1, unitPrice: "0.00", lineTotal: "0.00" });
    expect(own.order?.channel).toBe(Channel.ADMIN);
  });
});
