import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsFor, PROTOCOLS, type Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

let service: TestService;
let tenant: TestTenant;
let editor: Clients;
let customerId: string;
let db: pg.Pool;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  editor = clientsFor("connect-json-http1", service.url, tenant.key);
  customerId = await createCustomerId(editor);
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.shutdown();
});

const ordersOf = async (tenantId: string) =>
  Number(
    (await db.query<{ count: string }>("select count(*) from orders where tenant_id = $1", [tenantId])).rows[0]?.count,
  );

describe("authentication: UNAUTHENTICATED (HTTP 401)", () => {
  it.each(PROTOCOLS)("missing, malformed and unknown keys over %s", async (protocol) => {
    for (const key of [
      undefined,
      "not-a-key",
      "sk_live_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ]) {
      const error = await rejectionOf(
        clientsFor(protocol, service.url, key).orders.createOrder(seedOrderRequest(customerId)),
      );
      expect(error.code).toBe(Code.Unauthenticated);
      expect(error.reason).toBe("INVALID_API_KEY");
    }
  });

  it("a key with a wrong secret, a revoked and an expired key", async () => {
    const wrongSecret = tenant.key.slice(0, -4) + (tenant.key.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(
      (await rejectionOf(clientsFor("grpc-http2", service.url, wrongSecret).orders.getOrder({ id: customerId })))
        .reason,
    ).toBe("INVALID_API_KEY");

    const revoked = await tenant.issueKey({ role: "editor" });
    const { revokeApiKey } = await import("../../src/admin/tenants.js");
    await revokeApiKey(service.orm.em.fork(), revoked.keyId);
    const revokedError = await rejectionOf(
      clientsFor("grpc-http2", service.url, revoked.key).orders.createOrder(seedOrderRequest(customerId)),
    );
    expect(revokedError).toMatchObject({ code: Code.Unauthenticated, reason: "API_KEY_REVOKED" });

    const expired = await tenant.issueKey({ role: "editor", expiresAt: new Date(Date.now() - 1000) });
    const expiredError = await rejectionOf(
      clientsFor("grpc-http2", service.url, expired.key).orders.createOrder(seedOrderRequest(customerId)),
    );
    expect(expiredError).toMatchObject({ code: Code.Unauthenticated, reason: "API_KEY_EXPIRED" });
  });

  it("answers 401 on the Connect HTTP wire", async () => {
    const response = await fetch(`${service.url}/orders.v1.OrdersService/CreateOrder`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(seedOrderRequest(customerId)),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "unauthenticated" });
  });
});

describe("authorization: PERMISSION_DENIED (HTTP 403)", () => {
  it("a viewer key cannot create orders or customers but can read", async () => {
    const { key } = await tenant.issueKey({ role: "viewer" });
    const viewer = clientsFor("connect-json-http1", service.url, key);
    const error = await rejectionOf(viewer.orders.createOrder(seedOrderRequest(customerId)));
    expect(error).toMatchObject({
      code: Code.PermissionDenied,
      reason: "ROLE_REQUIRED",
      metadata: { requiredRole: "editor" },
    });
    expect((await rejectionOf(viewer.customers.createCustomer({ email: "v@example.com", name: "V" }))).reason).toBe(
      "ROLE_REQUIRED",
    );
    expect((await viewer.customers.getCustomer({ id: customerId })).customer?.id).toBe(customerId);
  });

  it("a tenant with the orders module off gets MODULE_DISABLED", async () => {
    const off = await service.newTenant({ ordersEnabled: false });
    const error = await rejectionOf(
      clientsFor("grpc-web-http1", service.url, off.key).orders.createOrder(seedOrderRequest(customerId)),
    );
    expect(error).toMatchObject({ code: Code.PermissionDenied, reason: "MODULE_DISABLED" });
  });
});

describe("NOT_FOUND (HTTP 404)", () => {
  it("an unknown customer and another tenant's customer look the same", async () => {
    const other = await service.newTenant();
    const theirCustomer = await createCustomerId(clientsFor("grpc-http2", service.url, other.key));
    for (const id of [crypto.randomUUID(), theirCustomer]) {
      const error = await rejectionOf(editor.orders.createOrder(seedOrderRequest(id)));
      expect(error).toMatchObject({ code: Code.NotFound, reason: "CUSTOMER_NOT_FOUND", metadata: { customerId: id } });
    }
  });

  it("another tenant's order and customer are not found by id", async () => {
    const { order } = await editor.orders.createOrder(seedOrderRequest(customerId));
    const other = clientsFor("grpc-http2", service.url, (await service.newTenant()).key);
    expect(await rejectionOf(other.orders.getOrder({ id: order?.id ?? "" }))).toMatchObject({
      code: Code.NotFound,
      reason: "ORDER_NOT_FOUND",
    });
    expect(await rejectionOf(other.customers.getCustomer({ id: customerId }))).toMatchObject({
      code: Code.NotFound,
      reason: "CUSTOMER_NOT_FOUND",
    });
  });
});

describe("INVALID_ARGUMENT (HTTP 400) with one field violation per problem", () => {
  const item = { sku: "S", name: "N", unitPrice: "1.00", quantity: 1 };
  it.each([
    { name: "no items", request: { items: [] }, violations: [["items", "REPEATED_MIN_ITEMS"]] },
    {
      name: "a line naming no item at index 3",
      request: { items: [item, item, item, { ...item, sku: "" }] },
      violations: [["items[3]", "ITEM_REFERENCE_REQUIRED"]],
    },
    {
      name: "a line naming its item twice",
      request: { items: [{ ...item, variantId: "0c7b1a2d-4e5f-4a6b-9c8d-2e1f0a9b8c7d" }] },
      violations: [["items[0]", "ITEM_REFERENCE_AMBIGUOUS"]],
    },
    {
      name: "zero quantity",
      request: { items: [{ ...item, quantity: 0 }] },
      violations: [["items[0].quantity", "INT32_GT_LTE"]],
    },
    {
      name: "negative price",
      request: { items: [{ ...item, unitPrice: "-1.00" }] },
      violations: [["items[0].unit_price", "INVALID_DECIMAL"]],
    },
    {
      name: "five fraction digits",
      request: { items: [{ ...item, unitPrice: "1.00001" }] },
      violations: [["items[0].unit_price", "INVALID_DECIMAL"]],
    },
    {
      name: "exponent, NaN and spaces",
      request: {
        items: [
          { ...item, unitPrice: "1e9999" },
          { ...item, unitPrice: "NaN" },
          { ...item, unitPrice: " 1" },
        ],
      },
      violations: [
        ["items[0].unit_price", "INVALID_DECIMAL"],
        ["items[1].unit_price", "INVALID_DECIMAL"],
        ["items[2].unit_price", "INVALID_DECIMAL"],
      ],
    },
    {
      name: "bad product id",
      request: { items: [{ ...item, productId: "nope" }] },
      violations: [["items[0].product_id", "STRING_UUID"]],
    },
    {
      name: "unknown currency",
      request: { items: [item], currency: "XYZ" },
      violations: [["currency", "UNKNOWN_CURRENCY"]],
    },
    {
      name: "lower-case currency",
      request: { items: [item], currency: "usd" },
      violations: [["currency", "INVALID_CURRENCY_CODE"]],
    },
    {
      name: "cents on a JPY shipping total",
      request: { items: [item], currency: "JPY", shippingTotal: "5.50" },
      violations: [["shipping_total", "TOO_MANY_FRACTION_DIGITS"]],
    },
    {
      name: "sub-cent line tax",
      request: { items: [{ ...item, taxAmount: "0.001" }] },
      violations: [["items[0].tax_amount", "TOO_MANY_FRACTION_DIGITS"]],
    },
    {
      name: "discount larger than the rest",
      request: { items: [item], discountTotal: "1.01" },
      violations: [["discount_total", "DISCOUNT_EXCEEDS_TOTAL"]],
    },
    {
      name: "unknown country",
      request: { items: [item], shippingAddress: { line1: "x", country: "ZZ" } },
      violations: [["shipping_address.country", "UNKNOWN_COUNTRY"]],
    },
    {
      name: "address without line1",
      request: { items: [item], billingAddress: { country: "US" } },
      violations: [["billing_address.line1", "REQUIRED"]],
    },
    {
      name: "bad request_id",
      request: { items: [item], requestId: "123" },
      violations: [["request_id", "STRING_UUID"]],
    },
    {
      name: "bad order number",
      request: { items: [item], orderNumber: "no spaces allowed" },
      violations: [["order_number", "INVALID_ORDER_NUMBER"]],
    },
    {
      name: "too many metadata pairs",
      request: { items: [item], metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) },
      violations: [["metadata", "MAP_MAX_PAIRS"]],
    },
  ])("$name", async ({ request, violations }) => {
    const before = await ordersOf(tenant.tenantId);
    const error = await rejectionOf(editor.orders.createOrder({ customerId, ...request }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toEqual(violations.map(([field, reason]) => ({ field, reason })));
    expect(await ordersOf(tenant.tenantId)).toBe(before);
  });

  it("rejects 501 items", async () => {
    const error = await rejectionOf(
      editor.orders.createOrder({ customerId, items: Array.from({ length: 501 }, () => item) }),
    );
    expect(error).toMatchObject({ code: Code.InvalidArgument, violations: [{ field: "items" }] });
  });

  it("a missing customer_id and a non-UUID one", async () => {
    expect((await rejectionOf(editor.orders.createOrder({ items: [item] }))).violations.map((v) => v.field)).toEqual([
      "customer_id",
    ]);
    expect(
      (await rejectionOf(editor.orders.createOrder({ customerId: "42", items: [item] }))).violations.map(
        (v) => v.field,
      ),
    ).toEqual(["customer_id"]);
  });

  it("answers 400 on the Connect HTTP wire", async () => {
    const response = await fetch(`${service.url}/orders.v1.OrdersService/CreateOrder`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tenant.key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ customerId, items: [] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "invalid_argument" });
  });
});

describe("ALREADY_EXISTS (HTTP 409)", () => {
  it("an order number already used in the tenant, but free in another tenant", async () => {
    const orderNumber = `X-${Date.now()}`;
    await editor.orders.createOrder({ ...seedOrderRequest(customerId), orderNumber });
    const error = await rejectionOf(editor.orders.createOrder({ ...seedOrderRequest(customerId), orderNumber }));
    expect(error).toMatchObject({ code: Code.AlreadyExists, reason: "ORDER_NUMBER_TAKEN" });
    const other = clientsFor("grpc-http2", service.url, (await service.newTenant()).key);
    const { order } = await other.orders.createOrder({
      ...seedOrderRequest(await createCustomerId(other)),
      orderNumber,
    });
    expect(order?.orderNumber).toBe(orderNumber);
  });

  it("a request_id reused with a different request", async () => {
    const requestId = crypto.randomUUID();
    await editor.orders.createOrder({ ...seedOrderRequest(customerId), requestId });
    const error = await rejectionOf(
      editor.orders.createOrder({ ...seedOrderRequest(customerId), requestId, customerNote: "changed" }),
    );
    expect(error).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("a customer e-mail already used in the tenant, regardless of case", async () => {
    const email = `Dup-${Date.now()}@Example.com`;
    await editor.customers.createCustomer({ email, name: "A" });
    const error = await rejectionOf(editor.customers.createCustomer({ email: email.toLowerCase(), name: "B" }));
    expect(error).toMatchObject({ code: Code.AlreadyExists, reason: "CUSTOMER_EMAIL_TAKEN" });
  });
});
