import { ZERO, formatAmount, parseAmount, type Decimal } from "../../money/money.js";
import { fieldViolation } from "../../money/field-violation.js";
import {
  paymentChange,
  positiveAmount,
  type LifecycleFailure,
  type LifecycleResult,
  type LifecycleState,
  type PaymentChange,
} from "./order-lifecycle.js";

/**
 * The payments of an order (`orders.payments`) as pure functions: capture and void of an authorized payment, and
 * the void of every authorization when the order is canceled. Each returns the new list of payments (the others
 * unchanged, in place) and the payment change (rules/order-lifecycle.ts) that the order's totals and status take.
 *
 *   payment state:   AUTHORIZED --capture--> CAPTURED (captured_amount <= amount; the rest is released)
 *                    AUTHORIZED --void-----> VOIDED
 *
 * Only AUTHORIZED payments move; a CAPTURED one (a gift card, RecordPayment's, a capture) and a VOIDED one stay.
 */

/** A payment state by its contract name, as `orders.payments` stores it. */
export const PAYMENT_STATE = {
  authorized: "PAYMENT_STATE_AUTHORIZED",
  captured: "PAYMENT_STATE_CAPTURED",
  voided: "PAYMENT_STATE_VOIDED",
} as const;

/** What the rules read of a stored payment (entities/json-types.ts PaymentRecord has these and more). */
export interface PaymentView {
  id: string;
  /** The contract name ("PAYMENT_STATE_AUTHORIZED"); the short name ("AUTHORIZED") is read too. */
  state: string;
  amount: string;
  capturedAmount: string;
}

/** A payment's state as its contract name, whichever of the two forms is stored. */
export function paymentStateName(state: string): string {
  return state.startsWith("PAYMENT_STATE_") ? state : `PAYMENT_STATE_${state}`;
}

export function isAuthorized(payment: Pick<PaymentView, "state">): boolean {
  return paymentStateName(payment.state) === PAYMENT_STATE.authorized;
}

/** The sum of the authorized, not yet captured payments (Order.authorized_total). */
export function authorizedTotalOf(payments: readonly Pick<PaymentView, "state" | "amount">[]): Decimal {
  return payments.filter(isAuthorized).reduce((sum, payment) => sum.plus(parseAmount(payment.amount)), ZERO);
}

/** A change of one payment of the order: the whole new list, the payment as it now is, and the order's change. */
export interface PaymentUpdate<P extends PaymentView> {
  payments: P[];
  payment: P;
  change: PaymentChange;
}

/**
 * Captures `amountText` (default: all) of the authorized payment `paymentId`: the payment becomes CAPTURED with
 * that captured amount, which paid_total gains; what was authorized beyond it is released. Refused on a canceled
 * order (whose authorizations CancelOrder voided), for a payment that is not authorized, and for more than was
 * authorized.
 */
export function capturePayment<P extends PaymentView>(
  state: LifecycleState,
  payments: readonly P[],
  paymentId: string,
  amountText: string | undefined,
): LifecycleResult<PaymentUpdate<P>> {
  const requested = amountText === undefined ? undefined : positiveAmount("amount", amountText, state.minorUnits);
  if (requested && !requested.ok) return requested;
  // A canceled order's authorizations were voided with it: the order, not the payment, refuses.
  if (state.status === "canceled" && payments.some((payment) => payment.id === paymentId)) {
    return { ok: false, failure: { kind: "invalid_transition" } };
  }
  const found = authorizedPayment(payments, paymentId);
  if (!found.ok) return found;
  const authorized = parseAmount(found.payment.amount);
  const captured = requested?.value ?? authorized;
  if (captured.greaterThan(authorized)) {
    const violation = fieldViolation(
      "amount",
      "CAPTURE_EXCEEDS_AUTHORIZED",
      `must be at most the ${formatAmount(authorized, state.minorUnits)} authorized`,
    );
    return { ok: false, failure: { kind: "invalid_amount", violations: [violation] } };
  }
  const payment: P = {
    ...found.payment,
    state: PAYMENT_STATE.captured,
    capturedAmount: formatAmount(captured, state.minorUnits),
  };
  const next = replacePayment(payments, payment);
  const change = paymentChange(state, { amount: captured, paid: captured, authorizedTotal: authorizedTotalOf(next) });
  return { ok: true, change: { payments: next, payment, change } };
}

/** Voids the authorized payment `paymentId`: nothing is taken; the change records the amount released. */
export function voidPayment<P extends PaymentView>(
  state: LifecycleState,
  payments: readonly P[],
  paymentId: string,
): LifecycleResult<PaymentUpdate<P>> {
  const found = authorizedPayment(payments, paymentId);
  if (!found.ok) return found;
  const payment: P = {
    ...found.payment,
    state: PAYMENT_STATE.voided,
    capturedAmount: formatAmount(ZERO, state.minorUnits),
  };
  const next = replacePayment(payments, payment);
  const change = paymentChange(state, {
    amount: parseAmount(found.payment.amount),
    authorizedTotal: authorizedTotalOf(next),
  });
  return { ok: true, change: { payments: next, payment, change } };
}

/**
 * Voids every authorized payment, one after the other (CancelOrder): one update per payment voided, each starting
 * from the state the previous one left; none when nothing is authorized.
 */
export function voidAuthorizations<P extends PaymentView>(
  state: LifecycleState,
  payments: readonly P[],
): PaymentUpdate<P>[] {
  const updates: PaymentUpdate<P>[] = [];
  let current = { state, payments };
  for (const { id } of payments.filter(isAuthorized)) {
    const result = voidPayment(current.state, current.payments, id);
    if (!result.ok) throw new Error(`payment ${id} was authorized but could not be voided`);
    updates.push(result.change);
    current = { state: stateAfter(current.state, result.change), payments: result.change.payments };
  }
  return updates;
}

/** The lifecycle state after a payment update, as the use case stores it. */
export function stateAfter(state: LifecycleState, update: PaymentUpdate<PaymentView>): LifecycleState {
  return {
    ...state,
    paymentStatus: update.change.to,
    paidTotal: update.change.paidTotal,
    refundedTotal: update.change.refundedTotal,
    authorizedTotal: formatAmount(authorizedTotalOf(update.payments), state.minorUnits),
  };
}

function authorizedPayment<P extends PaymentView>(
  payments: readonly P[],
  paymentId: string,
): { ok: true; payment: P } | { ok: false; failure: LifecycleFailure } {
  const payment = payments.find((candidate) => candidate.id === paymentId);
  if (!payment) return { ok: false, failure: { kind: "payment_not_found", paymentId } };
  if (!isAuthorized(payment)) {
    return {
      ok: false,
      failure: { kind: "payment_not_authorized", paymentId, paymentState: paymentStateName(payment.state) },
    };
  }
  return { ok: true, payment };
}

/** The payments with `payment` in place of the one of its id. */
export function replacePayment<P extends PaymentView>(payments: readonly P[], payment: P): P[] {
  return payments.map((candidate) => (candidate.id === payment.id ? payment : candidate));
}
