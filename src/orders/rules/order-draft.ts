import { Channel } from "../../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequest } from "../../../gen/orders/v1/orders_service_pb.js";
import { addressCountryViolations } from "../../customers/public.js";
import type { FieldViolation } from "../../money/field-violation.js";
import { priceCheckout } from "../../domain/pricing/engine.js";
import { pricedOrderOf, type PricedOrder } from "./checkout-rows.js";

/** Defaults the contract promises for fields a client leaves out. */
export const DEFAULT_CURRENCY = "USD";
export const DEFAULT_CHANNEL = Channel.ADMIN;

export type OrderDraft =
  { ok: true; priced: PricedOrder; channel: Channel } | { ok: false; violations: FieldViolation[] };

/**
 * The rules protovalidate cannot express (currency codes, money across
 * fields, country codes), applied to a request that already passed the
 * contract's own rules, before any lookup: a bad request costs no query. The
 * request's own figures are read and priced by the checkout engine
 * (domain/pricing) as they stand: a catalog line without a price counts 0 here
 * (so a manual discount is not weighed against such an order yet), and
 * order-preparation.ts prices the order again once its lines, tax
 * configuration and codes are known. Pure: no I/O, so it is tested on its own.
 */
export function draftOrder(request: CreateOrderRequest): OrderDraft {
  const violations: FieldViolation[] = [
    ...addressCountryViolations("shipping_address", request.shippingAddress),
    ...addressCountryViolations("billing_address", request.billingAddress),
  ];
  const pricing = priceCheckout({
    currency: request.currency || DEFAULT_CURRENCY,
    lines: request.items.map((item) => ({
      quantity: item.quantity ?? 1,
      unitPrice: item.unitPrice ?? "0",
      sku: "",
      productId: "",
      variantId: "",
      taxCategory: "",
      weightGrams: 0,
      ...(item.taxAmount === undefined ? {} : { clientTaxAmount: item.taxAmount }),
    })),
    shippingCountry: "",
    ...(request.taxTotal === undefined ? {} : { clientTaxTotal: request.taxTotal }),
    shipping: { kind: "AMOUNT", amount: request.shippingTotal || "0" },
    // Whether the discount fits the order can only be judged once every line has a price: with a catalog line
    // still unpriced, the full pricing in order-preparation.ts judges it (and its format) after the lookups.
    manualDiscount: request.items.every((item) => item.unitPrice !== undefined) ? request.discountTotal || "0" : "0",
    couponCodes: [],
    giftCards: [],
    // without codes nothing is judged by time
    now: new Date(0),
  });
  if (!pricing.ok) violations.push(...pricing.violations);
  if (violations.length > 0 || !pricing.ok) return { ok: false, violations };
  const channel = request.channel === Channel.UNSPECIFIED ? DEFAULT_CHANNEL : request.channel;
  return { ok: true, priced: pricedOrderOf(pricing.pricing), channel };
}
