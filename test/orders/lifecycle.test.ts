import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HistoryEntryKind, OrderStatus, PaymentStatus, type Order } from "../../gen/orders/v1/order_pb.js";
import { clientsFor, PROTOCOLS, type Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf, placeOrder } from "./support/order-fixtures.js";

let service: TestService;
let tenant: TestTenant;
let clients: Clients;
let customerId: string;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  clients = clientsFor("grpc-http2", service.url, tenant.key);
  customerId = await createCustomerId(clients);
});
afterAll(() => ifSetUp(service)?.shutdown());

const fulfill = (order: Order) => clients.orders.fulfillOrder({ id: order.id }).then(orderOf);
const deliver = (order: Order) => clients.orders.deliverOrder({ id: order.id }).then(orderOf);
const cancel = (order: Order) => clients.orders.cancelOrder({ id: order.id }).then(orderOf);

/** An order brought to `status` through the legal path. */
async function orderIn(status: OrderStatus): Promise<Order> {
  const placed = await placeOrder(clients, customerId);
  switch (status) {
    case OrderStatus.PLACED:
      return placed;
    case OrderStatus.FULFILLED:
      return fulfill(placed);
    case OrderStatus.DELIVERED:
      return deliver(await fulfill(placed));
    case OrderStatus.CANCELED:
      return cancel(placed);
    default:
      throw new Error(`no path to ${status}`);
  }
}

describe("legal transitions", () => {
  it.each(PROTOCOLS)(
    "placed -> fulfilled -> delivered with shipment details and history, over %s",
    async (protocol) => {
      const c = clientsFor(protocol, service.url, tenant.key);
      const placed = await placeOrder(c, customerId);
      expect(placed).toMatchObject({
        status: OrderStatus.PLACED,
        eventSequence: 1,
        history: [],
        paidTotal: "0.00",
        refundedTotal: "0.00",
      });
      expect(placed.placedTime).toEqual(placed.createTime);

      const shipTime = timestampFromDate(new Date(Date.now() - 60_000));
      const fulfilled = orderOf(
        await c.orders.fulfillOrder({
          id: placed.id,
          etag: placed.etag,
          carrier: "UPS",
          service: "Ground",
          trackingNumber: "1Z999",
          shipTime,
        }),
      );
      expect(fulfilled).toMatchObject({
        status: OrderStatus.FULFILLED,
        eventSequence: 2,
        fulfillment: { carrier: "UPS", service: "Ground", trackingNumber: "1Z999", shipTime },
      });
      expect(fulfilled.etag).not.toBe(placed.etag);
      expect(fulfilled.history).toHaveLength(1);
      expect(fulfilled.history[0]).toMatchObject({
        kind: HistoryEntryKind.STATUS,
        fromStatus: OrderStatus.PLACED,
        toStatus: OrderStatus.FULFILLED,
        apiKeyId: tenant.keyId,
        amount: "",
      });
      expect(fulfilled.updateTime).toEqual(fulfilled.history[0]?.changeTime);

      const delivered = orderOf(await c.orders.deliverOrder({ id: placed.id, etag: fulfilled.etag }));
      expect(delivered).toMatchObject({ status: OrderStatus.DELIVERED, eventSequence: 3 });
      expect(delivered.fulfillment?.shipTime).toEqual(shipTime);
      expect(timestampDate(delivered.fulfillment?.deliverTime ?? shipTime).getTime()).toBeGreaterThan(
        timestampDate(shipTime).getTime(),
      );
      expect(delivered.history.map((h) => [h.fromStatus, h.toStatus])).toEqual([
        [OrderStatus.PLACED, OrderStatus.FULFILLED],
        [OrderStatus.FULFILLED, OrderStatus.DELIVERED],
      ]);
      // GetOrder returns exactly what the last call answered.
      expect(orderOf(await c.orders.getOrder({ id: placed.id }))).toEqual(delivered);
    },
  );

  it("fulfilment defaults the ship time to the time of the call", async () => {
    const before = Date.now();
    const fulfilled = await fulfill(await placeOrder(clients, customerId));
    const shipped = timestampDate(fulfilled.fulfillment?.shipTime ?? timestampFromDate(new Date(0))).getTime();
    expect(shipped).toBeGreaterThanOrEqual(before - 1);
    expect(fulfilled.fulfillment).toMatchObject({ carrier: "", trackingNumber: "" });
  });

  it("placed -> canceled keeps the reason and the key in the history", async () => {
    const placed = await placeOrder(clients, customerId);
    const canceled = orderOf(
      await clients.orders.cancelOrder({ id: placed.id, reason: "customer changed their mind" }),
    );
    expect(canceled.status).toBe(OrderStatus.CANCELED);
    expect(canceled.history).toEqual([
      expect.objectContaining({
        kind: HistoryEntryKind.STATUS,
        fromStatus: OrderStatus.PLACED,
        toStatus: OrderStatus.CANCELED,
        reason: "customer changed their mind",
        apiKeyId: tenant.keyId,
      }),
    ]);
  });
});

