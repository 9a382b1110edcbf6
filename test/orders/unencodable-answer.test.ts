import { create } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { OrderStatus } from "../../gen/orders/v1/order_pb.js";
import type * as OrderMapper from "../../src/orders/order-mapper.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf, placeOrder } from "./support/order-fixtures.js";

/**
 * A response that cannot be encoded must never follow a committed change (issue 9): the client would see
 * INTERNAL, retry, and find the change made. Today every value the mapper writes is encodable; to stand in
 * for whatever a future field or bug lets through, this file makes the mapper put a year-0 create time
 * (which Connect JSON cannot write) on the orders it maps while `poison.on` is set.
 */
const poison = vi.hoisted(() => ({ on: false }));
vi.mock("../../src/orders/order-mapper.js", async (importOriginal) => {
  const real = await importOriginal<typeof OrderMapper>();
  return {
    ...real,
    orderToMessage: (...args: Parameters<typeof real.orderToMessage>) => {
      const message = real.orderToMessage(...args);
      if (poison.on) message.createTime = create(TimestampSchema, { seconds: -62135596801n });
      return message;
    },
  };
});

let service: TestService;
let db: pg.Pool;
let clients: Clients;
let customerId: string;

beforeAll(async () => {
  service = await startTestService();
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const tenant = await service.newTenant();
  clients = clientsFor("connect-json-http1", service.url, tenant.key);
  customerId = await createCustomerId(clients);
});
afterAll(async () => {
  poison.on = false;
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.shutdown();
});

async function count(sql: string, param: string): Promise<number> {
  return Number((await db.query<{ n: string }>(sql, [param])).rows[0]?.n);
}

describe("an answer that cannot be encoded rolls the change back", () => {
  it("CreateOrder writes no order (the order, its lines and its event are one statement) and no idempotency record", async () => {
    const orderNumber = `UNENCODABLE-${Date.now()}`;
    const requestId = crypto.randomUUID();
    poison.on = true;
    try {
      const error = await rejectionOf(
        clients.orders.createOrder({
          customerId,
          orderNumber,
          requestId,
          items: [{ sku: "A", name: "A", unitPrice: "1.00" }],
        }),
      );
      expect(error).toMatchObject({ code: Code.Internal, reason: "INTERNAL" });
    } finally {
      poison.on = false;
    }
    expect(await count("select count(*) as n from orders where order_number = $1", orderNumber)).toBe(0);
    expect(await count("select count(*) as n from idempotency_records where request_id = $1", requestId)).toBe(0);
  });

  it("a mutation (FulfillOrder) changes nothing and publishes nothing", async () => {
    const order = await placeOrder(clients, customerId);
    const requestId = crypto.randomUUID();
    poison.on = true;
    try {
      expect(await rejectionOf(clients.orders.fulfillOrder({ id: order.id, requestId }))).toMatchObject({
        code: Code.Internal,
        reason: "INTERNAL",
      });
    } finally {
      poison.on = false;
    }
    expect(orderOf(await clients.orders.getOrder({ id: order.id }))).toMatchObject({
      status: OrderStatus.PLACED,
      etag: order.etag,
      eventSequence: 1,
      history: [],
    });
    expect(await count("select count(*) as n from outbox_events where aggregate_id = $1", order.id)).toBe(1);
    expect(await count("select count(*) as n from idempotency_records where request_id = $1", requestId)).toBe(0);
  });
});
