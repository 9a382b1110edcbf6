import { toBinary } from "@bufbuild/protobuf";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderStatus, PaymentStatus } from "../../gen/orders/v1/order_pb.js";
import { CancelOrderResponseSchema, RecordPaymentResponseSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf, placeOrder } from "./support/order-fixtures.js";

let service: TestService;
let tenant: TestTenant;
let clients: Clients;
let json: Clients;
let customerId: string;
let db: pg.Pool;

beforeAll(async () => {
  service = await startTestService({ databasePoolMax: 10 });
  tenant = await service.newTenant();
  clients = clientsFor("grpc-http2", service.url, tenant.key);
  json = clientsFor("connect-json-http1", service.url, tenant.key);
  customerId = await createCustomerId(clients);
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.shutdown();
});

/** Outbox rows of an order by type, in sequence order. */
async function eventsOf(orderId: string): Promise<{ type: string; sequence: number }[]> {
  const { rows } = await db.query<{ type: string; sequence: number }>(
    "select event_type as type, aggregate_sequence as sequence from outbox_events where aggregate_id = $1 order by aggregate_sequence",
    [orderId],
  );
  return rows;
}

async function historyCount(orderId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from order_history_entries where order_id = $1",
    [orderId],
  );
  return rows[0]?.n ?? -1;
}

/** Settles every call and splits the results: answers, and the errors a client would see. */
async function settle(calls: Promise<unknown>[]) {
  const results = await Promise.allSettled(calls);
  const fulfilled = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const rejected = results.flatMap((r) => (r.status === "rejected" ? [observedError(r.reason)] : []));
  return { fulfilled, rejected };
}

describe("concurrent transitions of one order", () => {
  it("two cancels at once: one succeeds, the other is INVALID_TRANSITION; one history entry, one event", async () => {
    for (let round = 0; round < 5; round++) {
      const order = await placeOrder(clients, customerId);
      const { fulfilled, rejected } = await settle([
        clients.orders.cancelOrder({ id: order.id }),
        json.orders.cancelOrder({ id: order.id }),
      ]);
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toEqual([
        expect.objectContaining({ code: Code.FailedPrecondition, reason: "INVALID_TRANSITION" }),
      ]);
      expect(await historyCount(order.id)).toBe(1);
      expect(await eventsOf(order.id)).toEqual([
        { type: "order.created", sequence: 1 },
        { type: "order.canceled", sequence: 2 },
      ]);
    }
  });

  it("cancel against fulfil: exactly one wins, and the order ends in the winner's status", async () => {
    for (let round = 0; round < 8; round++) {
      const order = await placeOrder(clients, customerId);
      const [canceled, fulfilled] = await Promise.allSettled([
        clients.orders.cancelOrder({ id: order.id }),
        json.orders.fulfillOrder({ id: order.id, carrier: "DHL" }),
      ]);
      expect([canceled.status, fulfilled.status].sort()).toEqual(["fulfilled", "rejected"]);
      const final = orderOf(await clients.orders.getOrder({ id: order.id }));
      expect(final.status).toBe(canceled.status === "fulfilled" ? OrderStatus.CANCELED : OrderStatus.FULFILLED);
      expect(final.history).toHaveLength(1);
      expect((await eventsOf(order.id)).map((e) => e.sequence)).toEqual([1, 2]);
    }
  });

  it("ten concurrent payments of 3.00 on 10.00: three succeed, the rest exceed the balance; paid stays exact", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    const { fulfilled, rejected } = await settle(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? json : clients).orders.recordPayment({ id: order.id, amount: "3.00" }),
      ),
    );
    expect(fulfilled).toHaveLength(3);
    expect(new Set(rejected.map((e) => e.reason))).toEqual(new Set(["PAYMENT_EXCEEDS_BALANCE"]));
    const final = orderOf(await clients.orders.getOrder({ id: order.id }));
    expect(final).toMatchObject({ paidTotal: "9.00", paymentStatus: PaymentStatus.PARTIALLY_PAID, eventSequence: 4 });
    expect(final.history.map((h) => h.amount)).toEqual(["3.00", "3.00", "3.00"]);
    expect((await eventsOf(order.id)).map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
  });

  it("two writers with the same etag: one wins, the other is ABORTED", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    const { fulfilled, rejected } = await settle([
      clients.orders.recordPayment({ id: order.id, amount: "1.00", etag: order.etag }),
      json.orders.updateOrder({
        order: { id: order.id, etag: order.etag, customerNote: "hi" },
        updateMask: { paths: ["customer_note"] },
      }),
    ]);
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toEqual([expect.objectContaining({ code: Code.Aborted, reason: "ETAG_MISMATCH" })]);
  });
});

