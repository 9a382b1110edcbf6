import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import {
  MoneyDecimal,
  ZERO,
  formatAmount,
  fractionDigits,
  isCanonicalAmount,
  parseAmount,
  type Decimal,
} from "../../money/money.js";

/**
 * The order's two state machines, as pure functions: no I/O, no clock. Statuses are the names stored in
 * the `orders` columns; the proto enums map onto them one to one (order-mapper.ts).
 *
 *   status:          placed --fulfill--> fulfilled --deliver--> delivered
 *                    placed --cancel---> canceled
 *
 *   payment status:  unpaid, partially_paid --pay--> partially_paid | authorized | paid
 *                    partially_paid, authorized, paid, partially_refunded --refund--> partially_refunded | refunded
 *                    (capture and void of authorized payments: rules/payments.ts)
 *
 * After a payment or refund the status follows from the totals (paymentStatusFromTotals).
 * Invariants every function here keeps: 0 <= refunded_total <= paid_total <= total, and
 * paid_total + authorized_total <= total (an authorization holds its part of the balance).
 */

export const ORDER_STATUSES = ["placed", "fulfilled", "delivered", "canceled"] as const;
export type OrderStatusName = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = [
  "unpaid",
  "partially_paid",
  "paid",
  "partially_refunded",
  "refunded",
  "authorized",
] as const;
export type PaymentStatusName = (typeof PAYMENT_STATUSES)[number];

export type StatusAction = "fulfill" | "deliver" | "cancel";

/** Each status action has exactly one state it starts from. */
const STATUS_TRANSITIONS: Readonly<Record<StatusAction, { from: OrderStatusName; to: OrderStatusName }>> = {
  fulfill: { from: "placed", to: "fulfilled" },
  deliver: { from: "fulfilled", to: "delivered" },
  // Refused once fulfilled: the goods are on their way, so the way back is a return, not a cancel.
  cancel: { from: "placed", to: "canceled" },
};

const PAYABLE: ReadonlySet<PaymentStatusName> = new Set(["unpaid", "partially_paid"]);
// An authorized order may hold captured money too (a gift card, a captured part): refundable when it does.
const REFUNDABLE: ReadonlySet<PaymentStatusName> = new Set([
  "partially_paid",
  "authorized",
  "paid",
  "partially_refunded",
]);

/** What the rules need to know of an order. Amounts are decimal strings (as stored or as returned). */
export interface LifecycleState {
  status: OrderStatusName;
  paymentStatus: PaymentStatusName;
  total: string;
  paidTotal: string;
  refundedTotal: string;
  /** Sum of the order's authorized, not yet captured payments. */
  authorizedTotal: string;
  /** ISO 4217 minor units of the order's currency. */
  minorUnits: number;
}

/** Why a change is refused; the use case turns each kind into its error code and reason. */
export type LifecycleFailure =
  | { kind: "invalid_transition" }
  | { kind: "invalid_amount"; violations: FieldViolation[] }
  | { kind: "payment_exceeds_balance"; balance: string }
  | { kind: "refund_exceeds_paid"; refundable: string }
  | { kind: "payment_not_found"; paymentId: string }
  /** `paymentState` is the payment's state by its contract name, e.g. "PAYMENT_STATE_CAPTURED". */
  | { kind: "payment_not_authorized"; paymentId: string; paymentState: string };

export type LifecycleResult<T> = { ok: true; change: T } | { ok: false; failure: LifecycleFailure };

export interface StatusChange {
  from: OrderStatusName;
  to: OrderStatusName;
}

export interface PaymentChange {
  from: PaymentStatusName;
  to: PaymentStatusName;
  /** The amount paid or refunded by this change, in the currency's minor units. */
  amount: string;
  paidTotal: string;
  refundedTotal: string;
}

/** Fulfil, deliver or cancel: legal only from the one status each action starts from. */
export function changeStatus(
  state: Pick<LifecycleState, "status">,
  action: StatusAction,
): LifecycleResult<StatusChange> {
  const transition = STATUS_TRANSITIONS[action];
  if (state.status !== transition.from) return { ok: false, failure: { kind: "invalid_transition" } };
  return { ok: true, change: { from: state.status, to: transition.to } };
}

/**
 * The payment status an order's totals put it in. Refunds decide first: REFUNDED once everything paid is
 * refunded, else PARTIALLY_REFUNDED. Then PAID when paid_total reaches the total (also a total of 0),
 * AUTHORIZED when the authorized payments, once captured, would, PARTIALLY_PAID when anything is paid, else
 * UNPAID. CreateOrder, payments, refunds, captures and voids all derive the status here.
 */
export function paymentStatusFromTotals(totals: {
  total: string;
  paidTotal: string;
  authorizedTotal: string;
  refundedTotal: string;
}): PaymentStatusName {
  const paid = parseAmount(totals.paidTotal);
  const refunded = parseAmount(totals.refundedTotal);
  if (refunded.greaterThan(ZERO)) return refunded.greaterThanOrEqualTo(paid) ? "refunded" : "partially_refunded";
  const total = parseAmount(totals.total);
  if (paid.greaterThanOrEqualTo(total)) return "paid";
  if (paid.plus(parseAmount(totals.authorizedTotal)).greaterThanOrEqualTo(total)) return "authorized";
  return paid.greaterThan(ZERO) ? "partially_paid" : "unpaid";
}

