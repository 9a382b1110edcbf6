import { creditGiftCards } from "../gift-cards/public.js";
import type { MutationContext } from "./order-mutation.js";
import { shortCredits, type GiftCardCredit } from "./rules/refunds.js";

/**
 * Gives gift cards back the money a refund or a cancellation of the order returns to them (rules/refunds.ts), in
 * the mutation's transaction: a CREDIT entry in each card's ledger with `note`. Never for a test order, which never
 * debited a card (docs/test-mode.md). The order's payments and the cards' ledgers are two records of the same money
 * and must agree: a card that gives back less than the payments say the order holds of it (creditGiftCards never
 * credits more than the order debited and did not get back) means one of them is wrong, a bug. The throw then rolls
 * the whole change back (INTERNAL) rather than record a refund that did not reach the card.
 */
export async function creditGiftCardPayments(
  context: MutationContext,
  credits: readonly GiftCardCredit[],
  note: string,
): Promise<void> {
  const { tx, order, principal } = context;
  if (order.isTest || credits.length === 0) return;
  const credited = await creditGiftCards(tx, principal.tenantId, order.id, credits, note);
  const short = shortCredits(credits, credited);
  if (short.length > 0) {
    throw new Error(
      `order ${order.id}'s payments hold more of gift cards ${short.join(", ")} than their ledgers give back`,
    );
  }
}
