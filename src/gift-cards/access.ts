import type { MethodRoles } from "../platform/auth/method-access.js";

/** The role each GiftCardsService RPC needs (handed to the auth interceptor by src/app.ts). */
export const GIFT_CARDS_METHOD_ROLES: MethodRoles = {
  "orders.v1.GiftCardsService/IssueGiftCard": "editor",
  "orders.v1.GiftCardsService/GetGiftCard": "viewer",
  "orders.v1.GiftCardsService/LookupGiftCard": "viewer",
  "orders.v1.GiftCardsService/ListGiftCards": "viewer",
  "orders.v1.GiftCardsService/DisableGiftCard": "editor",
  "orders.v1.GiftCardsService/ListGiftCardTransactions": "viewer",
};