describe("retries with request_id", () => {
  it("a retried cancel gets the first answer again, with no second change or event", async () => {
    const order = await placeOrder(clients, customerId);
    const requestId = crypto.randomUUID();
    const first = await clients.orders.cancelOrder({ id: order.id, requestId, reason: "dup" });
    const again = await json.orders.cancelOrder({ id: order.id, requestId, reason: "dup" });
    expect(toBinary(CancelOrderResponseSchema, again)).toEqual(toBinary(CancelOrderResponseSchema, first));
    expect(await historyCount(order.id)).toBe(1);
    expect((await eventsOf(order.id)).map((e) => e.type)).toEqual(["order.created", "order.canceled"]);
  });

  it("a retried payment is recorded once, even after later changes and with the stale etag it carried", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    const request = { id: order.id, amount: "4.00", etag: order.etag, requestId: crypto.randomUUID() };
    const first = await clients.orders.recordPayment(request);
    await clients.orders.recordPayment({ id: order.id, amount: "1.00" });
    const again = await clients.orders.recordPayment(request);
    expect(again).toEqual(first);
    expect(orderOf(await clients.orders.getOrder({ id: order.id })).paidTotal).toBe("5.00");
  });

  it("ten concurrent identical payments give one payment and ten identical answers", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    const request = { id: order.id, amount: "7.00", requestId: crypto.randomUUID(), etag: order.etag };
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? json : clients).orders.recordPayment(request)),
    );
    const encoded = new Set(
      answers.map((a) => Buffer.from(toBinary(RecordPaymentResponseSchema, a)).toString("base64")),
    );
    expect(encoded.size).toBe(1);
    expect(orderOf(await clients.orders.getOrder({ id: order.id })).paidTotal).toBe("7.00");
    expect(await historyCount(order.id)).toBe(1);
    expect((await eventsOf(order.id)).map((e) => e.type)).toEqual(["order.created", "order.paid"]);
  });

  it("the same request_id with a different request is ALREADY_EXISTS IDEMPOTENCY_KEY_REUSED", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    const requestId = crypto.randomUUID();
    await clients.orders.recordPayment({ id: order.id, amount: "1.00", requestId });
    expect(await rejectionOf(clients.orders.recordPayment({ id: order.id, amount: "2.00", requestId }))).toMatchObject({
      code: Code.AlreadyExists,
      reason: "IDEMPOTENCY_KEY_REUSED",
    });
    // ...also when it was used by another method
    expect(await rejectionOf(clients.orders.cancelOrder({ id: order.id, requestId }))).toMatchObject({
      reason: "IDEMPOTENCY_KEY_REUSED",
    });
    expect(orderOf(await clients.orders.getOrder({ id: order.id })).paidTotal).toBe("1.00");
  });

  it("a refused call does not burn its request_id", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    const requestId = crypto.randomUUID();
    expect(await rejectionOf(clients.orders.refundOrder({ id: order.id, requestId }))).toMatchObject({
      reason: "INVALID_TRANSITION",
    });
    await clients.orders.recordPayment({ id: order.id, amount: "10.00" });
    expect(orderOf(await clients.orders.refundOrder({ id: order.id, requestId })).paymentStatus).toBe(
      PaymentStatus.REFUNDED,
    );
  });
});
