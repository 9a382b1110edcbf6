import { Channel } from "../../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequest } from "../../../gen/orders/v1/orders_service_pb.js";
import { addressCountryViolations } from "../../customers/public.js";
import type { FieldViolation } from "../../money/field-violation.js";
import { priceOrder, type PricedOrder } from "./pricing.js";
import type { ResolvedLine } from "./line-references.js";

/** Defaults the contract promises for fields a client leaves out. */
export const DEFAULT_CURRENCY = "USD";
export const DEFAULT_CHANNEL = Channel.ADMIN;

export type OrderDraft =
  { ok: true; priced: PricedOrder; channel: Channel } | { ok: false; violations: FieldViolation[] };

/**
 * The rules protovalidate cannot express (currency codes, money across
 * fields, country codes), applied to a request that already passed the
 * contract's own rules, with the unit prices of `lines` when given (a catalog
 * line's price comes from the catalog). Pure: no I/O, so it is tested on its own.
 */
export function draftOrder(
  request: CreateOrderRequest,
  lines?: readonly Pick<ResolvedLine, "unitPrice">[],
): OrderDraft {
  const violations: FieldViolation[] = [
    ...addressCountryViolations("shipping_address", request.shippingAddress),
    ...addressCountryViolations("billing_address", request.billingAddress),
  ];
  const pricing = priceOrder({
    currency: request.currency || DEFAULT_CURRENCY,
    lines: request.items.map((item, i) => ({
      quantity: item.quantity ?? 1,
      // the catalog's price where the line took one (line-references.ts), else the request's
      unitPrice: (lines ? lines[i]?.unitPrice : item.unitPrice) ?? "0",
      taxAmount: item.taxAmount,
    })),
    shippingTotal: request.shippingTotal || "0",
    discountTotal: request.discountTotal || "0",
    taxTotal: request.taxTotal,
  });
  if (!pricing.ok) violations.push(...pricing.violations);
  if (violations.length > 0 || !pricing.ok) return { ok: false, violations };
  const channel = request.channel === Channel.UNSPECIFIED ? DEFAULT_CHANNEL : request.channel;
  return { ok: true, priced: pricing.order, channel };
}
