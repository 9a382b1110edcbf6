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

const pay = (order: Order, amount: string) => clients.orders.recordPayment({ id: order.id, amount }).then(orderOf);
const refund = (order: Order, amount?: string) => clients.orders.refundOrder({ id: order.id, amount }).then(orderOf);

describe("RecordPayment", () => {
  it.each(PROTOCOLS)(
    "3.33 + 6.67 of 10.00 is PARTIALLY_PAID, then PAID, with exact decimals, over %s",
    async (protocol) => {
      const c = clientsFor(protocol, service.url, tenant.key);
      const order = await placeOrder(c, customerId, "10.00");
      const first = orderOf(
        await c.orders.recordPayment({ id: order.id, amount: "3.33", method: "card", gatewayReference: "ch_1" }),
      );
      expect(first).toMatchObject({
        paymentStatus: PaymentStatus.PARTIALLY_PAID,
        paidTotal: "3.33",
        refundedTotal: "0.00",
      });
      const second = orderOf(await c.orders.recordPayment({ id: order.id, amount: "6.67", etag: first.etag }));
      expect(second).toMatchObject({
        paymentStatus: PaymentStatus.PAID,
        paidTotal: "10.00",
        status: OrderStatus.PLACED,
      });
      expect(second.history).toEqual([
        expect.objectContaining({
          kind: HistoryEntryKind.PAYMENT,
          fromPaymentStatus: PaymentStatus.UNPAID,
          toPaymentStatus: PaymentStatus.PARTIALLY_PAID,
          amount: "3.33",
          paymentMethod: "card",
          gatewayReference: "ch_1",
          apiKeyId: tenant.keyId,
          fromStatus: OrderStatus.UNSPECIFIED,
        }),
        expect.objectContaining({
          fromPaymentStatus: PaymentStatus.PARTIALLY_PAID,
          toPaymentStatus: PaymentStatus.PAID,
          amount: "6.67",
        }),
      ]);
    },
  );

  it("refuses 10.01 on a total of 10.00 with the balance, and changes nothing", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    const error = await rejectionOf(pay(order, "10.01"));
    expect(error).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "PAYMENT_EXCEEDS_BALANCE",
      metadata: { balance: "10.00" },
    });
    expect(orderOf(await clients.orders.getOrder({ id: order.id }))).toEqual(order);
  });

  it("refuses 0.01 over the balance after a partial payment, then takes the exact balance", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    await pay(order, "3.33");
    expect(await rejectionOf(pay(order, "6.68"))).toMatchObject({
      reason: "PAYMENT_EXCEEDS_BALANCE",
      metadata: { balance: "6.67" },
    });
    expect((await pay(order, "6.67")).paymentStatus).toBe(PaymentStatus.PAID);
  });

  it("refuses any payment once PAID (INVALID_TRANSITION)", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    await pay(order, "10.00");
    expect(await rejectionOf(pay(order, "0.01"))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INVALID_TRANSITION",
      metadata: { currentPaymentStatus: "PAYMENT_STATUS_PAID" },
    });
  });

  it("refuses a payment on a canceled order", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    await clients.orders.cancelOrder({ id: order.id });
    expect(await rejectionOf(pay(order, "1.00"))).toMatchObject({
      reason: "INVALID_TRANSITION",
      metadata: { currentStatus: "ORDER_STATUS_CANCELED", currentPaymentStatus: "PAYMENT_STATUS_UNPAID" },
    });
  });

  it.each([
    ["0", "AMOUNT_NOT_POSITIVE"],
    ["0.00", "AMOUNT_NOT_POSITIVE"],
    ["1.001", "TOO_MANY_FRACTION_DIGITS"],
  ])("refuses the amount %s as INVALID_ARGUMENT (%s)", async (amount, reason) => {
    const order = await placeOrder(clients, customerId, "10.00");
    expect(await rejectionOf(pay(order, amount))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "amount", reason }],
    });
  });

  it("refuses a malformed or missing amount by the contract's rules", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    for (const [amount, reason] of [
      ["-1", "INVALID_DECIMAL"],
      ["1e3", "INVALID_DECIMAL"],
      ["", "REQUIRED"],
      ["1.00000", "INVALID_DECIMAL"],
    ] as const) {
      const error = await rejectionOf(pay(order, amount));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.violations).toEqual([{ field: "amount", reason }]);
    }
  });

  it("follows the currency's minor units: JPY takes whole yen", async () => {
    const order = await placeOrder(clients, customerId, "1200", "JPY");
    expect(await rejectionOf(pay(order, "0.5"))).toMatchObject({
      violations: [{ reason: "TOO_MANY_FRACTION_DIGITS" }],
    });
    expect(await pay(order, "1200")).toMatchObject({ paidTotal: "1200", paymentStatus: PaymentStatus.PAID });
  });

  it("is exact at the largest total a numeric(19,4) column holds", async () => {
    const order = await placeOrder(clients, customerId, "999999999999999.99");
    const partly = await pay(order, "999999999999999.98");
    expect(partly.paidTotal).toBe("999999999999999.98");
    expect(await rejectionOf(pay(order, "0.02"))).toMatchObject({ metadata: { balance: "0.01" } });
    expect((await pay(order, "0.01")).paidTotal).toBe("999999999999999.99");
  });
});

