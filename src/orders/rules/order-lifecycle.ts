import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { ZERO, formatAmount, fractionDigits, isCanonicalAmount, parseAmount, type Decimal } from "../../money/money.js";

/**
 * The order's two state machines, as pure functions: no I/O, no clock. Statuses are the names stored in
 * the `orders` columns; the proto enums map onto them one to one (order-mapper.ts).
 *
 *   status:          placed --fulfill--> fulfilled --deliver--> delivered
 *                    placed --cancel---> canceled
 *
 *   payment status:  unpaid, partially_paid --pay--> partially_paid | paid
 *                    partially_paid, paid, partially_refunded --refund--> partially_refunded | refunded
 *
 * Invariants every function here keeps: 0 <= refunded_total <= paid_total <= total.
 */

export const ORDER_STATUSES = ["placed", "fulfilled", "delivered", "canceled"] as const;
export type OrderStatusName = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = ["unpaid", "partially_paid", "paid", "partially_refunded", "refunded"] as const;
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
const REFUNDABLE: ReadonlySet<PaymentStatusName> = new Set(["partially_paid", "paid", "partially_refunded"]);

/** What the rules need to know of an order. Amounts are decimal strings (as stored or as returned). */
export interface LifecycleState {
  status: OrderStatusName;
  paymentStatus: PaymentStatusName;
  total: string;
  paidTotal: string;
  refundedTotal: string;
  /** ISO 4217 minor units of the order's currency. */
  minorUnits: number;
}

/** Why a change is refused; the use case turns each kind into its error code and reason. */
export type LifecycleFailure =
  | { kind: "invalid_transition" }
  | { kind: "invalid_amount"; violations: FieldViolation[] }
  | { kind: "payment_exceeds_balance"; balance: string }
  | { kind: "refund_exceeds_paid"; refundable: string };

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

/** Records a payment of `amountText`: never more than the balance, never on a canceled order. */
export function recordPayment(state: LifecycleState, amountText: string): LifecycleResult<PaymentChange> {
  const amount = positiveAmount("amount", amountText, state.minorUnits);
  if (!amount.ok) return amount;
  if (state.status === "canceled" || !PAYABLE.has(state.paymentStatus)) {
    return { ok: false, failure: { kind: "invalid_transition" } };
  }
  const total = parseAmount(state.total);
  const paid = parseAmount(state.paidTotal);
  const balance = total.minus(paid);
  if (amount.value.greaterThan(balance)) {
    return {
      ok: false,
      failure: { kind: "payment_exceeds_balance", balance: formatAmount(balance, state.minorUnits) },
    };
  }
  const paidTotal = paid.plus(amount.value);
  return {
    ok: true,
    change: {
      from: state.paymentStatus,
      to: paidTotal.equals(total) ? "paid" : "partially_paid",
      amount: formatAmount(amount.value, state.minorUnits),
      paidTotal: formatAmount(paidTotal, state.minorUnits),
      refundedTotal: formatAmount(parseAmount(state.refundedTotal), state.minorUnits),
    },
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
  const amount = requested?.value ?? refundable;
  if (amount.greaterThan(refundable)) {
    return {
      ok: false,
      failure: { kind: "refund_exceeds_paid", refundable: formatAmount(refundable, state.minorUnits) },
    };
  }
  const refundedTotal = refunded.plus(amount);
  return {
    ok: true,
    change: {
      from: state.paymentStatus,
      to: refundedTotal.equals(paid) ? "refunded" : "partially_refunded",
      amount: formatAmount(amount, state.minorUnits),
      paidTotal: formatAmount(paid, state.minorUnits),
      refundedTotal: formatAmount(refundedTotal, state.minorUnits),
    },
  };
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
