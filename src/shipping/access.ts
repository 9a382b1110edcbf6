import type { MethodRoles } from "../platform/auth/method-access.js";

/**
 * The role each ShippingService RPC needs (handed to the auth interceptor by src/app.ts). ListShippingOptions is
 * a read a checkout makes; the orders capability implements it (it prices an order), so it is declared here with
 * the rest of the service.
 */
export const SHIPPING_METHOD_ROLES: MethodRoles = {
  "orders.v1.ShippingService/CreateShippingMethod": "editor",
  "orders.v1.ShippingService/GetShippingMethod": "viewer",
  "orders.v1.ShippingService/ListShippingMethods": "viewer",
  "orders.v1.ShippingService/UpdateShippingMethod": "editor",
  "orders.v1.ShippingService/DeleteShippingMethod": "editor",
  "orders.v1.ShippingService/ListShippingOptions": "viewer",
};
