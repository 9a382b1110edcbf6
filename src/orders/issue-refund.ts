import { parseAmount } from "../money/money.js";
import { refund } from "./rules/order-lifecycle.js";
import { giftCardCredits, splitRefund } from "./rules/refunds.js";
import { appendPaymentChange } from "./history-entries.js";
import { creditGiftCardPayments } from "./gift-card-refunds.js";
import { lifecycleError } from "./order-errors.js";
import { lifecycleStateOf, type MutationContext } from "./order-mutation.js";

/**
 * Records a refund of `amount` (every refundable amount when undefined) in the mutation: the refund rules decide
 * whether it may be (order-lifecycle.ts) and where it goes (rules/refunds.ts: other payments first, then gift cards,
 * credited in the same transaction), with its PAYMENT history entry. RefundOrder and ReceiveReturn refund this way.
 * Returns the amount refunded.
 */
export async function issueRefund(
  context: MutationContext,
  amount: string | undefined,
  reason: string,
  action = "refund",
): Promise<string> {
  const { order } = context;
  const state = lifecycleStateOf(order);
  const result = refund(state, amount);
  if (!result.ok) throw lifecycleError(result.failure, order, action);
  const split = splitRefund(state, order.payments, parseAmount(result.change.amount));
  await creditGiftCardPayments(context, giftCardCredits(split.shares), `order ${order.orderNumber} refunded`);
  order.payments = split.payments;
  order.paymentStatus = result.change.to;
  order.refundedTotal = result.change.refundedTotal;
  appendPaymentChange(context, result.change, {
    reason,
    paymentMethod: split.sole?.method,
    gatewayReference: split.sole?.gatewayReference,
  });
  return result.change.amount;
}
