import type { MethodRoles } from "../platform/auth/method-access.js";

/**
 * The role each CartsService RPC needs (handed to the auth interceptor by src/app.ts): as for orders, viewers read
 * and editors and admins write, since a cart is an order being drafted.
 */
export const CARTS_METHOD_ROLES: MethodRoles = {
  "orders.v1.CartsService/CreateCart": "editor",
  "orders.v1.CartsService/GetCart": "viewer",
  "orders.v1.CartsService/AddCartLines": "editor",
  "orders.v1.CartsService/UpdateCartLine": "editor",
  "orders.v1.CartsService/RemoveCartLine": "editor",
  "orders.v1.CartsService/UpdateCart": "editor",
  "orders.v1.CartsService/ApplyCouponCode": "editor",
  "orders.v1.CartsService/RemoveCouponCode": "editor",
  "orders.v1.CartsService/ApplyGiftCardCode": "editor",
  "orders.v1.CartsService/RemoveGiftCardCode": "editor",
  "orders.v1.CartsService/ListCartShippingOptions": "viewer",
};
