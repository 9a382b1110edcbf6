import { toBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateOrderResponseSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

let service: TestService;
let tenant: TestTenant;
let clients: Clients;
let customerId: string;
let db: pg.Pool;

beforeAll(async () => {
  service = await startTestService({ databasePoolMax: 10 });
  tenant = await service.newTenant();
  clients = clientsFor("grpc-http2", service.url, tenant.key);
  customerId = await createCustomerId(clients);
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.shutdown();
});

describe("idempotency (request_id, AIP-155)", () => {
  it("20 concurrent identical calls give one order, one event and 20 identical answers", async () => {
    const requestId = crypto.randomUUID();
    const request = { ...seedOrderRequest(customerId), requestId, metadata: { a: "1", b: "2" } };
    // Half over gRPC/HTTP/2, half over Connect JSON/HTTP/1.1: the fingerprint must not depend on the encoding.
    const json = clientsFor("connect-json-http1", service.url, tenant.key);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? clients : json).orders.createOrder(request)),
    );
    const encoded = new Set(
      responses.map((r) => Buffer.from(toBinary(CreateOrderResponseSchema, r)).toString("base64")),
    );
    expect(encoded.size).toBe(1);
    const rows = await db.query("select id from orders where tenant_id = $1 and request_id = $2", [
      tenant.tenantId,
      requestId,
    ]);
    expect(rows.rows).toHaveLength(1);
    const events = await db.query<{ count: string }>("select count(*) from outbox_events where aggregate_id = $1", [
      responses[0]?.order?.id,
    ]);
    expect(Number(events.rows[0]?.count)).toBe(1);
  });

  it("a retry after completion returns the stored answer, also with map entries in another order", async () => {
    const requestId = crypto.randomUUID();
    const first = await clients.orders.createOrder({
      ...seedOrderRequest(customerId),
      requestId,
      metadata: { a: "1", b: "2" },
    });
    const again = await clients.orders.createOrder({
      ...seedOrderRequest(customerId),
      requestId,
      metadata: { b: "2", a: "1" },
    });
    expect(again).toEqual(first);
  });

  it("a request_id is scoped to its tenant", async () => {
    const requestId = crypto.randomUUID();
    const mine = await clients.orders.createOrder({ ...seedOrderRequest(customerId), requestId });
    const other = clientsFor("grpc-http2", service.url, (await service.newTenant()).key);
    const theirs = await other.orders.createOrder({ ...seedOrderRequest(await createCustomerId(other)), requestId });
    expect(theirs.order?.id).not.toBe(mine.order?.id);
  });

  it("a failed call does not burn its request_id", async () => {
    const requestId = crypto.randomUUID();
    await expect(
      clients.orders.createOrder({ ...seedOrderRequest(customerId), requestId, currency: "XYZ" }),
    ).rejects.toThrow();
    const { order } = await clients.orders.createOrder({ ...seedOrderRequest(customerId), requestId, currency: "USD" });
    expect(order?.total).toBe("2316.00");
  });
});

describe("order numbers", () => {
  it("40 concurrent creates in one tenant get unique, increasing numbers", async () => {
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => clients.orders.createOrder(seedOrderRequest(customerId))),
    );
    const numbers = responses.map((r) => Number(r.order?.orderNumber));
    expect(new Set(numbers).size).toBe(40);
    expect(numbers.every((n) => Number.isInteger(n) && n >= 1001)).toBe(true);
    const byTime = await db.query(
      "select order_number from orders where tenant_id = $1 order by order_number::bigint",
      [tenant.tenantId],
    );
    expect(byTime.rows.length).toBeGreaterThanOrEqual(40);
  });

  it("a generated number never collides with an override that took it first", async () => {
    const fresh = await service.newTenant();
    const c = clientsFor("grpc-http2", service.url, fresh.key);
    const id = await createCustomerId(c);
    await c.orders.createOrder({ ...seedOrderRequest(id), orderNumber: "1001" });
    const { order } = await c.orders.createOrder(seedOrderRequest(id));
    expect(order?.orderNumber).toBe("1002");
  });

  it("a call refused for its customer or its input takes no number", async () => {
    const fresh = await service.newTenant();
    const c = clientsFor("grpc-http2", service.url, fresh.key);
    const id = await createCustomerId(c);
    await expect(c.orders.createOrder(seedOrderRequest(crypto.randomUUID()))).rejects.toMatchObject({
      code: Code.NotFound,
    });
    await expect(c.orders.createOrder({ ...seedOrderRequest(id), currency: "XYZ" })).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });
    const { order } = await c.orders.createOrder(seedOrderRequest(id));
    expect(order?.orderNumber).toBe("1001");
  });
});
