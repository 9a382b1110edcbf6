import type { EntityManager } from "@mikro-orm/postgresql";
import type { CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import { debitGiftCards } from "../gift-cards/public.js";
import { recordRedemptions, type Buyer, type Redemption } from "../promotions/public.js";
import { buyerOf } from "./order-checkout.js";
import type { PreparedOrder } from "./order-preparation.js";

/**
 * What a new order takes from promotions and gift cards, written in the order's transaction after its rows
 * (create-order.ts): one use of each applied promotion, and each gift card's payment debited from its balance.
 */
export async function redeemCodes(
  tx: EntityManager,
  tenantId: string,
  orderId: string,
  request: CreateOrderRequest,
  prepared: PreparedOrder,
): Promise<void> {
  const uses = promotionUses(prepared);
  const debits = prepared.checkout.giftCardPayments.map((paid) => ({
    giftCardId: paid.giftCardId,
    amount: paid.amount,
  }));
  if (uses.length > 0) await recordRedemptions(tx, tenantId, orderId, buyerOf(request), uses);
  if (debits.length > 0) await debitGiftCards(tx, tenantId, orderId, debits);
}

/** One use of each promotion the order applied. */
function promotionUses(prepared: PreparedOrder): Redemption[] {
  return prepared.checkout.adjustments
    .filter((adjustment) => adjustment.promotionId !== "")
    .map((adjustment) => ({ promotionId: adjustment.promotionId, code: adjustment.code, amount: adjustment.amount }));
}

/**
 * Whether the order may be placed without the locked second pricing (create-order.ts): it pays with no gift card
 * (a balance needs the card's lock) and every promotion its codes found, as prepared, has no usage limit in total or
 * per customer (nothing to count under a lock, so the first pricing stands).
 */
export function redeemsWithoutLimits(request: CreateOrderRequest, prepared: PreparedOrder): boolean {
  if (request.giftCardCodes.length > 0) return false;
  return [...prepared.lookups.promotions.values()].every(
    (promotion) => promotion.usageLimit === undefined && promotion.perCustomerLimit === undefined,
  );
}

/**
 * The uses of an order placed without the locks (redeemsWithoutLimits): one of each applied promotion, counted in the
 * order's own statement (queries/insert-order.ts), which is refused, nothing written, when a promotion got a limit or
 * was deactivated since the order was priced; the caller then places the order the locked way.
 */
export function unlimitedUses(
  request: CreateOrderRequest,
  prepared: PreparedOrder,
): { buyer: Buyer; redemptions: Redemption[] } {
  return { buyer: buyerOf(request), redemptions: promotionUses(prepared) };
}
