import { create, fromJson, toJson, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { AddressSchema, type Address } from "../../gen/orders/v1/address_pb.js";
import { CartSchema as CartMessageSchema, CartState, type Cart as CartMessage } from "../../gen/orders/v1/cart_pb.js";
import type { Order, PricingWarning } from "../../gen/orders/v1/order_pb.js";
import {
  LineItemInputSchema,
  ShippingMethodInputSchema,
  type ShippingMethodInput,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Role } from "../platform/auth/roles.js";
import { etagOf } from "../platform/database/etag.js";
import type { Cart, CartLineRecord } from "./entities/cart.js";
import type { CartDraft } from "./rules/cart-draft.js";
import type { PricingProblem } from "./rules/pricing-problems.js";

/** The draft a stored cart holds (its proto JSON read back). */
export function draftOf(cart: Cart): CartDraft {
  return {
    customerId: cart.customerId ?? "",
    email: cart.email ?? "",
    currency: cart.currency ?? "",
    billingAddress: addressOf(cart.billingAddress),
    shippingAddress: addressOf(cart.shippingAddress),
    shippingMethod: shippingMethodOf(cart.shippingMethod),
    couponCodes: [...cart.couponCodes],
    giftCardCodes: [...cart.giftCardCodes],
    metadata: { ...cart.metadata },
    lines: cart.lines.map((line) => ({ id: line.id, item: fromJson(LineItemInputSchema, line.item) })),
  };
}

/** The columns a draft is stored in. */
export function draftColumns(draft: CartDraft) {
  return {
    customerId: draft.customerId || null,
    email: draft.email || null,
    currency: draft.currency || null,
    billingAddress: draft.billingAddress ? toJson(AddressSchema, draft.billingAddress) : null,
    shippingAddress: draft.shippingAddress ? toJson(AddressSchema, draft.shippingAddress) : null,
    shippingMethod: draft.shippingMethod ? toJson(ShippingMethodInputSchema, draft.shippingMethod) : null,
    couponCodes: [...draft.couponCodes],
    giftCardCodes: [...draft.giftCardCodes],
    metadata: { ...draft.metadata },
    lines: draft.lines.map((line): CartLineRecord => ({
      id: line.id,
      item: toJson(LineItemInputSchema, line.item) as JsonObject,
    })),
  };
}

function addressOf(json: JsonValue | null | undefined): Address | undefined {
  return json === null || json === undefined ? undefined : fromJson(AddressSchema, json);
}

function shippingMethodOf(json: JsonValue | null | undefined): ShippingMethodInput | undefined {
  return json === null || json === undefined ? undefined : fromJson(ShippingMethodInputSchema, json);
}

/** How the cart prices now: the preview of its order, or why it cannot be priced. */
export type CartPrice =
  | { kind: "priced"; order: Order; warnings: PricingWarning[] }
  | { kind: "unpriced"; problems: readonly PricingProblem[] }
  | { kind: "completed" };

/** The Cart message: the stored draft, its state and how it prices, as the caller's role may see it. */
export function cartToMessage(cart: Cart, price: CartPrice, role: Role): CartMessage {
  const draft = draftOf(cart);
  const viewer = role === "viewer";
  return create(CartMessageSchema, {
    id: cart.id,
    customerId: draft.customerId,
    email: draft.email,
    currency: draft.currency,
    billingAddress: draft.billingAddress,
    shippingAddress: draft.shippingAddress,
    shippingMethod: draft.shippingMethod,
    couponCodes: draft.couponCodes,
    // The codes pay money: only keys that may spend them see them (docs/carts.md).
    giftCardCodes: viewer ? [] : draft.giftCardCodes,
    metadata: draft.metadata,
    lines: draft.lines.map((line) => ({
      id: line.id,
      item: viewer ? { ...line.item, privateMetadata: {} } : line.item,
    })),
    state: cart.state === "completed" ? CartState.COMPLETED : CartState.ACTIVE,
    orderId: cart.orderId ?? "",
    etag: etagOf(cart.id, cart.version),
    expireTime: timestampFromDate(cart.expiresAt),
    createTime: timestampFromDate(cart.createdAt),
    updateTime: timestampFromDate(cart.updatedAt),
    priced: price.kind === "priced" ? price.order : undefined,
    warnings: price.kind === "priced" ? price.warnings : [],
    pricingErrors:
      price.kind === "unpriced"
        ? price.problems.map((problem) => ({
            reason: problem.reason,
            field: problem.field,
            description: problem.description,
          }))
        : [],
    isTest: cart.isTest,
  });
}
