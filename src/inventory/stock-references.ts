import { resolveCatalogItems } from "../catalog/public.js";
import type { Queryable } from "../platform/database/query.js";
import { resolveStoreReferences, storeResourceNotFound } from "../store/public.js";
import { variantNotFound } from "./inventory-errors.js";

/**
 * Throws NOT_FOUND unless the variant is in the tenant's catalog (an archived product's variant still has
 * stock) and, when given, the stock location is the tenant's (active or not).
 */
export async function checkStockReferences(
  db: Queryable,
  tenantId: string,
  variantId: string,
  stockLocationId?: string,
): Promise<void> {
  const [resolution] = await resolveCatalogItems(db, tenantId, [{ variantId }]);
  const isVariant =
    resolution?.kind === "variant" || (resolution?.kind === "refused" && resolution.reason === "PRODUCT_ARCHIVED");
  if (!isVariant) throw variantNotFound(variantId);
  if (stockLocationId === undefined) return;
  const store = await resolveStoreReferences(db, tenantId, { stockLocationId });
  if (store.notFound.includes("stock_location")) throw storeResourceNotFound("stock_location", stockLocationId);
}
