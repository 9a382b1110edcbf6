import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Channel, OrderStatus, PaymentStatus } from "../../gen/orders/v1/order_pb.js";
import { clientsFor, PROTOCOLS } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(() => ifSetUp(service)?.shutdown());

/** An order exercising every priced part: rounding, line tax, shipping, discount, an address. */
function richOrder(customerId: string) {
  return {
    customerId,
    currency: "USD",
    channel: Channel.STOREFRONT,
    items: [
      { sku: "INJ-6.7-CR", name: "6.7L Common-Rail Injector", quantity: 8, unitPrice: "289.50", taxAmount: "185.28" },
      { sku: "SEAL-KIT", name: "Seal kit", quantity: 3, unitPrice: "12.3333" },
    ],
    shippingTotal: "15.00",
    discountTotal: "10.00",
    shippingAddress: { line1: "1 Main St", city: "Springfield", country: "US" },
    customerNote: "leave at the door",
    metadata: { cart: "c-42" },
  };
}

/** Rows the tenant has in the tables CreateOrder writes, and its order-number counter. */
async function writtenRows(tenantId: string) {
  const connection = service.orm.em.fork().getConnection();
  const count = async (sql: string) => Number((await connection.execute<{ n: string }[]>(sql, [tenantId]))[0]?.n);
  return {
    orders: await count("select count(*) as n from orders where tenant_id = ?"),
    lines: await count("select count(*) as n from order_lines where tenant_id = ?"),
    events: await count("select count(*) as n from outbox_events where tenant_id = ?"),
    numbers: await count("select count(*) as n from order_number_counters where tenant_id = ?"),
  };
}

