/**
 * What other capabilities may use of the store, and all they may use (.dependency-cruiser.cjs checks it):
 * the read model an order needs of its market, sales channel and preferred stock location, and the
 * NOT_FOUND errors StoreService itself answers for ids that are not the tenant's. Never the store's tables
 * or use cases.
 *
 *   const store = await resolveStoreReferences(db, tenantId, { marketId, salesChannelId, stockLocationId });
 *   const [missing] = store.notFound;               // "market" | "sales_channel" | "stock_location"
 *   if (missing) throw storeResourceNotFound(missing, idOf(missing));
 *   const channel = store.salesChannel ?? store.primarySalesChannel;  // the default when none is named
 */
export {
  resolveStoreReferences,
  resolvedStoreReferences,
  storeReferencesParameters,
  type ResolvedStoreReferences,
  type StoreReferences,
} from "./store-references.js";
export {
  STORE_REFERENCES_SQL,
  type MarketSummary,
  type SalesChannelSummary,
  type StockLocationSummary,
  type StoreReferencesRow,
} from "./queries.js";
export { storeResourceNotFound, type StoreResourceKind } from "./store-errors.js";
