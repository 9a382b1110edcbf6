import type { CheckoutPricing, PricedAdjustment, TaxLine } from "../../domain/pricing/checkout.js";
import { parseAmount } from "../../money/money.js";
import type { AdjustmentRecord, ShippingLineRecord, TaxLineRecord } from "../entities/json-types.js";

/**
 * The checkout engine's answer (domain/pricing) in the shapes orders store: the order's totals and snapshots
 * (tax source, included and additional tax, shipping line, adjustments) and each line's tax and share of the
 * discounts. Pure.
 */

/** An order's totals as the import rules (order-import.ts) confirm stated totals against them. */
export interface PricedOrder {
  currency: string;
  minorUnits: number;
  lines: { unitPrice: string; taxAmount?: string; lineTotal: string }[];
  subtotal: string;
  shippingTotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
}

/** Its totals in the shape the import rules (order-import.ts) confirm stated totals against. */
export function pricedOrderOf(pricing: CheckoutPricing): PricedOrder {
  return {
    currency: pricing.currency,
    minorUnits: pricing.minorUnits,
    lines: pricing.lines.map((line) => ({
      unitPrice: line.unitPrice,
      taxAmount: line.taxAmount,
      lineTotal: line.lineTotal,
    })),
    subtotal: pricing.subtotal,
    shippingTotal: pricing.shippingTotal,
    discountTotal: pricing.discountTotal,
    taxTotal: pricing.taxTotal,
    total: pricing.total,
  };
}

export interface CheckoutOrderColumns {
  subtotal: string;
  shippingTotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  includedTaxTotal: string;
  additionalTaxTotal: string;
  taxSource: "client" | "server";
  taxZoneId: string | null;
  shippingLine: ShippingLineRecord | null;
  adjustments: AdjustmentRecord[];
}

export interface CheckoutLineColumns {
  unitPrice: string;
  lineTotal: string;
  /** null when the client's tax is used and the line gave none (as before server-side tax). */
  taxAmount: string | null;
  discountTotal: string;
  taxLines: TaxLineRecord[];
}

/**
 * `clientTaxGiven[i]`: whether the request's items[i] had a tax_amount; `namedShipping`: whether the request
 * named a shipping method (by id or inline), which is what gets a shipping line.
 */
export function checkoutColumns(
  pricing: CheckoutPricing,
  clientTaxGiven: readonly boolean[],
  namedShipping: boolean,
): { order: CheckoutOrderColumns; lines: CheckoutLineColumns[] } {
  const server = pricing.taxSource === "SERVER";
  const { shipping } = pricing;
  return {
    order: {
      subtotal: pricing.subtotal,
      shippingTotal: pricing.shippingTotal,
      discountTotal: pricing.discountTotal,
      taxTotal: pricing.taxTotal,
      total: pricing.total,
      includedTaxTotal: pricing.includedTaxTotal,
      additionalTaxTotal: pricing.additionalTaxTotal,
      taxSource: server ? "server" : "client",
      taxZoneId: pricing.taxZoneId || null,
      shippingLine: namedShipping
        ? {
            shippingMethodId: shipping.methodId,
            displayName: shipping.name,
            carrier: shipping.carrier,
            service: shipping.service,
            amount: shipping.amount,
            discountTotal: shipping.discount,
            taxLines: shipping.taxLines.map(taxLineRecord),
          }
        : null,
      adjustments: pricing.adjustments
        .filter((adjustment) => !parseAmount(adjustment.amount).isZero())
        .map(adjustmentRecord),
    },
    lines: pricing.lines.map((line, i) => ({
      unitPrice: line.unitPrice,
      lineTotal: line.lineTotal,
      taxAmount: server || clientTaxGiven[i] === true ? line.taxAmount : null,
      discountTotal: line.discountTotal,
      taxLines: line.taxLines.map(taxLineRecord),
    })),
  };
}

function taxLineRecord(line: TaxLine): TaxLineRecord {
  return { displayName: line.name, rate: line.rate, amount: line.amount, included: line.included };
}

function adjustmentRecord(adjustment: PricedAdjustment): AdjustmentRecord {
  return {
    promotionId: adjustment.promotionId,
    code: adjustment.code,
    displayName: adjustment.name,
    kind: `ADJUSTMENT_KIND_${adjustment.kind}`,
    amount: adjustment.amount,
    allocations: adjustment.allocations.map(({ lineIndex, amount }) => ({ lineIndex, amount })),
    shippingAmount: adjustment.shippingAmount,
    orderAmount: adjustment.orderAmount,
  };
}
