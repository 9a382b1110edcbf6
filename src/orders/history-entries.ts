import type { PaymentChange, StatusChange } from "./rules/order-lifecycle.js";
import { OrderHistoryEntry } from "./entities/order-history-entry.js";
import type { MutationContext } from "./order-mutation.js";

/**
 * Appends a change to the order's history in the mutation's unit of work. The order row is locked,
 * so the next position is simply the number of entries it has.
 */
function append(
  context: MutationContext,
  fields: Partial<OrderHistoryEntry> & Pick<OrderHistoryEntry, "kind">,
): OrderHistoryEntry {
  const { tx, order, principal, now } = context;
  const entry = tx.create(OrderHistoryEntry, {
    ...fields,
    order,
    tenantId: principal.tenantId,
    position: order.history.length,
    // empty for a change the service makes by itself (an expired hold released by housekeeping)
    apiKeyId: principal.apiKeyId || null,
    createdAt: now,
  });
  order.history.add(entry);
  return entry;
}

export function appendStatusChange(context: MutationContext, change: StatusChange, reason = ""): OrderHistoryEntry {
  return append(context, { kind: "status", fromStatus: change.from, toStatus: change.to, reason: reason || null });
}

export function appendPaymentChange(
  context: MutationContext,
  change: PaymentChange,
  details: { reason?: string; paymentMethod?: string; gatewayReference?: string } = {},
): OrderHistoryEntry {
  return append(context, {
    kind: "payment",
    fromPaymentStatus: change.from,
    toPaymentStatus: change.to,
    amount: change.amount,
    reason: details.reason || null,
    paymentMethod: details.paymentMethod || null,
    gatewayReference: details.gatewayReference || null,
  });
}