describe("RefundOrder", () => {
  it("defaults to the whole remaining paid amount", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    await pay(order, "10.00");
    const refunded = orderOf(await clients.orders.refundOrder({ id: order.id, reason: "damaged" }));
    expect(refunded).toMatchObject({
      paymentStatus: PaymentStatus.REFUNDED,
      paidTotal: "10.00",
      refundedTotal: "10.00",
    });
    expect(refunded.history.at(-1)).toMatchObject({
      kind: HistoryEntryKind.PAYMENT,
      fromPaymentStatus: PaymentStatus.PAID,
      toPaymentStatus: PaymentStatus.REFUNDED,
      amount: "10.00",
      reason: "damaged",
    });
  });

  it("refunds in parts, refuses 0.01 over what is left, and takes the exact rest by default", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    await pay(order, "10.00");
    expect(await refund(order, "3.33")).toMatchObject({
      paymentStatus: PaymentStatus.PARTIALLY_REFUNDED,
      refundedTotal: "3.33",
    });
    expect(await rejectionOf(refund(order, "6.68"))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "REFUND_EXCEEDS_PAID",
      metadata: { refundable: "6.67" },
    });
    expect(await refund(order)).toMatchObject({ paymentStatus: PaymentStatus.REFUNDED, refundedTotal: "10.00" });
    expect(await rejectionOf(refund(order))).toMatchObject({ reason: "INVALID_TRANSITION" });
  });

  it("refuses 0.01 more than was paid", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    await pay(order, "4.00");
    expect(await rejectionOf(refund(order, "4.01"))).toMatchObject({
      reason: "REFUND_EXCEEDS_PAID",
      metadata: { refundable: "4.00" },
    });
    expect(await refund(order, "4.00")).toMatchObject({ paymentStatus: PaymentStatus.REFUNDED, paidTotal: "4.00" });
  });

  it("refunds the deposit of a canceled order", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    await pay(order, "2.50");
    await clients.orders.cancelOrder({ id: order.id });
    expect(await refund(order)).toMatchObject({
      status: OrderStatus.CANCELED,
      paymentStatus: PaymentStatus.REFUNDED,
      refundedTotal: "2.50",
    });
  });

  it("refuses a refund of an unpaid order", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    expect(await rejectionOf(refund(order))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INVALID_TRANSITION",
      metadata: { currentPaymentStatus: "PAYMENT_STATUS_UNPAID" },
    });
  });

  it("refuses a zero or over-precise amount as INVALID_ARGUMENT", async () => {
    const order = await placeOrder(clients, customerId, "10.00");
    await pay(order, "10.00");
    expect(await rejectionOf(refund(order, "0"))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "amount" }],
    });
    expect(await rejectionOf(refund(order, "0.005"))).toMatchObject({
      violations: [{ reason: "TOO_MANY_FRACTION_DIGITS" }],
    });
  });
});
