import { clone, create, equals } from "@bufbuild/protobuf";
import type { Address } from "../../../gen/orders/v1/address_pb.js";
import {
  CreateOrderRequestSchema,
  LineItemInputSchema,
  type CreateOrderRequest,
  type LineItemInput,
  type ShippingMethodInput,
} from "../../../gen/orders/v1/orders_service_pb.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/**
 * A cart is the draft of a CreateOrderRequest (docs/carts.md): these rules change the draft (lines, codes, the
 * fields UpdateCart sets) and turn it into the request that PreviewOrder prices and CreateOrder places. Pure: plain
 * data in and out, no clock, no ids of their own (`newId` is given).
 */

/** Limits of CreateOrderRequest, which a cart must stay within to be placed. */
export const MAX_LINES = 500;
export const MAX_QUANTITY = 1_000_000;
export const MAX_COUPON_CODES = 10;
export const MAX_GIFT_CARD_CODES = 5;

export interface CartLineDraft {
  id: string;
  item: LineItemInput;
}

export interface CartDraft {
  customerId: string;
  email: string;
  currency: string;
  billingAddress: Address | undefined;
  shippingAddress: Address | undefined;
  shippingMethod: ShippingMethodInput | undefined;
  couponCodes: string[];
  giftCardCodes: string[];
  metadata: Record<string, string>;
  lines: CartLineDraft[];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; violations: FieldViolation[] };

/** Where each added item went: the index of the line it became or was merged into. */
export interface AddedLines {
  lines: CartLineDraft[];
  placedAt: number[];
}

/**
 * AddCartLines: an item equal to a line in everything but quantity adds its quantity to that line (Shopify and
 * commercetools merge the same merchandise so), any other is appended. At most MAX_LINES lines and MAX_QUANTITY units
 * a line, as CreateOrder allows.
 */
export function addLines(
  lines: readonly CartLineDraft[],
  items: readonly LineItemInput[],
  newId: () => string,
): Outcome<AddedLines> {
  const result = lines.map((line) => ({ id: line.id, item: clone(LineItemInputSchema, line.item) }));
  const placedAt: number[] = [];
  const violations: FieldViolation[] = [];
  items.forEach((item, index) => {
    const same = result.findIndex((line) => sameExceptQuantity(line.item, item));
    if (same === -1) {
      result.push({ id: newId(), item: clone(LineItemInputSchema, item) });
      placedAt.push(result.length - 1);
      return;
    }
    const line = result[same];
    if (!line) return;
    const quantity = (line.item.quantity ?? 1) + (item.quantity ?? 1);
    if (quantity > MAX_QUANTITY) {
      violations.push(
        fieldViolation(
          `items[${index}].quantity`,
          "QUANTITY_TOO_LARGE",
          `the cart's line ${line.id} would hold ${quantity} units; at most ${MAX_QUANTITY}`,
        ),
      );
    }
    line.item.quantity = quantity;
    placedAt.push(same);
  });
  if (result.length > MAX_LINES) {
    violations.push(
      fieldViolation("items", "TOO_MANY_LINES", `the cart would have ${result.length} lines; at most ${MAX_LINES}`),
    );
  }
  return violations.length > 0 ? { ok: false, violations } : { ok: true, value: { lines: result, placedAt } };
}

function sameExceptQuantity(a: LineItemInput, b: LineItemInput): boolean {
  return equals(LineItemInputSchema, { ...a, quantity: undefined }, { ...b, quantity: undefined });
}

/** UpdateCartLine: the line's new quantity, 0 removing it; undefined when the cart has no such line. */
export function setLineQuantity(
  lines: readonly CartLineDraft[],
  lineId: string,
  quantity: number,
): CartLineDraft[] | undefined {
  if (!lines.some((line) => line.id === lineId)) return undefined;
  if (quantity === 0) return lines.filter((line) => line.id !== lineId);
  return lines.map((line) => (line.id === lineId ? { id: line.id, item: { ...line.item, quantity } } : line));
}

/** RemoveCartLine; undefined when the cart has no such line. */
export function removeLine(lines: readonly CartLineDraft[], lineId: string): CartLineDraft[] | undefined {
  return setLineQuantity(lines, lineId, 0);
}

/** Codes are matched in any case: the pricing engine matches coupon codes so, and gift card codes ignore case too. */
const sameCode = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

/** Apply a coupon or gift card code: a code already there (in any case) changes nothing. */
export function addCode(codes: readonly string[], code: string, max: number): Outcome<{ codes: string[] }> {
  if (codes.some((existing) => sameCode(existing, code))) return { ok: true, value: { codes: [...codes] } };
  if (codes.length >= max) {
    return {
      ok: false,
      violations: [fieldViolation("code", "TOO_MANY_CODES", `the cart already has ${max} codes; remove one first`)],
    };
  }
  return { ok: true, value: { codes: [...codes, code] } };
}

/** Remove a code (in any case); a code the cart does not have changes nothing. */
export function removeCode(codes: readonly string[], code: string): string[] {
  return codes.filter((existing) => !sameCode(existing, code));
}

/** The Cart fields UpdateCart may set, by proto name as they appear in update_mask. */
export const UPDATABLE_PATHS = [
  "customer_id",
  "email",
  "currency",
  "billing_address",
  "shipping_address",
  "shipping_method",
  "metadata",
] as const;
export type UpdatablePath = (typeof UPDATABLE_PATHS)[number];

