import type { MethodRoles } from "../platform/auth/method-access.js";

/**
 * The role each StoreService RPC needs (handed to the auth interceptor by src/app.ts). Any key reads;
 * only admin keys write: markets, channels and stock locations shape every later order of the tenant
 * (its currency, its default channel), which is the store owner's decision, not that of an integration
 * holding an editor key to place orders (Shopify keeps them under "manage settings", not "orders").
 */
export const STORE_METHOD_ROLES: MethodRoles = {
  "orders.v1.StoreService/CreateMarket": "admin",
  "orders.v1.StoreService/GetMarket": "viewer",
  "orders.v1.StoreService/ListMarkets": "viewer",
  "orders.v1.StoreService/UpdateMarket": "admin",
  "orders.v1.StoreService/CreateSalesChannel": "admin",
  "orders.v1.StoreService/GetSalesChannel": "viewer",
  "orders.v1.StoreService/ListSalesChannels": "viewer",
  "orders.v1.StoreService/UpdateSalesChannel": "admin",
  "orders.v1.StoreService/CreateStockLocation": "admin",
  "orders.v1.StoreService/GetStockLocation": "viewer",
  "orders.v1.StoreService/ListStockLocations": "viewer",
  "orders.v1.StoreService/UpdateStockLocation": "admin",
};