describe("illegal transitions", () => {
  // Every (call, status) pair the machine forbids: 9 of the 12.
  const cases: [string, OrderStatus][] = [
    ["fulfill", OrderStatus.FULFILLED],
    ["fulfill", OrderStatus.DELIVERED],
    ["fulfill", OrderStatus.CANCELED],
    ["deliver", OrderStatus.PLACED],
    ["deliver", OrderStatus.DELIVERED],
    ["deliver", OrderStatus.CANCELED],
    ["cancel", OrderStatus.FULFILLED],
    ["cancel", OrderStatus.DELIVERED],
    ["cancel", OrderStatus.CANCELED],
  ];

  it.each(cases)(
    "%s an order in status %s is FAILED_PRECONDITION INVALID_TRANSITION and changes nothing",
    async (action, status) => {
      const order = await orderIn(status);
      const call = { fulfill, deliver, cancel }[action as "fulfill" | "deliver" | "cancel"];
      const error = await rejectionOf(call(order));
      expect(error).toMatchObject({
        code: Code.FailedPrecondition,
        reason: "INVALID_TRANSITION",
        metadata: {
          currentStatus: `ORDER_STATUS_${OrderStatus[status]}`,
          currentPaymentStatus: "PAYMENT_STATUS_UNPAID",
        },
      });
      expect(orderOf(await clients.orders.getOrder({ id: order.id }))).toEqual(order);
    },
  );

  it("reports the payment status too, by its contract name", async () => {
    const order = await orderIn(OrderStatus.DELIVERED);
    await clients.orders.recordPayment({ id: order.id, amount: "4.00" });
    const error = await rejectionOf(cancel(order));
    expect(error.metadata).toEqual({
      currentStatus: "ORDER_STATUS_DELIVERED",
      currentPaymentStatus: "PAYMENT_STATUS_PARTIALLY_PAID",
    });
  });
});

describe("etag", () => {
  it("a stale etag is ABORTED ETAG_MISMATCH and changes nothing; the current one works", async () => {
    const placed = await placeOrder(clients, customerId);
    const paid = orderOf(await clients.orders.recordPayment({ id: placed.id, amount: "1.00", etag: placed.etag }));
    const stale = await rejectionOf(clients.orders.cancelOrder({ id: placed.id, etag: placed.etag }));
    expect(stale).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH", metadata: { orderId: placed.id } });
    expect(orderOf(await clients.orders.getOrder({ id: placed.id }))).toEqual(paid);
    expect(orderOf(await clients.orders.cancelOrder({ id: placed.id, etag: paid.etag })).status).toBe(
      OrderStatus.CANCELED,
    );
  });

  it("is checked by every mutating call", async () => {
    const order = await placeOrder(clients, customerId);
    await clients.orders.updateOrder({
      order: { id: order.id, customerNote: "x" },
      updateMask: { paths: ["customer_note"] },
    });
    const calls = [
      clients.orders.fulfillOrder({ id: order.id, etag: order.etag }),
      clients.orders.deliverOrder({ id: order.id, etag: order.etag }),
      clients.orders.cancelOrder({ id: order.id, etag: order.etag }),
      clients.orders.recordPayment({ id: order.id, etag: order.etag, amount: "1.00" }),
      clients.orders.refundOrder({ id: order.id, etag: order.etag }),
      clients.orders.updateOrder({
        order: { id: order.id, etag: order.etag, customerNote: "y" },
        updateMask: { paths: ["customer_note"] },
      }),
    ];
    for (const error of await Promise.all(calls.map(rejectionOf)))
      expect(error).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
  });

  it("differs between orders even at the same version", async () => {
    const a = await placeOrder(clients, customerId);
    const b = await placeOrder(clients, customerId);
    expect(a.etag).not.toBe(b.etag);
    expect(await rejectionOf(clients.orders.cancelOrder({ id: b.id, etag: a.etag }))).toMatchObject({
      reason: "ETAG_MISMATCH",
    });
  });
});

