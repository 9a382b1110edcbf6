/**
 * Turning the engine's decimals into CheckoutPricing's strings. Why apart: every amount leaves through `money`
 * (the currency's minor units, HALF_EVEN, never "-0.00") in one place, so no figure can reach a client unformatted
 * or formatted another way, and engine.ts stays about the order of computation.
 */
import { ZERO, formatAmount, formatUnitPrice, type Decimal } from "../../money/money.js";
import type { CheckoutPricing, PricedAdjustment, PricingWarning, TaxLine } from "./checkout.js";
import type { Adjustment } from "./discounts.js";
import type { GiftCardCharge } from "./gift-cards.js";
import type { LineFigures } from "./input.js";
import type { ShippingCharge } from "./shipping.js";
import type { Taxed, TaxResult } from "./tax.js";

export interface PricedFigures {
  currency: string;
  minorUnits: number;
  lines: readonly LineFigures[];
  /** What is left of each line and of the shipping after every discount. */
  remaining: { lines: readonly Decimal[]; shipping: Decimal };
  subtotal: Decimal;
  shipping: ShippingCharge;
  adjustments: readonly Adjustment[];
  discountTotal: Decimal;
  tax: TaxResult;
  taxZoneId: string | undefined;
  total: Decimal;
  giftCards: readonly GiftCardCharge[];
  warnings: PricingWarning[];
}

export function formatPricing(figures: PricedFigures): CheckoutPricing {
  const { minorUnits, tax, shipping } = figures;
  // Many figures of an order are zero (no discount on a line, no shipping tax): those skip the formatting.
  const zero = formatAmount(ZERO, minorUnits);
  const money = (value: Decimal): string => (value.isZero() ? zero : formatAmount(value, minorUnits));
  const taxLines = (taxed: Taxed): TaxLine[] => taxed.taxLines.map((line) => ({ ...line, amount: money(line.amount) }));
  const giftCardTotal = figures.giftCards.reduce((total, charge) => total.plus(charge.amount), ZERO);
  return {
    currency: figures.currency,
    minorUnits,
    lines: figures.lines.map((line, index) => {
      const taxed = tax.lines[index];
      return {
        unitPrice: formatUnitPrice(line.unitPrice, minorUnits),
        lineTotal: money(line.lineTotal),
        discountTotal: money(line.lineTotal.minus(figures.remaining.lines[index] ?? ZERO)),
        taxLines: taxed === undefined ? [] : taxLines(taxed),
        taxAmount: money(taxed?.amount ?? ZERO),
      };
    }),
    subtotal: money(figures.subtotal),
    shipping: {
      amount: money(shipping.amount),
      discount: money(shipping.amount.minus(figures.remaining.shipping)),
      taxLines: taxLines(tax.shipping),
      taxAmount: money(tax.shipping.amount),
      name: shipping.name,
      carrier: shipping.carrier,
      service: shipping.service,
      methodId: shipping.methodId,
    },
    shippingTotal: money(shipping.amount),
    discountTotal: money(figures.discountTotal),
    taxTotal: money(tax.total),
    includedTaxTotal: money(tax.included),
    additionalTaxTotal: money(tax.additional),
    total: money(figures.total),
    giftCardPayments: figures.giftCards.map(({ index, card, amount }) => ({
      giftCardId: card.id,
      lastCharacters: card.lastCharacters,
      amount: money(amount),
      index,
    })),
    giftCardTotal: money(giftCardTotal),
    amountDue: money(figures.total.minus(giftCardTotal)),
    taxSource: figures.taxZoneId === undefined ? "CLIENT" : "SERVER",
    taxZoneId: figures.taxZoneId ?? "",
    adjustments: figures.adjustments.map((adjustment) => formatAdjustment(adjustment, money)),
    warnings: figures.warnings,
  };
}

function formatAdjustment(adjustment: Adjustment, money: (value: Decimal) => string): PricedAdjustment {
  return {
    promotionId: adjustment.promotionId,
    code: adjustment.code,
    name: adjustment.name,
    kind: adjustment.kind,
    amount: money(adjustment.amount),
    allocations: adjustment.lines.flatMap((amount, lineIndex) =>
      amount.isZero() ? [] : [{ lineIndex, amount: money(amount) }],
    ),
    shippingAmount: money(adjustment.shipping),
    orderAmount: money(adjustment.order),
  };
}
