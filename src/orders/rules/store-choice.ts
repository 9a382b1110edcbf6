import type { CreateOrderRequest } from "../../../gen/orders/v1/orders_service_pb.js";
import type { ResolvedStoreReferences, StoreResourceKind } from "../../store/public.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/** Where an order is placed (seed 002): its market, sales channel and preferred stock location, and what they imply. */
export interface StoreChoice {
  marketId: string | null;
  /** The one named, else the tenant's primary sales channel; null when the tenant has none. */
  salesChannelId: string | null;
  stockLocationId: string | null;
  /** The market's currency, for an order that names none. */
  currency?: string;
  /** The market's default locale, for an order that names none. */
  locale?: string;
}

/**
 * Pure: what the store's answer (store/public.ts, one statement) means for the order. An id the tenant does not
 * have is NOT_FOUND (`notFound`, first in the order market, sales channel, stock location). A market fixes the
 * currency: an order in another currency is refused (CURRENCY_NOT_IN_MARKET), one that names none takes the
 * market's; likewise the locale. A stock location that is not active cannot be preferred.
 */
export function storeChoice(
  request: Pick<CreateOrderRequest, "marketId" | "salesChannelId" | "preferredStockLocationId" | "currency" | "locale">,
  store: ResolvedStoreReferences,
):
  | { ok: true; choice: StoreChoice }
  | { ok: false; notFound: { kind: StoreResourceKind; id: string } }
  | { ok: false; violations: FieldViolation[] } {
  const [missing] = store.notFound;
  if (missing) {
    const ids = {
      market: request.marketId,
      sales_channel: request.salesChannelId,
      stock_location: request.preferredStockLocationId,
    };
    return { ok: false, notFound: { kind: missing, id: ids[missing] } };
  }
  const violations: FieldViolation[] = [];
  const { market, stockLocation } = store;
  if (market && request.currency && request.currency !== market.currency) {
    violations.push(
      fieldViolation(
        "currency",
        "CURRENCY_NOT_IN_MARKET",
        `market ${market.name} sells in ${market.currency}, not ${request.currency}`,
      ),
    );
  }
  if (stockLocation && !stockLocation.active) {
    violations.push(
      fieldViolation(
        "preferred_stock_location_id",
        "STOCK_LOCATION_INACTIVE",
        `stock location ${stockLocation.name} is not active`,
      ),
    );
  }
  if (violations.length > 0) return { ok: false, violations };
  const choice: StoreChoice = {
    marketId: market?.id ?? null,
    salesChannelId: (store.salesChannel ?? store.primarySalesChannel)?.id ?? null,
    stockLocationId: stockLocation?.id ?? null,
  };
  if (market && !request.currency) choice.currency = market.currency;
  if (market && !request.locale && market.defaultLocale) choice.locale = market.defaultLocale;
  return { ok: true, choice };
}
