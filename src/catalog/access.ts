import type { MethodRoles } from "../platform/auth/method-access.js";

/** The role each CatalogService RPC needs (handed to the auth interceptor by src/app.ts): viewers read, editors write. */
export const CATALOG_METHOD_ROLES: MethodRoles = {
  "orders.v1.CatalogService/CreateProduct": "editor",
  "orders.v1.CatalogService/GetProduct": "viewer",
  "orders.v1.CatalogService/ListProducts": "viewer",
  "orders.v1.CatalogService/UpdateProduct": "editor",
  "orders.v1.CatalogService/ArchiveProduct": "editor",
  "orders.v1.CatalogService/BatchCreateProducts": "editor",
};
