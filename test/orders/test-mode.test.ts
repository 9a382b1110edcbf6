import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Order } from "../../gen/orders/v1/order_pb.js";
import type { Clients } from "../support/clients.js";
import { Code, rejectionOf, type ObservedError } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf, placeOrder } from "./support/order-fixtures.js";

// Test mode (docs/test-mode.md): one tenant, a live and a test key; each key sees, lists and changes
// only the orders of its own mode, and the other mode's orders answer exactly as missing ones do.
let service: InMemoryService;
let live: Clients;
let test: Clients;
let customerId: string;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant("editor", "live");
  live = service.clients(tenant.key);
  test = service.clients(await service.newKey(tenant.tenantId, "editor", "test"));
  // customers are shared configuration: the test key orders for the live key's customer
  customerId = await createCustomerId(live);
});
afterAll(() => ifSetUp(service)?.close());

const MISSING = "00000000-0000-4000-8000-000000000000";

/** The error without the order id it names, to compare one order's NOT_FOUND with a missing order's. */
function withoutId(error: ObservedError, id: string): ObservedError {
  return { ...error, message: error.message.replaceAll(id, "<id>"), metadata: { ...error.metadata, orderId: "<id>" } };
}

describe("orders of the other mode", () => {
  it("a key's orders carry its mode: is_test for a test key's, not for a live key's", async () => {
    expect((await placeOrder(live, customerId)).isTest).toBe(false);
    expect((await placeOrder(test, customerId)).isTest).toBe(true);
  });

  it("GetOrder of the other mode's order is ORDER_NOT_FOUND, as for an order that does not exist", async () => {
    const liveOrder = await placeOrder(live, customerId);
    const testOrder = await placeOrder(test, customerId);
    expect(orderOf(await live.orders.getOrder({ id: liveOrder.id }))).toEqual(liveOrder);
    expect(orderOf(await test.orders.getOrder({ id: testOrder.id }))).toEqual(testOrder);

    for (const [clients, order] of [
      [live, testOrder],
      [test, liveOrder],
    ] as const) {
      const error = await rejectionOf(clients.orders.getOrder({ id: order.id }));
      expect(error).toMatchObject({ code: Code.NotFound, reason: "ORDER_NOT_FOUND", metadata: { orderId: order.id } });
      const missing = await rejectionOf(clients.orders.getOrder({ id: MISSING }));
      expect(withoutId(error, order.id)).toEqual(withoutId(missing, MISSING));
    }
  });

  it("ListOrders never mixes the modes, with or without a filter, on every page", async () => {
    const email = `modes-${crypto.randomUUID()}@example.com`;
    const place = async (clients: Clients) => {
      const { order } = await clients.orders.createOrder({
        email,
        currency: "USD",
        items: [{ sku: "SKU-1", name: "Thing", quantity: 1, unitPrice: "1.00" }],
      });
      return order?.id ?? "";
    };
    const liveIds: string[] = [];
    const testIds: string[] = [];
    // interleaved, so a mixed listing would show
    for (let i = 0; i < 3; i++) {
      liveIds.push(await place(live));
      testIds.push(await place(test));
    }
    const listAll = async (clients: Clients, filter: { email?: string; orderNumber?: string }) => {
      const ids: string[] = [];
      let pageToken = "";
      do {
        const page = await clients.orders.listOrders({ ...filter, pageSize: 2, pageToken });
        ids.push(...page.orders.map((order) => order.id));
        pageToken = page.nextPageToken;
      } while (pageToken);
      return ids;
    };
    expect(await listAll(live, { email })).toEqual(liveIds.toReversed());
    expect(await listAll(test, { email })).toEqual(testIds.toReversed());

    // unfiltered: the newest page of each mode holds only that mode's orders
    const newestLive = await live.orders.listOrders({ pageSize: 50 });
    expect(newestLive.orders.every((order) => !order.isTest)).toBe(true);
    expect(newestLive.orders.map((order) => order.id)).toEqual(expect.arrayContaining(liveIds));
    const newestTest = await test.orders.listOrders({ pageSize: 50 });
    expect(newestTest.orders.every((order) => order.isTest)).toBe(true);
    expect(newestTest.orders.map((order) => order.id)).toEqual(expect.arrayContaining(testIds));

    // by the other mode's order number: nothing
    const testNumber = orderOf(await test.orders.getOrder({ id: testIds[0] ?? "" })).orderNumber;
    expect(await listAll(live, { orderNumber: testNumber })).toEqual([]);
    expect(await listAll(test, { orderNumber: testNumber })).toEqual([testIds[0]]);
  });

  it("a page token of one mode's listing does not continue in the other mode", async () => {
    const email = `tokens-${crypto.randomUUID()}@example.com`;
    for (let i = 0; i < 2; i++) {
      await live.orders.createOrder({
        email,
        currency: "USD",
        items: [{ sku: "SKU-1", name: "Thing", quantity: 1, unitPrice: "1.00" }],
      });
    }
    const { nextPageToken } = await live.orders.listOrders({ email, pageSize: 1 });
    expect(nextPageToken).not.toBe("");
    const error = await rejectionOf(test.orders.listOrders({ email, pageSize: 1, pageToken: nextPageToken }));
    expect(error).toMatchObject({ code: Code.InvalidArgument, violations: [{ field: "page_token" }] });
  });

  // Every change of an order goes through OrderMutations.run (order-mutation.ts), which finds the order in the
  // caller's mode; these are all the changes there are (CapturePayment and VoidPayment, when they land, too).
  const changes: [string, (clients: Clients, order: Order) => Promise<unknown>][] = [
    [
      "UpdateOrder",
      (c, o) =>
        c.orders.updateOrder({ order: { id: o.id, internalNote: "x" }, updateMask: { paths: ["internal_note"] } }),
    ],
    ["FulfillOrder", (c, o) => c.orders.fulfillOrder({ id: o.id, carrier: "UPS" })],
    ["DeliverOrder", (c, o) => c.orders.deliverOrder({ id: o.id })],
    ["CancelOrder", (c, o) => c.orders.cancelOrder({ id: o.id, reason: "x" })],
    ["RecordPayment", (c, o) => c.orders.recordPayment({ id: o.id, amount: "1.00" })],
    ["RefundOrder", (c, o) => c.orders.refundOrder({ id: o.id, amount: "1.00" })],
  ];

  it.each(changes)(
    "%s of the other mode's order is ORDER_NOT_FOUND and changes nothing, in both directions",
    async (_, change) => {
      for (const [owner, other] of [
        [live, test],
        [test, live],
      ] as const) {
        const order = await placeOrder(owner, customerId);
        const error = await rejectionOf(change(other, order));
        expect(error).toMatchObject({
          code: Code.NotFound,
          reason: "ORDER_NOT_FOUND",
          metadata: { orderId: order.id },
        });
        const missing = await rejectionOf(change(other, { ...order, id: MISSING }));
        expect(withoutId(error, order.id)).toEqual(withoutId(missing, MISSING));
        expect(orderOf(await owner.orders.getOrder({ id: order.id }))).toEqual(order);
      }
    },
  );

  it("each key runs the whole lifecycle on its own mode's orders", async () => {
    for (const clients of [live, test]) {
      const order = await placeOrder(clients, customerId, "10.00");
      await clients.orders.updateOrder({
        order: { id: order.id, internalNote: "gift" },
        updateMask: { paths: ["internal_note"] },
      });
      await clients.orders.recordPayment({ id: order.id, amount: "10.00" });
      await clients.orders.fulfillOrder({ id: order.id, carrier: "UPS" });
      await clients.orders.deliverOrder({ id: order.id });
      const refunded = orderOf(await clients.orders.refundOrder({ id: order.id, amount: "1.00", reason: "late" }));
      expect(refunded).toMatchObject({ internalNote: "gift", paidTotal: "10.00", refundedTotal: "1.00" });
      const other = await placeOrder(clients, customerId);
      expect(orderOf(await clients.orders.cancelOrder({ id: other.id })).isTest).toBe(clients === test);
    }
  });
});

