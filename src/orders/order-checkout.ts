import type { CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import type { GiftCardCandidate } from "../domain/pricing/checkout.js";
import { findGiftCardsForCodes } from "../gift-cards/public.js";
import { findPromotionsForCodes, type Buyer } from "../promotions/public.js";
import type { Queryable } from "../platform/database/query.js";
import { ServiceError } from "../platform/transport/service-error.js";
import type { CheckoutLookups } from "./rules/checkout-request.js";
import {
  unlockedCheckoutLookups,
  type UnlockedLookups,
  type UnlockedLookupsQuery,
} from "./queries/checkout-lookups.js";

const NO_GIFT_CARDS: ReadonlyMap<string, GiftCardCandidate> = new Map();

/**
 * What pricing an order needs besides its lines (issue 12), from the capabilities that own it: the tenant's tax
 * configuration (for the order's market), the shipping method the request names, and the promotions and gift cards
 * of its codes. Each is asked only when the request needs it (the tax configuration always: the tenant's zones
 * decide whether the server computes tax). The tax configuration, the shipping method and (without `lock`) the
 * promotions are one statement (queries/checkout-lookups.ts), gift cards their own. With `lock`, inside CreateOrder's
 * transaction, the promotions' and gift cards' rows are locked so their usage counts and balances stay as read until
 * the order commits.
 */
export async function checkoutLookups(
  db: Queryable,
  tenantId: string,
  request: CreateOrderRequest,
  options: { lock: boolean },
): Promise<CheckoutLookups> {
  const ask = unlockedLookupsQuery(tenantId, request);
  const [found, promotions, giftCards] = await Promise.all([
    // With the lock, the promotions are read apart, under their row locks.
    unlockedCheckoutLookups(db, options.lock ? { ...ask, couponCodes: [] } : ask),
    options.lock && request.couponCodes.length > 0
      ? findPromotionsForCodes(db, tenantId, request.couponCodes, ask.buyer, options)
      : undefined,
    findGiftCards(db, tenantId, request, options),
  ]);
  return checkoutLookupsOf(request, { ...found, promotions: promotions ?? found.promotions }, giftCards);
}

/** What checkoutLookups reads in its one statement without locks, for a request (queries/checkout-lookups.ts). */
export function unlockedLookupsQuery(tenantId: string, request: CreateOrderRequest): UnlockedLookupsQuery {
  const methodId = request.shippingMethod?.id ?? "";
  return {
    tenantId,
    marketId: request.marketId || undefined,
    shippingMethodId: methodId || undefined,
    couponCodes: request.couponCodes,
    buyer: buyerOf(request),
  };
}

/** The gift cards of the request's codes (none asked when it names none). */
export function findGiftCards(
  db: Queryable,
  tenantId: string,
  request: CreateOrderRequest,
  options: { lock: boolean },
): Promise<ReadonlyMap<string, GiftCardCandidate>> {
  return request.giftCardCodes.length > 0
    ? findGiftCardsForCodes(db, tenantId, request.giftCardCodes, options)
    : Promise.resolve(NO_GIFT_CARDS);
}

/**
 * The lookups of a request from their parts, when the one statement's part was read elsewhere (prepareOrder's
 * statement of every lookup, queries/order-lookups.ts). Throws SHIPPING_METHOD_NOT_FOUND when the request names a
 * method the tenant does not have.
 */
export function checkoutLookupsOf(
  request: CreateOrderRequest,
  found: UnlockedLookups,
  giftCards: ReadonlyMap<string, GiftCardCandidate>,
): CheckoutLookups {
  const methodId = request.shippingMethod?.id ?? "";
  if (methodId && !found.shippingMethod) {
    throw new ServiceError("not_found", "SHIPPING_METHOD_NOT_FOUND", `shipping method ${methodId} was not found`, [], {
      shippingMethodId: methodId,
    });
  }
  return { ...found, giftCards };
}

/** Who a promotion's per-customer limit counts: the customer, else the guest's email. */
export function buyerOf(request: CreateOrderRequest): Buyer {
  return {
    ...(request.customerId ? { customerId: request.customerId } : {}),
    ...(request.email ? { email: request.email } : {}),
  };
}
