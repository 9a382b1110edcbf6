import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import type { Order } from "../../../gen/orders/v1/order_pb.js";
import { debitGiftCards } from "../../../src/gift-cards/public.js";
import { parseAmount, ZERO } from "../../../src/money/money.js";
import type { PaymentRecord } from "../../../src/orders/entities/json-types.js";
import { paymentStatusFromTotals } from "../../../src/orders/rules/order-lifecycle.js";
import { isAuthorized } from "../../../src/orders/rules/payments.js";
import type { Clients } from "../../support/clients.js";

/** The order's outbox events, oldest first: type and payload. */
export async function outboxOf(orm: MikroORM, orderId: string): Promise<{ type: string; payload: Uint8Array }[]> {
  return orm.em
    .fork()
    .getConnection()
    .execute<{ type: string; payload: Uint8Array }[]>(
      "select event_type as type, payload from outbox_events where aggregate_id = ? order by aggregate_sequence",
      [orderId],
    );
}

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

/** A gift card of the clients' tenant, issued through GiftCardsService; `code` is shown this once. */
export async function issueGiftCard(
  clients: Clients,
  initialBalance = "100.00",
  currency = "USD",
): Promise<{ id: string; code: string; lastCharacters: string }> {
  const { giftCard } = await clients.giftCards.issueGiftCard({ initialBalance, currency });
  if (!giftCard) throw new Error("IssueGiftCard returned no card");
  return { id: giftCard.id, code: giftCard.code, lastCharacters: giftCard.lastCharacters };
}

/** What a gift card paid, as CreateOrder writes it into `orders.payments`: captured at once, method GIFT_CARD. */
export function giftCardPayment(card: { id: string; lastCharacters: string }, amount: string): PaymentRecord {
  return paymentRecord({
    amount,
    state: "CAPTURED",
    method: "GIFT_CARD",
    gatewayReference: "",
    giftCardId: card.id,
    giftCardLastCharacters: card.lastCharacters,
  });
}

/**
 * Takes the order's gift card payments from their cards as CreateOrder does for a live order, in a transaction
 * (gift-cards/public.ts debitGiftCards), so that the cards' balances and ledgers are real before givePayments.
 */
export async function debitGiftCardPayments(
  orm: MikroORM,
  tenantId: string,
  orderId: string,
  payments: readonly PaymentRecord[],
): Promise<void> {
  const debits = payments
    .filter((payment) => payment.method === "GIFT_CARD")
    .map((payment) => ({ giftCardId: payment.giftCardId, amount: payment.capturedAmount }));
  await orm.em.fork().transactional((tx) => debitGiftCards(tx, tenantId, orderId, debits));
}
