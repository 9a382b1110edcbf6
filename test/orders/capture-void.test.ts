import { fromBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderPaidSchema, OrderPaymentVoidedSchema } from "../../gen/orders/v1/events_pb.js";
import {
  HistoryEntryKind,
  OrderStatus,
  PaymentState,
  PaymentStatus,
  type Order,
} from "../../gen/orders/v1/order_pb.js";
import type { PaymentRecord } from "../../src/orders/entities/json-types.js";
import type { Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import {
  debitGiftCardPayments,
  giftCardPayment,
  givePayments,
  issueGiftCard,
  orderOf,
  outboxOf,
  paymentRecord,
  placeOrder,
} from "./support/order-fixtures.js";

// CapturePayment and VoidPayment (issue 12 section 6) through the OrdersService routes in memory, over the
// run's PostgreSQL. Orders get their payments as CreateOrder writes them (support/order-fixtures.ts givePayments),
// their gift cards real ones, debited for the order.
let service: InMemoryService;
let tenantId: string;
let clients: Clients;
let customerId: string;

beforeAll(async () => {
  service = await buildInMemoryService();
  let key: string;
  ({ tenantId, key } = await service.newTenant());
  clients = service.clients(key);
  customerId = await createCustomerId(clients);
});
afterAll(() => ifSetUp(service)?.close());

/** A 100.00 order (or `total`) with the given payments; an authorized card payment of the whole total by default. */
async function orderWith(
  payments: (total: string) => PaymentRecord[] = (total) => [paymentRecord({ amount: total })],
  total = "100.00",
  currency = "USD",
): Promise<{ order: Order; payment: PaymentRecord }> {
  const records = payments(total);
  const placed = await placeOrder(clients, customerId, total, currency);
  await debitGiftCardPayments(service.app.orm, tenantId, placed.id, records);
  const order = await givePayments(service.app.orm, clients, placed, records);
  const payment = records.find((record) => record.state === "PAYMENT_STATE_AUTHORIZED") ?? records[0];
  if (!payment) throw new Error("no payment given");
  return { order, payment };
}

const capture = (order: Order, paymentId: string, extra: { amount?: string; etag?: string; requestId?: string } = {}) =>
  clients.orders.capturePayment({ id: order.id, paymentId, ...extra }).then(orderOf);
const voidIt = (order: Order, paymentId: string, extra: { reason?: string; etag?: string; requestId?: string } = {}) =>
  clients.orders.voidPayment({ id: order.id, paymentId, ...extra }).then(orderOf);
const read = (order: Order) => clients.orders.getOrder({ id: order.id }).then(orderOf);

const outbox = (orderId: string) => outboxOf(service.app.orm, orderId);

describe("an order with an authorized payment", () => {
  it("shows it: AUTHORIZED, authorized_total, nothing paid, everything due", async () => {
    const { order, payment } = await orderWith();
    expect(order).toMatchObject({
      paymentStatus: PaymentStatus.AUTHORIZED,
      paidTotal: "0.00",
      authorizedTotal: "100.00",
      amountDue: "100.00",
      payments: [
        {
          id: payment.id,
          method: "card",
          gatewayReference: payment.gatewayReference,
          amount: "100.00",
          capturedAmount: "0.00",
          state: PaymentState.AUTHORIZED,
        },
      ],
    });
    const listed = await clients.orders.listOrders({ paymentStatus: PaymentStatus.AUTHORIZED, pageSize: 500 });
    expect(listed.orders.map((o) => o.id)).toContain(order.id);
  });
});

describe("CapturePayment", () => {
  it("captures the whole authorization by default: CAPTURED, PAID, a PAYMENT history entry and order.paid", async () => {
    const { order, payment } = await orderWith();
    const captured = await capture(order, payment.id, { etag: order.etag });
    expect(captured).toMatchObject({
      paymentStatus: PaymentStatus.PAID,
      paidTotal: "100.00",
      authorizedTotal: "0.00",
      amountDue: "0.00",
      eventSequence: 2,
      payments: [{ id: payment.id, state: PaymentState.CAPTURED, amount: "100.00", capturedAmount: "100.00" }],
    });
    expect(captured.etag).not.toBe(order.etag);
    expect(captured.history).toEqual([
      expect.objectContaining({
        kind: HistoryEntryKind.PAYMENT,
        fromPaymentStatus: PaymentStatus.AUTHORIZED,
        toPaymentStatus: PaymentStatus.PAID,
        amount: "100.00",
        paymentMethod: "card",
        gatewayReference: payment.gatewayReference,
      }),
    ]);
    expect(await read(order)).toEqual(captured);

    const events = await outbox(order.id);
    expect(events.map((e) => e.type)).toEqual(["order.created", "order.paid"]);
    const paid = fromBinary(OrderPaidSchema, events[1]?.payload ?? new Uint8Array());
    expect(paid.order).toEqual(captured);
    expect(paid.change).toEqual(captured.history[0]);
  });

  it("captures a part and releases the rest: PARTIALLY_PAID; RecordPayment then takes the balance", async () => {
    const { order, payment } = await orderWith();
    const captured = await capture(order, payment.id, { amount: "60" });
    expect(captured).toMatchObject({
      paymentStatus: PaymentStatus.PARTIALLY_PAID,
      paidTotal: "60.00",
      authorizedTotal: "0.00",
      amountDue: "40.00",
      payments: [{ state: PaymentState.CAPTURED, amount: "100.00", capturedAmount: "60.00" }],
    });
    expect(captured.history.at(-1)).toMatchObject({ toPaymentStatus: PaymentStatus.PARTIALLY_PAID, amount: "60.00" });
    const rest = orderOf(await clients.orders.recordPayment({ id: order.id, amount: "40.00", method: "wire" }));
    expect(rest).toMatchObject({ paymentStatus: PaymentStatus.PAID, paidTotal: "100.00" });
  });

  it("after a gift card paid part, capturing the authorized rest makes the order PAID", async () => {
    const card = await issueGiftCard(clients);
    const { order, payment } = await orderWith(() => [
      giftCardPayment(card, "30.00"),
      paymentRecord({ amount: "70.00" }),
    ]);
    expect(order).toMatchObject({ paymentStatus: PaymentStatus.AUTHORIZED, paidTotal: "30.00", amountDue: "70.00" });
    const captured = await capture(order, payment.id);
    expect(captured).toMatchObject({ paymentStatus: PaymentStatus.PAID, paidTotal: "100.00" });
    expect(captured.payments.map((p) => [p.method, p.state, p.capturedAmount, p.giftCardId])).toEqual([
      ["GIFT_CARD", PaymentState.CAPTURED, "30.00", card.id],
      ["card", PaymentState.CAPTURED, "70.00", ""],
    ]);
  });

  it("refuses more than was authorized as INVALID_ARGUMENT CAPTURE_EXCEEDS_AUTHORIZED, changing nothing", async () => {
    const { order, payment } = await orderWith();
    const error = await rejectionOf(capture(order, payment.id, { amount: "100.01" }));
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "amount", reason: "CAPTURE_EXCEEDS_AUTHORIZED" }],
    });
    expect(await read(order)).toEqual(order);
  });

  it.each([
    ["0", "AMOUNT_NOT_POSITIVE"],
    ["0.00", "AMOUNT_NOT_POSITIVE"],
    ["1.001", "TOO_MANY_FRACTION_DIGITS"],
    ["-1", "INVALID_DECIMAL"],
    ["1e3", "INVALID_DECIMAL"],
  ])("refuses the amount %s as INVALID_ARGUMENT (%s)", async (amount, reason) => {
    const { order, payment } = await orderWith();
    expect(await rejectionOf(capture(order, payment.id, { amount }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "amount", reason }],
    });
  });

  it("follows the currency's minor units: JPY captures whole yen", async () => {
    const { order, payment } = await orderWith(undefined, "1200", "JPY");
    expect(await rejectionOf(capture(order, payment.id, { amount: "0.5" }))).toMatchObject({
      violations: [{ reason: "TOO_MANY_FRACTION_DIGITS" }],
    });
    expect(await capture(order, payment.id, { amount: "1000" })).toMatchObject({
      paidTotal: "1000",
      amountDue: "200",
      paymentStatus: PaymentStatus.PARTIALLY_PAID,
    });
  });

  it("refuses an unknown payment id as NOT_FOUND PAYMENT_NOT_FOUND", async () => {
    const { order } = await orderWith();
    const paymentId = crypto.randomUUID();
    expect(await rejectionOf(capture(order, paymentId))).toMatchObject({
      code: Code.NotFound,
      reason: "PAYMENT_NOT_FOUND",
      metadata: { orderId: order.id, paymentId },
    });
  });

  it("refuses a payment already captured, or voided, as FAILED_PRECONDITION PAYMENT_NOT_AUTHORIZED", async () => {
    const { order, payment } = await orderWith();
    await capture(order, payment.id, { amount: "10.00" });
    expect(await rejectionOf(capture(order, payment.id))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "PAYMENT_NOT_AUTHORIZED",
      metadata: { paymentId: payment.id, paymentState: "PAYMENT_STATE_CAPTURED" },
    });
    const other = await orderWith();
    await voidIt(other.order, other.payment.id);
    expect(await rejectionOf(capture(other.order, other.payment.id))).toMatchObject({
      reason: "PAYMENT_NOT_AUTHORIZED",
      metadata: { paymentState: "PAYMENT_STATE_VOIDED" },
    });
  });

  it("refuses a canceled order's payment as INVALID_TRANSITION", async () => {
    const { order, payment } = await orderWith();
    await clients.orders.cancelOrder({ id: order.id });
    expect(await rejectionOf(capture(order, payment.id))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INVALID_TRANSITION",
      metadata: { currentStatus: "ORDER_STATUS_CANCELED", currentPaymentStatus: "PAYMENT_STATUS_UNPAID" },
    });
  });

  it("captures on a fulfilled order (capture at shipment)", async () => {
    const { order, payment } = await orderWith();
    await clients.orders.fulfillOrder({ id: order.id, carrier: "UPS" });
    expect(await capture(order, payment.id)).toMatchObject({
      status: OrderStatus.FULFILLED,
      paymentStatus: PaymentStatus.PAID,
    });
  });
});

