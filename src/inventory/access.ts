import type { MethodRoles } from "../platform/auth/method-access.js";

/** The role each InventoryService RPC needs (handed to the auth interceptor by src/app.ts). */
export const INVENTORY_METHOD_ROLES: MethodRoles = {
  "orders.v1.InventoryService/SetInventoryLevel": "editor",
  "orders.v1.InventoryService/AdjustInventoryLevel": "editor",
  "orders.v1.InventoryService/GetInventoryLevel": "viewer",
  "orders.v1.InventoryService/ListInventoryLevels": "viewer",
  "orders.v1.InventoryService/ListInventoryTransactions": "viewer",
  "orders.v1.InventoryService/SetInventoryTracking": "editor",
  "orders.v1.InventoryService/GetInventorySettings": "viewer",
  "orders.v1.InventoryService/UpdateInventorySettings": "admin",
};