describe("request ids across modes", () => {
  it("a change's request_id reused by the other mode's key is refused, never answered with the first call's order", async () => {
    for (const [first, second] of [
      [live, test],
      [test, live],
    ] as const) {
      const order = await placeOrder(first, customerId);
      const request = { id: order.id, reason: "duplicate", requestId: crypto.randomUUID() };
      const canceled = orderOf(await first.orders.cancelOrder(request));
      // the same key retrying is answered as before
      expect(orderOf(await first.orders.cancelOrder(request))).toEqual(canceled);
      // the same call with the other mode's key is not a retry of it
      const error = await rejectionOf(second.orders.cancelOrder(request));
      expect(error).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
    }
  });

  it("a call refused as NOT_FOUND records no request_id: the owning mode may still use it", async () => {
    const liveOrder = await placeOrder(live, customerId);
    const requestId = crypto.randomUUID();
    const error = await rejectionOf(test.orders.recordPayment({ id: liveOrder.id, amount: "1.00", requestId }));
    expect(error).toMatchObject({ code: Code.NotFound, reason: "ORDER_NOT_FOUND" });
    // a refused call records nothing: the live key may still use the id
    const paid = orderOf(await live.orders.recordPayment({ id: liveOrder.id, amount: "1.00", requestId }));
    expect(paid.paidTotal).toBe("1.00");
  });

  // CreateOrder scopes its idempotency key by mode (orderIdempotencyKey, order-mode.ts) as the changes do.
  it("CreateOrder's request_id reused by a test key does not answer with the live order", async () => {
    const request = {
      customerId,
      currency: "USD",
      items: [{ sku: "SKU-1", name: "Thing", quantity: 1, unitPrice: "3.00" }],
      requestId: crypto.randomUUID(),
    };
    const liveOrder = orderOf(await live.orders.createOrder(request));
    const error = await rejectionOf(test.orders.createOrder(request));
    expect(error).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
    expect(liveOrder.isTest).toBe(false);
  });
});
