import { create } from "@bufbuild/protobuf";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateOrderRequestSchema } from "../../../gen/orders/v1/orders_service_pb.js";
import { UNSTORABLE_TEXT_REASON, unstorableText } from "../../../src/platform/transport/storable-text.js";
import { clientsFor, PROTOCOLS } from "../../support/clients.js";
import { testDatabaseUrl } from "../../support/database.js";
import { Code, rejectionOf } from "../../support/errors.js";
import { createCustomerId, seedOrderRequest } from "../../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";

describe("unstorableText", () => {
  const valid = {
    customerId: "00000000-0000-4000-8000-000000000000",
    items: [{ sku: "S", name: "Nut 😀 e\u0301 ナット" }],
    metadata: { k: "v" },
    shippingAddress: { line1: "1 Dock Road" },
  };

  it("accepts any other text, astral characters and combining marks included", () => {
    expect(unstorableText(CreateOrderRequestSchema, create(CreateOrderRequestSchema, valid))).toEqual([]);
  });

  it.each([
    ["a top-level string", { customerNote: "a\u0000b" }, "customer_note"],
    ["a nested message", { shippingAddress: { line1: "\u0000" } }, "shipping_address.line1"],
    [
      "a repeated message",
      {
        items: [
          { sku: "S", name: "ok" },
          { sku: "S", name: "x\u0000" },
        ],
      },
      "items[1].name",
    ],
    ["a map value", { metadata: { k: "\u0000x" } }, 'metadata["k"]'],
    ["a map key", { metadata: { "a\u0000": "v" } }, 'metadata["a\\u0000"]'],
  ])("finds NUL in %s", (_, override, field) => {
    const violations = unstorableText(
      CreateOrderRequestSchema,
      create(CreateOrderRequestSchema, { ...valid, ...override }),
    );
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any
    expect(violations).toEqual([{ field, reason: UNSTORABLE_TEXT_REASON, description: expect.stringMatching(/NUL/) }]);
  });
});

describe("strings PostgreSQL cannot store (found by the fault suite's fuzzer)", () => {
  let service: TestService;
  let tenant: TestTenant;
  let customerId: string;
  let db: pg.Pool;

  beforeAll(async () => {
    service = await startTestService();
    tenant = await service.newTenant();
    customerId = await createCustomerId(clientsFor("grpc-http2", service.url, tenant.key));
    db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 });
  });
  afterAll(async () => {
    await ifSetUp(db)?.end();
    await ifSetUp(service)?.shutdown();
  });

  // Before the fix a NUL in metadata reached the jsonb column and failed the INSERT: INTERNAL.
  it.each(PROTOCOLS)("NUL in metadata is INVALID_ARGUMENT and writes nothing, over %s", async (protocol) => {
    const clients = clientsFor(protocol, service.url, tenant.key);
    const requestId = crypto.randomUUID();
    const error = await rejectionOf(
      clients.orders.createOrder({ ...seedOrderRequest(customerId), requestId, metadata: { k: "a\u0000b" } }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toEqual([{ field: 'metadata["k"]', reason: UNSTORABLE_TEXT_REASON }]);
    const rows = await db.query("select 1 from orders where request_id = $1", [requestId]);
    expect(rows.rowCount).toBe(0);
  });

  it("NUL in a customer's name (a text column) is INVALID_ARGUMENT too", async () => {
    const clients = clientsFor("connect-json-http1", service.url, tenant.key);
    const error = await rejectionOf(
      clients.customers.createCustomer({ email: `nul-${crypto.randomUUID()}@example.com`, name: "Ada\u0000" }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toEqual([{ field: "name", reason: UNSTORABLE_TEXT_REASON }]);
  });

  it("NUL in a line's sku is INVALID_ARGUMENT naming the line", async () => {
    const clients = clientsFor("connect-json-http1", service.url, tenant.key);
    const request = seedOrderRequest(customerId);
    const error = await rejectionOf(
      clients.orders.createOrder({
        ...request,
        items: [request.items[0], { sku: "\u0000", name: "x" }] as typeof request.items,
      }),
    );
    expect(error.violations).toEqual([{ field: "items[1].sku", reason: UNSTORABLE_TEXT_REASON }]);
  });
});