/** The draft with the named fields set from `values` (a field named but empty there is cleared). */
export function withUpdates(draft: CartDraft, values: Omit<CartDraft, "lines">, paths: readonly UpdatablePath[]) {
  const next: CartDraft = { ...draft };
  for (const path of paths) {
    if (path === "customer_id") next.customerId = values.customerId;
    if (path === "email") next.email = values.email;
    if (path === "currency") next.currency = values.currency;
    if (path === "billing_address") next.billingAddress = values.billingAddress;
    if (path === "shipping_address") next.shippingAddress = values.shippingAddress;
    if (path === "shipping_method") next.shippingMethod = values.shippingMethod;
    if (path === "metadata") next.metadata = { ...values.metadata };
  }
  return next;
}

/** The CreateOrderRequest a cart stands for: what PreviewOrder prices and, with a placement's fields, CreateOrder places. */
export function orderRequestOf(draft: CartDraft): CreateOrderRequest {
  return create(CreateOrderRequestSchema, {
    customerId: draft.customerId,
    email: draft.email,
    currency: draft.currency,
    items: draft.lines.map((line) => line.item),
    billingAddress: draft.billingAddress,
    shippingAddress: draft.shippingAddress,
    shippingMethod: draft.shippingMethod,
    couponCodes: draft.couponCodes,
    giftCardCodes: draft.giftCardCodes,
    metadata: draft.metadata,
  });
}

/**
 * CreateOrder with cart_id (seed 003): the order is the cart, and each field the request gives as well replaces the
 * cart's (billing, shipping, shipping method, payment, codes, buyer, currency, metadata); everything else of the
 * request (payment, notes, channel, ...) is the request's. An address given by id replaces the cart's inline one (the
 * inline one would win otherwise), and a shipping_total replaces the cart's shipping method.
 */
export function placedOrderRequest(draft: CartDraft, request: CreateOrderRequest): CreateOrderRequest {
  const cart = orderRequestOf(draft);
  const givesBilling = request.billingAddress !== undefined || request.billingAddressId !== "";
  const givesShipping = request.shippingAddress !== undefined || request.shippingAddressId !== "";
  const givesShippingCost = request.shippingMethod !== undefined || request.shippingTotal !== "";
  return create(CreateOrderRequestSchema, {
    ...request,
    cartId: "",
    items: cart.items,
    customerId: request.customerId || cart.customerId,
    email: request.email || cart.email,
    currency: request.currency || cart.currency,
    billingAddress: givesBilling ? request.billingAddress : cart.billingAddress,
    shippingAddress: givesShipping ? request.shippingAddress : cart.shippingAddress,
    shippingMethod: givesShippingCost ? request.shippingMethod : cart.shippingMethod,
    couponCodes: request.couponCodes.length > 0 ? request.couponCodes : cart.couponCodes,
    giftCardCodes: request.giftCardCodes.length > 0 ? request.giftCardCodes : cart.giftCardCodes,
    metadata: Object.keys(request.metadata).length > 0 ? request.metadata : cart.metadata,
  });
}

/** The fields of a CreateOrderRequest placed from a cart that came from the cart, not from the request. */
export function fieldsFromCart(request: CreateOrderRequest): (field: string) => boolean {
  const fromRequest = new Set<string>();
  if (request.customerId) fromRequest.add("customer_id");
  if (request.email) fromRequest.add("email");
  if (request.currency) fromRequest.add("currency");
  if (request.billingAddress || request.billingAddressId) fromRequest.add("billing_address");
  if (request.shippingAddress || request.shippingAddressId) fromRequest.add("shipping_address");
  if (request.shippingMethod || request.shippingTotal) fromRequest.add("shipping_method");
  if (request.couponCodes.length > 0) fromRequest.add("coupon_codes");
  if (request.giftCardCodes.length > 0) fromRequest.add("gift_card_codes");
  if (Object.keys(request.metadata).length > 0) fromRequest.add("metadata");
  const cartFields = new Set(["items", ...CART_ORDER_FIELDS.filter((field) => !fromRequest.has(field))]);
  return (field) => cartFields.has(topField(field));
}

const CART_ORDER_FIELDS = [
  "customer_id",
  "email",
  "currency",
  "billing_address",
  "shipping_address",
  "shipping_method",
  "coupon_codes",
  "gift_card_codes",
  "metadata",
];

/** "items[2].sku" -> "items", "shipping_method.id" -> "shipping_method". */
export function topField(path: string): string {
  return /^[a-z_]+/.exec(path)?.[0] ?? path;
}

/** A CreateOrderRequest path of a cart's request as a path into the Cart: "items[2].sku" -> "lines[2].item.sku". */
export function cartPathOf(orderPath: string): string {
  return orderPath.replace(/^items\[(\d+)\]/, "lines[$1].item");
}

/** The line index a Cart path names ("lines[2].item.sku" -> 2), if any. */
export function lineIndexOf(cartPath: string): number | undefined {
  const match = /^lines\[(\d+)\]/.exec(cartPath);
  return match ? Number(match[1]) : undefined;
}

/** When a cart changed at `now` expires: CART_TTL after its last change. */
export function expiryAfter(now: Date, ttlMs: number): Date {
  return new Date(now.getTime() + ttlMs);
}