describe("times", () => {
  it("refuses a ship time in the future, naming the field", async () => {
    const order = await placeOrder(clients, customerId);
    const shipTime = timestampFromDate(new Date(Date.now() + 60 * 60_000));
    const error = await rejectionOf(clients.orders.fulfillOrder({ id: order.id, shipTime }));
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "ship_time", reason: "IN_FUTURE" }],
    });
  });

  it("refuses a delivery before the shipment, naming the field", async () => {
    const order = await placeOrder(clients, customerId);
    await clients.orders.fulfillOrder({ id: order.id, shipTime: timestampFromDate(new Date(Date.now() - 60_000)) });
    const deliverTime = timestampFromDate(new Date(Date.now() - 120_000));
    const error = await rejectionOf(clients.orders.deliverOrder({ id: order.id, deliverTime }));
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "deliver_time", reason: "BEFORE_SHIPMENT" }],
    });
    expect(orderOf(await clients.orders.getOrder({ id: order.id })).status).toBe(OrderStatus.FULFILLED);
  });

  it("refuses a delivery time in the future", async () => {
    const order = await fulfill(await placeOrder(clients, customerId));
    const deliverTime = timestampFromDate(new Date(Date.now() + 60 * 60_000));
    expect(await rejectionOf(clients.orders.deliverOrder({ id: order.id, deliverTime }))).toMatchObject({
      violations: [{ field: "deliver_time", reason: "IN_FUTURE" }],
    });
  });
});

describe("access", () => {
  it("a viewer key reads but gets PERMISSION_DENIED ROLE_REQUIRED on every change", async () => {
    const order = await placeOrder(clients, customerId);
    const viewer = clientsFor("connect-json-http1", service.url, (await tenant.issueKey({ role: "viewer" })).key);
    expect(orderOf(await viewer.orders.getOrder({ id: order.id })).id).toBe(order.id);
    expect((await viewer.orders.listOrders({ pageSize: 1 })).orders).toHaveLength(1);
    const calls = [
      viewer.orders.fulfillOrder({ id: order.id }),
      viewer.orders.deliverOrder({ id: order.id }),
      viewer.orders.cancelOrder({ id: order.id }),
      viewer.orders.recordPayment({ id: order.id, amount: "1.00" }),
      viewer.orders.refundOrder({ id: order.id }),
      viewer.orders.updateOrder({ order: { id: order.id }, updateMask: { paths: ["customer_note"] } }),
    ];
    for (const error of await Promise.all(calls.map(rejectionOf))) {
      expect(error).toMatchObject({
        code: Code.PermissionDenied,
        reason: "ROLE_REQUIRED",
        metadata: { requiredRole: "editor" },
      });
    }
    expect(orderOf(await clients.orders.getOrder({ id: order.id }))).toEqual(order);
  });

  it("another tenant's order is NOT_FOUND for every call, exactly like a missing one", async () => {
    const order = await placeOrder(clients, customerId);
    const other = clientsFor("grpc-http2", service.url, (await service.newTenant()).key);
    const missing = crypto.randomUUID();
    for (const id of [order.id, missing]) {
      const calls = [
        other.orders.getOrder({ id }),
        other.orders.fulfillOrder({ id }),
        other.orders.deliverOrder({ id }),
        other.orders.cancelOrder({ id }),
        other.orders.recordPayment({ id, amount: "1.00" }),
        other.orders.refundOrder({ id }),
        other.orders.updateOrder({ order: { id }, updateMask: { paths: ["customer_note"] } }),
      ];
      for (const error of await Promise.all(calls.map(rejectionOf))) {
        expect(error).toMatchObject({ code: Code.NotFound, reason: "ORDER_NOT_FOUND", metadata: { orderId: id } });
      }
    }
    expect(orderOf(await clients.orders.getOrder({ id: order.id }))).toEqual(order);
  });

  it("validates ids and lengths from the contract before anything else", async () => {
    const error = await rejectionOf(clients.orders.cancelOrder({ id: "not-a-uuid", reason: "x".repeat(501) }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations.map((v) => v.field).sort()).toEqual(["id", "reason"]);
  });
});

it("an order that was paid keeps its payments when canceled", async () => {
  const order = await placeOrder(clients, customerId);
  await clients.orders.recordPayment({ id: order.id, amount: "2.50" });
  const canceled = await cancel(order);
  expect(canceled).toMatchObject({
    status: OrderStatus.CANCELED,
    paymentStatus: PaymentStatus.PARTIALLY_PAID,
    paidTotal: "2.50",
  });
});
