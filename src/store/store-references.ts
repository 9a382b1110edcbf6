import type { Queryable } from "../platform/database/query.js";
import {
  selectStoreReferences,
  type MarketSummary,
  type SalesChannelSummary,
  type StockLocationSummary,
  type StoreReferencesRow,
} from "./queries.js";
import type { StoreResourceKind } from "./store-errors.js";

/**
 * The store ids an order names. Each is optional: undefined or "" (proto3's unset string) means the order
 * names none.
 */
export interface StoreReferences {
  marketId?: string;
  salesChannelId?: string;
  stockLocationId?: string;
}

/** What the store says about an order's references, read in one statement. */
export interface ResolvedStoreReferences {
  /** The market named, when it is the tenant's. */
  market?: MarketSummary;
  /** The sales channel named, when it is the tenant's. */
  salesChannel?: SalesChannelSummary;
  /** The stock location named, when it is the tenant's (it may be inactive: see `active`). */
  stockLocation?: StockLocationSummary;
  /** The tenant's primary sales channel, the default for an order that names none; undefined when it has none. */
  primarySalesChannel?: SalesChannelSummary;
  /**
   * The references given that name nothing of the tenant (unknown ids, other tenants' ids, ids that are
   * not UUIDs), in the order market, sales_channel, stock_location. Empty when every given id is the tenant's.
   */
  notFound: StoreResourceKind[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Given, and a UUID (anything else cannot be a row, and PostgreSQL would refuse it as a uuid). */
function idOrNull(id: string | undefined): string | null {
  return id !== undefined && UUID.test(id) ? id : null;
}

/**
 * The values of STORE_REFERENCES_SQL's parameters ($1 to $4) for a tenant and an order's references, for
 * callers that run the statement as a CTE of their own (one round trip for CreateOrder).
 */
export function storeReferencesParameters(
  tenantId: string,
  references: StoreReferences,
): [string, string | null, string | null, string | null] {
  return [
    tenantId,
    idOrNull(references.marketId),
    idOrNull(references.salesChannelId),
    idOrNull(references.stockLocationId),
  ];
}

/** STORE_REFERENCES_SQL's row read for the references it was run with. */
export function resolvedStoreReferences(references: StoreReferences, row: StoreReferencesRow): ResolvedStoreReferences {
  const notFound: StoreResourceKind[] = [];
  if (references.marketId && !row.market) notFound.push("market");
  if (references.salesChannelId && !row.salesChannel) notFound.push("sales_channel");
  if (references.stockLocationId && !row.stockLocation) notFound.push("stock_location");
  const resolved: ResolvedStoreReferences = { notFound };
  if (row.market) resolved.market = row.market;
  if (row.salesChannel) resolved.salesChannel = row.salesChannel;
  if (row.stockLocation) resolved.stockLocation = row.stockLocation;
  if (row.primarySalesChannel) resolved.primarySalesChannel = row.primarySalesChannel;
  return resolved;
}

/**
 * The store's answer for an order: each named market, sales channel and stock location of the tenant,
 * which named ones are not the tenant's, and the tenant's primary sales channel. One statement, on the
 * caller's connection or open transaction (any Queryable).
 */
export async function resolveStoreReferences(
  db: Queryable,
  tenantId: string,
  references: StoreReferences,
): Promise<ResolvedStoreReferences> {
  const [, marketId, salesChannelId, stockLocationId] = storeReferencesParameters(tenantId, references);
  const row = await selectStoreReferences(db, tenantId, { marketId, salesChannelId, stockLocationId });
  return resolvedStoreReferences(references, row);
}