/**
 * Records a payment of `amountText`: never more than the balance, never on a canceled order. The balance
 * is what is neither paid nor authorized: an authorized payment holds its part until it is captured or voided.
 */
export function recordPayment(state: LifecycleState, amountText: string): LifecycleResult<PaymentChange> {
  const amount = positiveAmount("amount", amountText, state.minorUnits);
  if (!amount.ok) return amount;
  if (state.status === "canceled" || !PAYABLE.has(state.paymentStatus)) {
    return { ok: false, failure: { kind: "invalid_transition" } };
  }
  const paid = parseAmount(state.paidTotal);
  const balance = parseAmount(state.total).minus(paid).minus(parseAmount(state.authorizedTotal));
  if (amount.value.greaterThan(balance)) {
    return {
      ok: false,
      failure: {
        kind: "payment_exceeds_balance",
        balance: formatAmount(MoneyDecimal.max(ZERO, balance), state.minorUnits),
      },
    };
  }
  return { ok: true, change: paymentChange(state, { paid: amount.value, amount: amount.value }) };
}

/**
 * The payment change that adds `paid` to paid_total and `refunded` to refunded_total (and changes the
 * authorized total to `authorizedTotal`, when given), recording `amount`, with the status that follows.
 */
export function paymentChange(
  state: LifecycleState,
  delta: { amount: Decimal; paid?: Decimal; refunded?: Decimal; authorizedTotal?: Decimal },
): PaymentChange {
  const format = (value: Decimal) => formatAmount(value, state.minorUnits);
  const paidTotal = format(parseAmount(state.paidTotal).plus(delta.paid ?? ZERO));
  const refundedTotal = format(parseAmount(state.refundedTotal).plus(delta.refunded ?? ZERO));
  const authorizedTotal = delta.authorizedTotal ? format(delta.authorizedTotal) : state.authorizedTotal;
  return {
    from: state.paymentStatus,
    to: paymentStatusFromTotals({ total: state.total, paidTotal, authorizedTotal, refundedTotal }),
    amount: format(delta.amount),
    paidTotal,
    refundedTotal,
  };
}

/**
 * Records a refund of `amountText`, or of everything still refundable when it is undefined: never more
 * than was paid and not yet refunded.
 */
export function refund(state: LifecycleState, amountText: string | undefined): LifecycleResult<PaymentChange> {
  const requested = amountText === undefined ? undefined : positiveAmount("amount", amountText, state.minorUnits);
  if (requested && !requested.ok) return requested;
  if (!REFUNDABLE.has(state.paymentStatus)) return { ok: false, failure: { kind: "invalid_transition" } };
  const paid = parseAmount(state.paidTotal);
  const refunded = parseAmount(state.refundedTotal);
  const refundable = paid.minus(refunded);
  if (!refundable.greaterThan(ZERO)) return { ok: false, failure: { kind: "invalid_transition" } };
  const amount = requested?.value ?? refundable;
  if (amount.greaterThan(refundable)) {
    return {
      ok: false,
      failure: { kind: "refund_exceeds_paid", refundable: formatAmount(refundable, state.minorUnits) },
    };
  }
  return { ok: true, change: paymentChange(state, { amount, refunded: amount }) };
}

/**
 * A request amount that must be more than zero and have no more fraction digits than the currency
 * ("0.001" USD is not money a gateway moved). `field` names it in the violation.
 */
export function positiveAmount(
  field: string,
  text: string,
  minorUnits: number,
): { ok: true; value: Decimal } | { ok: false; failure: LifecycleFailure } {
  const invalid = (reason: string, description: string) => ({
    ok: false as const,
    failure: { kind: "invalid_amount" as const, violations: [fieldViolation(field, reason, description)] },
  });
  if (!isCanonicalAmount(text)) return invalid("INVALID_DECIMAL", "must be a decimal string such as 12.50");
  if (fractionDigits(text) > minorUnits) {
    return invalid("TOO_MANY_FRACTION_DIGITS", `must have at most ${minorUnits} fraction digits in this currency`);
  }
  const value = parseAmount(text);
  if (!value.greaterThan(ZERO)) return invalid("AMOUNT_NOT_POSITIVE", "must be more than 0");
  return { ok: true, value };
}

/** A stored status column as a status name; anything else is a corrupt row, hence a throw. */
export function orderStatusName(value: string): OrderStatusName {
  const found = ORDER_STATUSES.find((status) => status === value);
  if (found === undefined) throw new Error(`unknown order status ${JSON.stringify(value)}`);
  return found;
}

/** A stored payment status column as a payment status name; throws like orderStatusName. */
export function paymentStatusName(value: string): PaymentStatusName {
  const found = PAYMENT_STATUSES.find((status) => status === value);
  if (found === undefined) throw new Error(`unknown payment status ${JSON.stringify(value)}`);
  return found;
}
