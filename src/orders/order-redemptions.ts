import type { EntityManager } from "@mikro-orm/postgresql";
import type { CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import { debitGiftCards } from "../gift-cards/public.js";
import { recordRedemptions } from "../promotions/public.js";
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
  const uses = prepared.checkout.adjustments
    .filter((adjustment) => adjustment.promotionId !== "")
    .map((adjustment) => ({ promotionId: adjustment.promotionId, code: adjustment.code, amount: adjustment.amount }));
  const debits = prepared.checkout.giftCardPayments.map((paid) => ({
    giftCardId: paid.giftCardId,
    amount: paid.amount,
  }));
  if (uses.length > 0) await recordRedemptions(tx, tenantId, orderId, buyerOf(request), uses);
  if (debits.length > 0) await debitGiftCards(tx, tenantId, orderId, debits);
}
