import type { PaymentRecord } from "./entities/json-types.js";
import { appendPaymentChange } from "./history-entries.js";
import type { MutationContext } from "./order-mutation.js";
import type { PaymentUpdate } from "./rules/payments.js";

/**
 * Stores a capture or void of one of the order's payments (rules/payments.ts) in the mutation's unit of work: the
 * payments, totals and status it leads to, and its PAYMENT history entry naming the payment's method and gateway
 * reference (and the caller's reason, if any).
 */
export function applyPaymentUpdate(context: MutationContext, update: PaymentUpdate<PaymentRecord>, reason = ""): void {
  const { order } = context;
  const { payments, payment, change } = update;
  order.payments = payments;
  order.paymentStatus = change.to;
  order.paidTotal = change.paidTotal;
  order.refundedTotal = change.refundedTotal;
  appendPaymentChange(context, change, {
    reason,
    paymentMethod: payment.method,
    gatewayReference: payment.gatewayReference,
  });
}
