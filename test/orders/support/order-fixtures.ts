import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import type { Order } from "../../../gen/orders/v1/order_pb.js";
import { parseAmount, ZERO } from "../../../src/money/money.js";
import type { PaymentRecord } from "../../../src/orders/entities/json-types.js";
import { paymentStatusFromTotals } from "../../../src/orders/rules/order-lifecycle.js";
import { isAuthorized } from "../../../src/orders/rules/payments.js";
import type { Clients } from "../../support/clients.js";

/** A placed, unpaid order of exactly `total` (one line, USD unless told). */
export async function placeOrder(
  clients: Clients,
  customerId: string,
  total = "10.00",
  currency = "USD",
): Promise<Order> {
  const { order } = await clients.orders.createOrder({
    customerId,
    currency,
    items: [{ sku: "SKU-1", name: "Thing", quantity: 1, unitPrice: total }],
    shippingAddress: { line1: "1 Main St", city: "Springfield", country: "US" },
  });
  if (!order) throw new Error("CreateOrder returned no order");
  return order;
}

/** The order a call answered with; fails the test when it has none. */
export function orderOf(response: { order?: Order }): Order {
  if (!response.order) throw new Error("the response carries no order");
  return response.order;
}

/** A payment as CreateOrder writes it into `orders.payments` (issue 12): card by default, authorized or captured. */
export function paymentRecord(
  fields: Pick<PaymentRecord, "amount"> & Partial<Omit<PaymentRecord, "state">> & { state?: "AUTHORIZED" | "CAPTURED" },
): PaymentRecord {
  const state = fields.state ?? "AUTHORIZED";
  return {
    id: randomUUID(),
    method: "card",
    gatewayReference: `pi_${randomUUID().slice(0, 8)}`,
    capturedAmount: state === "CAPTURED" ? fields.amount : "0",
    giftCardId: "",
    giftCardLastCharacters: "",
    createTime: new Date().toISOString(),
    ...fields,
    state: `PAYMENT_STATE_${state}`,
  };
}

/**
 * Gives an order the payments CreateOrder would have written with it (an authorized card payment, a gift card), in
 * SQL, with paid_total and payment_status as they follow; returns the order as it now reads.
 */
export async function givePayments(
  orm: MikroORM,
  clients: Clients,
  order: Order,
  payments: PaymentRecord[],
): Promise<Order> {
  const sum = (values: string[]) => values.reduce((total, value) => total.plus(parseAmount(value)), ZERO);
  const paidTotal = sum(payments.map((payment) => payment.capturedAmount)).toFixed();
  const authorizedTotal = sum(payments.filter(isAuthorized).map((payment) => payment.amount)).toFixed();
  const paymentStatus = paymentStatusFromTotals({ total: order.total, paidTotal, authorizedTotal, refundedTotal: "0" });
  await orm.em
    .fork()
    .getConnection()
    .execute("update orders set payments = ?::jsonb, paid_total = ?, payment_status = ? where id = ?", [
      JSON.stringify(payments),
      paidTotal,
      paymentStatus,
      order.id,
    ]);
  return orderOf(await clients.orders.getOrder({ id: order.id }));
}
