import type { CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import type { GiftCardCandidate, PromotionCandidate } from "../domain/pricing/checkout.js";
import { findGiftCardsForCodes } from "../gift-cards/public.js";
import { findPromotionsForCodes } from "../promotions/public.js";
import { findShippingMethod } from "../shipping/public.js";
import { loadTaxConfiguration } from "../tax/public.js";
import type { Queryable } from "../platform/database/query.js";
import { ServiceError } from "../platform/transport/service-error.js";
import type { CheckoutLookups } from "./rules/checkout-request.js";

const NO_PROMOTIONS: ReadonlyMap<string, PromotionCandidate> = new Map();
const NO_GIFT_CARDS: ReadonlyMap<string, GiftCardCandidate> = new Map();

/**
 * What pricing an order needs besides its lines (issue 12), from the capabilities that own it: the tenant's tax
 * configuration (for the order's market), the shipping method the request names, and the promotions and gift cards
 * of its codes. Each is asked only when the request needs it (the tax configuration always: the tenant's zones
 * decide whether the server computes tax). With `lock`, inside CreateOrder's transaction, the promotions' and gift
 * cards' rows are locked so their usage counts and balances stay as read until the order commits.
 */
export async function checkoutLookups(
  db: Queryable,
  tenantId: string,
  request: CreateOrderRequest,
  options: { lock: boolean },
): Promise<CheckoutLookups> {
  const methodId = request.shippingMethod?.id ?? "";
  const buyer = buyerOf(request);
  const [tax, shippingMethod, promotions, giftCards] = await Promise.all([
    loadTaxConfiguration(db, tenantId, request.marketId || undefined),
    methodId ? findShippingMethod(db, tenantId, methodId) : undefined,
    request.couponCodes.length > 0
      ? findPromotionsForCodes(db, tenantId, request.couponCodes, buyer, options)
      : NO_PROMOTIONS,
    request.giftCardCodes.length > 0
      ? findGiftCardsForCodes(db, tenantId, request.giftCardCodes, options)
      : NO_GIFT_CARDS,
  ]);
  if (methodId && !shippingMethod) {
    throw new ServiceError("not_found", "SHIPPING_METHOD_NOT_FOUND", `shipping method ${methodId} was not found`, [], {
      shippingMethodId: methodId,
    });
  }
  return { tax, shippingMethod, promotions, giftCards };
}

/** Who a promotion's per-customer limit counts: the customer, else the guest's email. */
export function buyerOf(request: CreateOrderRequest): { customerId?: string; email?: string } {
  return {
    ...(request.customerId ? { customerId: request.customerId } : {}),
    ...(request.email ? { email: request.email } : {}),
  };
}