describe("VoidPayment", () => {
  it("releases the authorization: VOIDED, UNPAID, the amount released in the history, order.payment_voided", async () => {
    const { order, payment } = await orderWith();
    const voided = await voidIt(order, payment.id, { reason: "fraud check failed", etag: order.etag });
    expect(voided).toMatchObject({
      paymentStatus: PaymentStatus.UNPAID,
      paidTotal: "0.00",
      authorizedTotal: "0.00",
      amountDue: "100.00",
      eventSequence: 2,
      payments: [{ id: payment.id, state: PaymentState.VOIDED, amount: "100.00", capturedAmount: "0.00" }],
    });
    expect(voided.history).toEqual([
      expect.objectContaining({
        kind: HistoryEntryKind.PAYMENT,
        fromPaymentStatus: PaymentStatus.AUTHORIZED,
        toPaymentStatus: PaymentStatus.UNPAID,
        amount: "100.00",
        reason: "fraud check failed",
        paymentMethod: "card",
        gatewayReference: payment.gatewayReference,
      }),
    ]);
    const events = await outbox(order.id);
    expect(events.map((e) => e.type)).toEqual(["order.created", "order.payment_voided"]);
    const event = fromBinary(OrderPaymentVoidedSchema, events[1]?.payload ?? new Uint8Array());
    expect(event).toMatchObject({ tenantId, sequence: 2, order: voided, change: voided.history[0] });
  });

  it("goes back to PARTIALLY_PAID when a gift card paid part, and the balance is then open to RecordPayment", async () => {
    const card = await issueGiftCard(clients);
    const { order, payment } = await orderWith(() => [
      giftCardPayment(card, "30.00"),
      paymentRecord({ amount: "70.00" }),
    ]);
    expect(await rejectionOf(clients.orders.recordPayment({ id: order.id, amount: "70.00" }))).toMatchObject({
      reason: "INVALID_TRANSITION",
      metadata: { currentPaymentStatus: "PAYMENT_STATUS_AUTHORIZED" },
    });
    expect(await voidIt(order, payment.id)).toMatchObject({
      paymentStatus: PaymentStatus.PARTIALLY_PAID,
      amountDue: "70.00",
    });
    const paid = orderOf(await clients.orders.recordPayment({ id: order.id, amount: "70.00" }));
    expect(paid.paymentStatus).toBe(PaymentStatus.PAID);
  });

  it("refuses an unknown payment id, a captured payment and a second void", async () => {
    const { order, payment } = await orderWith();
    expect(await rejectionOf(voidIt(order, crypto.randomUUID()))).toMatchObject({
      code: Code.NotFound,
      reason: "PAYMENT_NOT_FOUND",
    });
    await voidIt(order, payment.id);
    expect(await rejectionOf(voidIt(order, payment.id))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "PAYMENT_NOT_AUTHORIZED",
      metadata: { paymentState: "PAYMENT_STATE_VOIDED" },
    });
    const captured = await orderWith(() => [paymentRecord({ amount: "100.00", state: "CAPTURED" })]);
    expect(await rejectionOf(voidIt(captured.order, captured.payment.id))).toMatchObject({
      reason: "PAYMENT_NOT_AUTHORIZED",
      metadata: { paymentState: "PAYMENT_STATE_CAPTURED" },
    });
  });
});

