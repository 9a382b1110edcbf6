import { MoneyDecimal, ZERO, formatAmount, parseAmount, type Decimal } from "../../money/money.js";
import { GIFT_CARD_METHOD } from "./checkout-request.js";
import { paymentChange, type LifecycleState } from "./order-lifecycle.js";
import { replacePayment, stateAfter, type PaymentUpdate, type PaymentView } from "./payments.js";

/**
 * Where an order's refunds go among its payments (issue 12 §5), as pure functions. A payment holds what was captured
 * of it and not yet refunded (captured_amount - refunded_amount); gift cards are money this service gives back
 * itself (gift-cards/public.ts creditGiftCards), every other payment the caller returns through its gateway.
 *
 *   RefundOrder:  the other payments first (oldest first), then the gift cards (oldest first), each up to what it holds
 *   CancelOrder:  every gift card gets back all it holds, a refund each (the other captured payments stay)
 *
 * So a buyer's external money goes back before store credit, and whatever a gift card got back is in its payment's
 * refunded_amount and in refunded_total: nothing is given back twice. Money paid_total counts that no payment lists
 * (orders paid before payments were listed, imports) is refunded with the other payments, changing none. What the
 * cards get back never exceeds what the order can still refund (paid_total - refunded_total).
 */

/** What the refund rules read of a stored payment (entities/json-types.ts PaymentRecord has these and more). */
export interface RefundablePayment extends PaymentView {
  /** "GIFT_CARD" for a gift card. */
  method: string;
  giftCardId: string;
  /** Absent when nothing was refunded of it. */
  refundedAmount?: string;
}

/** A gift card's money, given back to the card: its id and the amount (canonical decimal). */
export interface GiftCardCredit {
  giftCardId: string;
  amount: string;
}

export function isGiftCardPayment(payment: Pick<RefundablePayment, "method">): boolean {
  return payment.method === GIFT_CARD_METHOD;
}

/** What can still be refunded of a payment: captured_amount - refunded_amount (0 for an authorized or voided one). */
export function refundableOf(payment: RefundablePayment): Decimal {
  const captured = parseAmount(payment.capturedAmount);
  return MoneyDecimal.max(ZERO, captured.minus(parseAmount(payment.refundedAmount ?? "0")));
}

/** One payment's part of a refund: the payment as it now is (its refunded_amount grown) and the part. */
export interface RefundShare<P> {
  payment: P;
  amount: string;
}

export interface RefundSplit<P> {
  /** The order's payments with the parts added to their refunded amounts, in their order. */
  payments: P[];
  /** The payments the refund went to: the others first, then gift cards, each oldest first. */
  shares: RefundShare<P>[];
  /** The one payment that took the whole refund, when one did (the history entry names it). */
  sole?: P;
}

/**
 * Splits `amount` of a refund (refund() in order-lifecycle.ts checked it against what the order can refund) over the
 * order's payments: the other payments' money first, then the gift cards'. Throws (a caller's bug) on more than
 * paid_total - refunded_total.
 */
export function splitRefund<P extends RefundablePayment>(
  state: LifecycleState,
  payments: readonly P[],
  amount: Decimal,
): RefundSplit<P> {
  const refundable = refundableTotal(state);
  if (amount.greaterThan(refundable)) {
    throw new RangeError(`a refund of ${amount.toFixed()} is more than the ${refundable.toFixed()} refundable`);
  }
  const giftCards = payments.filter(isGiftCardPayment);
  const others = payments.filter((payment) => !isGiftCardPayment(payment));
  const onGiftCards = MoneyDecimal.min(refundable, sum(giftCards.map(refundableOf)));
  const toOthers = MoneyDecimal.min(amount, refundable.minus(onGiftCards));
  const parts = [...takeInOrder(others, toOthers), ...takeInOrder(giftCards, amount.minus(toOthers))];

  let next = [...payments];
  const shares: RefundShare<P>[] = [];
  for (const [payment, part] of parts) {
    const refunded = withRefund(payment, part, state.minorUnits);
    next = replacePayment(next, refunded);
    shares.push({ payment: refunded, amount: formatAmount(part, state.minorUnits) });
  }
  const [first] = shares;
  const sole = shares.length === 1 && first && parseAmount(first.amount).equals(amount) ? first.payment : undefined;
  return { payments: next, shares, ...(sole ? { sole } : {}) };
}

