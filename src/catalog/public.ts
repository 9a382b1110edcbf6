/**
 * What other capabilities may use of the catalog, and all they may use (.dependency-cruiser.cjs checks
 * it): resolveCatalogItems, which finds the items order lines name (by variant id, product id or SKU)
 * in one statement (catalogItemsLookups: the same for several orders' lines, as part of a statement of the
 * caller's), and its types. Never the catalog's tables, queries or use cases.
 */
export {
  resolveCatalogItems,
  catalogItemsLookups,
  type CatalogItemRef,
  type CatalogRefusal,
  type CatalogResolution,
  type CatalogVariant,
} from "./resolve-items.js";