describe("both", () => {
  it("are ABORTED ETAG_MISMATCH on a stale etag and change nothing; the current etag works", async () => {
    const { order, payment } = await orderWith();
    const noted = orderOf(
      await clients.orders.updateOrder({
        order: { id: order.id, internalNote: "call first" },
        updateMask: { paths: ["internal_note"] },
      }),
    );
    for (const error of await Promise.all(
      [capture(order, payment.id, { etag: order.etag }), voidIt(order, payment.id, { etag: order.etag })].map(
        rejectionOf,
      ),
    )) {
      expect(error).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
    }
    expect(await read(order)).toEqual(noted);
    expect((await capture(order, payment.id, { etag: noted.etag })).paymentStatus).toBe(PaymentStatus.PAID);
  });

  it("answer a retry with the same request_id as the first call did, writing nothing more", async () => {
    const { order, payment } = await orderWith();
    const requestId = crypto.randomUUID();
    const first = await capture(order, payment.id, { amount: "25.00", requestId });
    const again = await capture(order, payment.id, { amount: "25.00", requestId });
    expect(again).toEqual(first);
    expect((await outbox(order.id)).map((e) => e.type)).toEqual(["order.created", "order.paid"]);
    expect(await rejectionOf(capture(order, payment.id, { amount: "26.00", requestId }))).toMatchObject({
      code: Code.AlreadyExists,
      reason: "IDEMPOTENCY_KEY_REUSED",
    });

    const other = await orderWith();
    const voidRequest = crypto.randomUUID();
    const voided = await voidIt(other.order, other.payment.id, { requestId: voidRequest });
    expect(await voidIt(other.order, other.payment.id, { requestId: voidRequest })).toEqual(voided);
    expect((await read(other.order)).history).toHaveLength(1);
  });

  it("are NOT_FOUND ORDER_NOT_FOUND for a missing order and another tenant's", async () => {
    const { order, payment } = await orderWith();
    const stranger = service.clients((await service.newTenant()).key);
    for (const id of [order.id, crypto.randomUUID()]) {
      for (const error of await Promise.all(
        [
          stranger.orders.capturePayment({ id, paymentId: payment.id }),
          stranger.orders.voidPayment({ id, paymentId: payment.id }),
        ].map(rejectionOf),
      )) {
        expect(error).toMatchObject({ code: Code.NotFound, reason: "ORDER_NOT_FOUND" });
      }
    }
    expect(await read(order)).toEqual(order);
  });

  it("need an editor key", async () => {
    const { order, payment } = await orderWith();
    const viewer = service.clients(await service.newKey(tenantId, "viewer"));
    for (const error of await Promise.all(
      [
        viewer.orders.capturePayment({ id: order.id, paymentId: payment.id }),
        viewer.orders.voidPayment({ id: order.id, paymentId: payment.id }),
      ].map(rejectionOf),
    )) {
      expect(error).toMatchObject({
        code: Code.PermissionDenied,
        reason: "ROLE_REQUIRED",
        metadata: { requiredRole: "editor" },
      });
    }
  });

  it("validate ids and lengths from the contract first", async () => {
    const error = await rejectionOf(
      clients.orders.voidPayment({ id: crypto.randomUUID(), paymentId: "not-a-uuid", reason: "x".repeat(501) }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations.map((v) => v.field).sort()).toEqual(["payment_id", "reason"]);
    expect(await rejectionOf(clients.orders.capturePayment({ id: crypto.randomUUID(), paymentId: "" }))).toMatchObject({
      violations: [{ field: "payment_id", reason: "REQUIRED" }],
    });
  });

  it("a capture racing a void of one payment: exactly one wins, the other sees the payment moved", async () => {
    for (let round = 0; round < 5; round++) {
      const { order, payment } = await orderWith();
      const results = await Promise.allSettled([capture(order, payment.id), voidIt(order, payment.id)]);
      const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      const lost = results.flatMap((r) => (r.status === "rejected" ? [observedError(r.reason)] : []));
      expect(won).toHaveLength(1);
      expect(lost).toEqual([
        expect.objectContaining({ code: Code.FailedPrecondition, reason: "PAYMENT_NOT_AUTHORIZED" }),
      ]);
      expect((await read(order)).history).toHaveLength(1);
      expect(await outbox(order.id)).toHaveLength(2);
    }
  });
});

describe("CancelOrder", () => {
  it("voids the authorized payments in its transaction: a payment entry each, then the status entry its event carries", async () => {
    const card = await issueGiftCard(clients);
    const { order, payment } = await orderWith(() => [
      giftCardPayment(card, "20.00"),
      paymentRecord({ amount: "80.00" }),
    ]);
    const canceled = orderOf(await clients.orders.cancelOrder({ id: order.id, reason: "out of stock" }));
    // The gift card gets its 20.00 back with the cancel (give-back.test.ts): a refund of all that was paid.
    expect(canceled).toMatchObject({
      status: OrderStatus.CANCELED,
      paymentStatus: PaymentStatus.REFUNDED,
      paidTotal: "20.00",
      refundedTotal: "20.00",
      authorizedTotal: "0.00",
    });
    expect(canceled.payments.map((p) => p.state)).toEqual([PaymentState.CAPTURED, PaymentState.VOIDED]);
    expect(canceled.history).toEqual([
      expect.objectContaining({
        kind: HistoryEntryKind.PAYMENT,
        fromPaymentStatus: PaymentStatus.AUTHORIZED,
        toPaymentStatus: PaymentStatus.PARTIALLY_PAID,
        amount: "80.00",
        reason: "out of stock",
        gatewayReference: payment.gatewayReference,
      }),
      expect.objectContaining({
        kind: HistoryEntryKind.PAYMENT,
        toPaymentStatus: PaymentStatus.REFUNDED,
        amount: "20.00",
        paymentMethod: "GIFT_CARD",
      }),
      expect.objectContaining({
        kind: HistoryEntryKind.STATUS,
        toStatus: OrderStatus.CANCELED,
        reason: "out of stock",
      }),
    ]);
    expect((await outbox(order.id)).map((e) => e.type)).toEqual(["order.created", "order.canceled"]);
    expect(await rejectionOf(voidIt(order, payment.id))).toMatchObject({ reason: "PAYMENT_NOT_AUTHORIZED" });
  });
});

describe("RecordPayment and RefundOrder with payments", () => {
  it("RecordPayment lists the payment in Order.payments, captured, with its method and reference", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    const paid = orderOf(
      await clients.orders.recordPayment({ id: order.id, amount: "4.00", method: "wire", gatewayReference: "bt_1" }),
    );
    expect(paid.payments).toEqual([
      expect.objectContaining({
        method: "wire",
        gatewayReference: "bt_1",
        amount: "4.00",
        capturedAmount: "4.00",
        state: PaymentState.CAPTURED,
        giftCardId: "",
        createTime: paid.history[0]?.changeTime,
      }),
    ]);
    expect(paid.payments[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    const all = orderOf(await clients.orders.recordPayment({ id: order.id, amount: "6.00" }));
    expect(all.payments.map((p) => p.amount)).toEqual(["4.00", "6.00"]);
  });

  it("an authorization holds its part of the balance: PAYMENT_EXCEEDS_BALANCE names what is left", async () => {
    const { order } = await orderWith(() => [paymentRecord({ amount: "30.00" })]);
    expect(order.paymentStatus).toBe(PaymentStatus.UNPAID);
    expect(await rejectionOf(clients.orders.recordPayment({ id: order.id, amount: "70.01" }))).toMatchObject({
      reason: "PAYMENT_EXCEEDS_BALANCE",
      metadata: { balance: "70.00" },
    });
    const paid = orderOf(await clients.orders.recordPayment({ id: order.id, amount: "70.00" }));
    expect(paid).toMatchObject({ paymentStatus: PaymentStatus.AUTHORIZED, amountDue: "30.00" });
  });

  it("RefundOrder refuses an AUTHORIZED order with nothing captured, and refunds what a gift card paid", async () => {
    const { order } = await orderWith();
    expect(await rejectionOf(clients.orders.refundOrder({ id: order.id }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INVALID_TRANSITION",
      metadata: { currentPaymentStatus: "PAYMENT_STATUS_AUTHORIZED" },
    });
    const card = await issueGiftCard(clients);
    const part = await orderWith(() => [giftCardPayment(card, "30.00"), paymentRecord({ amount: "70.00" })]);
    const refunded = orderOf(await clients.orders.refundOrder({ id: part.order.id }));
    expect(refunded).toMatchObject({ paymentStatus: PaymentStatus.REFUNDED, refundedTotal: "30.00" });
    // The authorization is still there to capture; the refund stays on record.
    expect(await capture(part.order, part.payment.id)).toMatchObject({
      paymentStatus: PaymentStatus.PARTIALLY_REFUNDED,
      paidTotal: "100.00",
      refundedTotal: "30.00",
    });
  });
});