/**
 * What CancelOrder gives back: every gift card payment's money still held (captured_amount - refunded_amount), one
 * refund each from the state the previous one left, never past what the order can still refund; none when no card
 * holds anything.
 */
export function giveBackGiftCards<P extends RefundablePayment>(
  state: LifecycleState,
  payments: readonly P[],
): PaymentUpdate<P>[] {
  const updates: PaymentUpdate<P>[] = [];
  let current = { state, payments: [...payments] };
  for (const { id } of payments.filter(isGiftCardPayment)) {
    const payment = current.payments.find((candidate) => candidate.id === id);
    if (!payment) throw new Error(`payment ${id} vanished from the order's payments`);
    const amount = MoneyDecimal.min(refundableOf(payment), refundableTotal(current.state));
    if (!amount.greaterThan(ZERO)) continue;
    const refunded = withRefund(payment, amount, state.minorUnits);
    const update: PaymentUpdate<P> = {
      payments: replacePayment(current.payments, refunded),
      payment: refunded,
      change: paymentChange(current.state, { amount, refunded: amount }),
    };
    updates.push(update);
    current = { state: stateAfter(current.state, update), payments: update.payments };
  }
  return updates;
}

/** The gift cards' parts of refund shares, as creditGiftCards takes them. */
export function giftCardCredits(shares: readonly RefundShare<RefundablePayment>[]): GiftCardCredit[] {
  return shares
    .filter((share) => isGiftCardPayment(share.payment))
    .map((share) => ({ giftCardId: share.payment.giftCardId, amount: share.amount }));
}

/**
 * The cards that got back less than `wanted` gave them (amounts of one card added up), by id: what the card's
 * ledger holds of the order is less than the order's payments say.
 */
export function shortCredits(wanted: readonly GiftCardCredit[], credited: readonly GiftCardCredit[]): string[] {
  const got = totalsPerCard(credited);
  return [...totalsPerCard(wanted)]
    .filter(([giftCardId, amount]) => (got.get(giftCardId) ?? ZERO).lessThan(amount))
    .map(([giftCardId]) => giftCardId);
}

function refundableTotal(state: LifecycleState): Decimal {
  return MoneyDecimal.max(ZERO, parseAmount(state.paidTotal).minus(parseAmount(state.refundedTotal)));
}

/** Takes `amount` from the payments in their order, each up to what it holds: the parts taken, none of 0. */
function takeInOrder<P extends RefundablePayment>(payments: readonly P[], amount: Decimal): [P, Decimal][] {
  const parts: [P, Decimal][] = [];
  let left = amount;
  for (const payment of payments) {
    if (!left.greaterThan(ZERO)) break;
    const part = MoneyDecimal.min(left, refundableOf(payment));
    if (!part.greaterThan(ZERO)) continue;
    parts.push([payment, part]);
    left = left.minus(part);
  }
  return parts;
}

function withRefund<P extends RefundablePayment>(payment: P, amount: Decimal, minorUnits: number): P {
  const refunded = parseAmount(payment.refundedAmount ?? "0").plus(amount);
  return { ...payment, refundedAmount: formatAmount(refunded, minorUnits) };
}

function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((total, value) => total.plus(value), ZERO);
}

function totalsPerCard(credits: readonly GiftCardCredit[]): Map<string, Decimal> {
  const totals = new Map<string, Decimal>();
  for (const { giftCardId, amount } of credits) {
    totals.set(giftCardId, (totals.get(giftCardId) ?? ZERO).plus(parseAmount(amount)));
  }
  return totals;
}
