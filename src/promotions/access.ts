import type { MethodRoles } from "../platform/auth/method-access.js";

/** The role each PromotionsService RPC needs (handed to the auth interceptor by src/app.ts). */
export const PROMOTIONS_METHOD_ROLES: MethodRoles = {
  "orders.v1.PromotionsService/CreatePromotion": "editor",
  "orders.v1.PromotionsService/GetPromotion": "viewer",
  "orders.v1.PromotionsService/ListPromotions": "viewer",
  "orders.v1.PromotionsService/UpdatePromotion": "editor",
  "orders.v1.PromotionsService/DeactivatePromotion": "editor",
};