describe("PreviewOrder", () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await service.newTenant();
  });

  it.each(PROTOCOLS)("prices exactly as CreateOrder then does, over %s", async (protocol) => {
    const clients = clientsFor(protocol, service.url, tenant.key);
    const request = richOrder(await createCustomerId(clients));

    const { order: preview } = await clients.orders.previewOrder({ order: request });
    const { order: created } = await clients.orders.createOrder(request);
    if (!preview || !created) throw new Error("no order returned");

    expect(preview.total).toBe("2543.28");
    // Everything the request decides is the same; what only creation decides is empty.
    expect({ ...preview, id: created.id, orderNumber: created.orderNumber, items: [], etag: created.etag }).toEqual({
      ...created,
      items: [],
      status: OrderStatus.UNSPECIFIED,
      paymentStatus: PaymentStatus.UNSPECIFIED,
      createTime: undefined,
      updateTime: undefined,
      placedTime: undefined,
      history: [],
      eventSequence: 0,
    });
    expect(preview.items.map((item) => ({ ...item, id: "" }))).toEqual(
      created.items.map((item) => ({ ...item, id: "" })),
    );
    expect(preview.items.map((item) => item.id)).toEqual(["", ""]);
    expect(preview.id).toBe("");
    expect(preview.orderNumber).toBe("");
    expect(created.status).toBe(OrderStatus.PLACED);
    expect(created.paymentStatus).toBe(PaymentStatus.UNPAID);
  });

  it("leaves out what only creation decides, as PreviewOrderResponse promises, on the Connect JSON wire", async () => {
    const clients = clientsFor("connect-json-http1", service.url, tenant.key);
    const response = await fetch(`${service.url}/orders.v1.OrdersService/PreviewOrder`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${tenant.key}` },
      body: JSON.stringify({
        order: {
          customerId: await createCustomerId(clients),
          items: [{ sku: "INJ-6.7-CR", name: "Injector", quantity: 8, unitPrice: "289.50" }],
        },
      }),
    });
    expect(response.status).toBe(200);
    const { order } = (await response.json()) as { order: Record<string, unknown> };
    expect(order["total"]).toBe("2316.00");
    for (const field of [
      "id",
      "orderNumber",
      "status",
      "paymentStatus",
      "etag",
      "createTime",
      "updateTime",
      "placedTime",
      "history",
      "eventSequence",
    ]) {
      expect(order, field).not.toHaveProperty(field);
    }
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any
    expect(order["items"]).toEqual([expect.not.objectContaining({ id: expect.anything() })]);
  });

  it("leaves the status and payment status empty for an import too, and keeps its placed time", async () => {
    const admin = clientsFor("grpc-http2", service.url, (await tenant.issueKey({ role: "admin" })).key);
    const placedTime = timestampFromDate(new Date("2024-03-01T12:00:00Z"));
    const { order } = await admin.orders.previewOrder({
      order: {
        ...richOrder(await createCustomerId(admin)),
        channel: Channel.IMPORT,
        importDetails: { placedTime, status: OrderStatus.DELIVERED, paymentStatus: PaymentStatus.PAID },
      },
    });
    expect(order).toMatchObject({
      status: OrderStatus.UNSPECIFIED,
      paymentStatus: PaymentStatus.UNSPECIFIED,
      paidTotal: "2543.28",
      placedTime,
    });
  });

  it("writes nothing: no order, line, event or order number", async () => {
    const fresh = await service.newTenant();
    const clients = clientsFor("connect-json-http1", service.url, fresh.key);
    const customerId = await createCustomerId(clients);
    const before = await writtenRows(fresh.tenantId);
    for (let i = 0; i < 3; i++)
      await clients.orders.previewOrder({ order: { ...richOrder(customerId), requestId: crypto.randomUUID() } });
    expect(await writtenRows(fresh.tenantId)).toEqual(before);
    // The sequence was not touched: the first real order still gets the first number.
    const { order } = await clients.orders.createOrder(richOrder(customerId));
    expect(order?.orderNumber).toBe("1001");
  });

  it("returns the order number a request overrides, and the customer's default addresses", async () => {
    const clients = clientsFor("grpc-http2", service.url, tenant.key);
    const { customer } = await clients.customers.createCustomer({
      email: `defaults-${Date.now()}@example.com`,
      name: "Dee Faults",
      defaultBillingAddress: { line1: "9 Billing Rd", country: "DE" },
    });
    const { order } = await clients.orders.previewOrder({
      order: { customerId: customer?.id ?? "", orderNumber: "PO-7", items: [{ sku: "A-1", name: "Widget" }] },
    });
    expect(order?.orderNumber).toBe("PO-7");
    expect(order?.billingAddress?.line1).toBe("9 Billing Rd");
    expect(order?.shippingAddress).toBeUndefined();
    expect(order?.total).toBe("0.00");
    expect(order?.channel).toBe(Channel.ADMIN);
  });

  it("needs only a viewer key", async () => {
    const viewer = await tenant.issueKey({ role: "viewer" });
    const editorClients = clientsFor("connect-json-http1", service.url, tenant.key);
    const viewerClients = clientsFor("connect-json-http1", service.url, viewer.key);
    const request = richOrder(await createCustomerId(editorClients));
    const { order } = await viewerClients.orders.previewOrder({ order: request });
    expect(order?.total).toBe("2543.28");
    expect((await rejectionOf(viewerClients.orders.createOrder(request))).reason).toBe("ROLE_REQUIRED");
  });

  it("refuses to preview an import without an admin key, as CreateOrder does", async () => {
    const viewer = await tenant.issueKey({ role: "viewer" });
    const editorClients = clientsFor("connect-json-http1", service.url, tenant.key);
    const importRequest = { ...richOrder(await createCustomerId(editorClients)), channel: Channel.IMPORT };
    for (const key of [viewer.key, tenant.key]) {
      const error = await rejectionOf(
        clientsFor("grpc-http2", service.url, key).orders.previewOrder({ order: importRequest }),
      );
      expect(error).toMatchObject({
        code: Code.PermissionDenied,
        reason: "ROLE_REQUIRED",
        metadata: { requiredRole: "admin" },
      });
    }
  });

  it("rejects calls without a valid key, and tenants with the orders module off", async () => {
    const anonymous = clientsFor("connect-json-http1", service.url, undefined);
    expect(await rejectionOf(anonymous.orders.previewOrder({ order: richOrder(crypto.randomUUID()) }))).toMatchObject({
      code: Code.Unauthenticated,
      reason: "INVALID_API_KEY",
    });
    const disabled = await service.newTenant({ ordersEnabled: false });
    const clients = clientsFor("connect-json-http1", service.url, disabled.key);
    expect(await rejectionOf(clients.orders.previewOrder({ order: richOrder(crypto.randomUUID()) }))).toMatchObject({
      code: Code.PermissionDenied,
      reason: "MODULE_DISABLED",
    });
  });

  it("reports the contract's and the domain's violations under the order field", async () => {
    const clients = clientsFor("grpc-http2", service.url, tenant.key);
    const customerId = await createCustomerId(clients);

    const contract = await rejectionOf(
      clients.orders.previewOrder({
        order: { ...richOrder(customerId), items: [{ sku: "A-1", name: "Widget", unitPrice: "1.5.0" }] },
      }),
    );
    expect(contract.code).toBe(Code.InvalidArgument);
    expect(contract.violations).toEqual([{ field: "order.items[0].unit_price", reason: "INVALID_DECIMAL" }]);
    // The description is the contract's message for people, not the rule's regex.
    expect(contract.message).toBe(
      "invalid request: order.items[0].unit_price: must be a price written like 12.50: not negative, at most 4 " +
        "decimals, no spaces or thousands separators",
    );

    const domain = await rejectionOf(
      clients.orders.previewOrder({ order: { ...richOrder(customerId), discountTotal: "99999.00" } }),
    );
    expect(domain.code).toBe(Code.InvalidArgument);
    expect(domain.violations.map((v) => v.field)).toEqual(["order.discount_total"]);

    const currency = await rejectionOf(
      clients.orders.previewOrder({ order: { ...richOrder(customerId), currency: "XXQ" } }),
    );
    expect(currency.violations.map((v) => v.field)).toEqual(["order.currency"]);

    const missing = await rejectionOf(clients.orders.previewOrder({}));
    expect(missing.violations).toEqual([{ field: "order", reason: "REQUIRED" }]);
  });

  it("reports a customer of no one (or of another tenant) as NOT_FOUND", async () => {
    const other = await service.newTenant();
    const othersCustomer = await createCustomerId(clientsFor("grpc-http2", service.url, other.key));
    const clients = clientsFor("grpc-http2", service.url, tenant.key);
    for (const customerId of [crypto.randomUUID(), othersCustomer]) {
      expect(await rejectionOf(clients.orders.previewOrder({ order: richOrder(customerId) }))).toMatchObject({
        code: Code.NotFound,
        reason: "CUSTOMER_NOT_FOUND",
        metadata: { customerId },
      });
    }
  });
});
