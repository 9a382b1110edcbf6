/**
 * priceCheckout: the one function that prices an order at checkout (PreviewOrder, CreateOrder, carts). Pure: no
 * database, no clock (input.now), no I/O; the same input always gives the same output. This file holds the order
 * of computation; each step lives in its own file (input, shipping, discounts, promotions, tax, gift cards, output)
 * and docs/pricing.md walks through them with examples a unit test runs.
 *
 * Two passes: first every request field (so a client fixes everything in one round
 * trip, in CreateOrderRequest's field order: items, currency, shipping, discount_total, tax_total, gift cards);
 * then, only when all are valid, the computed figures (subtotal, discount against what it may take, tax, total).
 * An order without tax configuration, promotions, shipping method or gift cards prices as CreateOrder always has
 * (test/domain/pricing/plain-orders.unit.test.ts keeps the cases of the pricing rules it replaced).
 */
import { currencyMinorUnits } from "../../money/currency.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { MAX_AMOUNT, MoneyDecimal, ZERO, formatAmount, type Decimal } from "../../money/money.js";
import { sum } from "./amounts.js";
import type { CheckoutInput, CheckoutResult, TaxZone } from "./checkout.js";
import { takeManualDiscount, type Adjustment } from "./discounts.js";
import { payWithGiftCards, readGiftCards, type UsableGiftCard } from "./gift-cards.js";
import { readAmount, readLines, tooLarge, unknownCurrency, type LineFigures } from "./input.js";
import { formatPricing } from "./output.js";
import { applyPromotions } from "./promotions.js";
import { CheckoutField, CheckoutReason } from "./reasons.js";
import { readShipping, type ShippingCharge, type ShippingMeasure } from "./shipping.js";
import { clientTax, serverTax } from "./tax.js";
import { matchTaxZone } from "./tax-zones.js";

export { matchTaxZone } from "./tax-zones.js";
export { quoteShipping, type ShippingQuote, type ShippingQuoteRequest, type ShippingReason } from "./shipping.js";
export { allocate } from "./allocation.js";
export { CheckoutReason } from "./reasons.js";

export function priceCheckout(input: CheckoutInput): CheckoutResult {
  const violations: FieldViolation[] = [];
  const { currency } = input;
  const minorUnits = currencyMinorUnits(currency);
  // Decided first: with a matching zone the client's tax fields are ignored, not even read.
  const zone =
    input.tax !== undefined && input.taxAddress !== undefined
      ? matchTaxZone(input.tax.zones, input.taxAddress)
      : undefined;

  const read = readLines(input.lines, minorUnits, zone === undefined, violations);
  if (minorUnits === undefined) violations.push(unknownCurrency(currency));
  const lines = read.every((line) => line !== undefined) ? read : undefined;
  const measure = lines === undefined || minorUnits === undefined ? undefined : measureLines(input, lines);
  const shipping = readShipping(
    input.shipping,
    { currency, country: input.shippingCountry, minorUnits, measure },
    violations,
  );
  const manual = readAmount(CheckoutField.discountTotal, input.manualDiscount, minorUnits, violations);
  const taxOverride =
    zone === undefined && input.clientTaxTotal !== undefined
      ? readAmount(CheckoutField.taxTotal, input.clientTaxTotal, minorUnits, violations)
      : undefined;
  const giftCards = readGiftCards(input.giftCards, { currency, minorUnits, now: input.now }, violations);

  if (
    violations.length > 0 ||
    minorUnits === undefined ||
    lines === undefined ||
    measure === undefined ||
    shipping === undefined ||
    manual === undefined
  ) {
    return { ok: false, violations };
  }
  return priceValid(input, { minorUnits, lines, measure, shipping, manual, taxOverride, zone, giftCards });
}

interface ValidInput {
  minorUnits: number;
  lines: LineFigures[];
  measure: ShippingMeasure;
  shipping: ShippingCharge;
  manual: Decimal;
  taxOverride: Decimal | undefined;
  zone: TaxZone | undefined;
  giftCards: UsableGiftCard[];
}

/** The second pass: every field is valid; computes the figures and reports what does not fit. */
function priceValid(input: CheckoutInput, valid: ValidInput): CheckoutResult {
  const { minorUnits, lines, shipping, zone } = valid;
  const violations: FieldViolation[] = [];
  const subtotal = valid.measure.subtotal;
  if (subtotal.greaterThan(MAX_AMOUNT)) {
    violations.push(tooLarge(CheckoutField.items, "the sum of the line totals (subtotal)"));
  }
  const clientLineTax = sum(lines.map((line) => line.clientTax ?? ZERO));
  if (zone === undefined && valid.taxOverride === undefined && clientLineTax.greaterThan(MAX_AMOUNT)) {
    violations.push(tooLarge(CheckoutField.items, "the sum of the lines' tax_amount (tax_total)"));
  }

  // Discounts: the manual one first (it must fit, or the order fails), then the codes (they never fail it).
  const remaining = { lines: lines.map((line) => line.lineTotal), shipping: shipping.amount };
  const adjustments: Adjustment[] = [];
  if (!valid.manual.isZero()) {
    const taxRoom = zone === undefined ? (valid.taxOverride ?? clientLineTax) : ZERO;
    const manual = takeManualDiscount(remaining, valid.manual, taxRoom, minorUnits);
    if (manual === undefined) {
      const clientTaxTotal = zone === undefined ? taxRoom : undefined;
      violations.push(discountExceeds(valid.manual, subtotal.plus(shipping.amount), clientTaxTotal, minorUnits));
      return { ok: false, violations };
    }
    adjustments.push(manual);
  }
  const promotions = applyPromotions(
    input.couponCodes,
    { currency: input.currency, minorUnits, subtotal, now: input.now, lines: input.lines },
    remaining,
  );
  adjustments.push(...promotions.adjustments);

  const tax =
    zone === undefined || input.tax === undefined
      ? clientTax(
          lines.map((line) => line.clientTax),
          valid.taxOverride,
        )
      : serverTax(
          zone,
          input.tax,
          remaining.lines.map((base, index) => ({ base, category: input.lines[index]?.taxCategory ?? "" })),
          input.tax.taxShipping && shipping.amount.greaterThan(ZERO) ? remaining.shipping : undefined,
          minorUnits,
        );
  if (zone !== undefined && tax.total.greaterThan(MAX_AMOUNT)) {
    violations.push(tooLarge(CheckoutField.items, "the tax of the order (tax_total)"));
  }
  const discountTotal = sum(adjustments.map((adjustment) => adjustment.amount));
  const total = subtotal.plus(shipping.amount).plus(tax.additional).minus(discountTotal);
  if (total.greaterThan(MAX_AMOUNT)) violations.push(tooLarge(CheckoutField.total, "the order total"));
  if (violations.length > 0) return { ok: false, violations };

  return {
    ok: true,
    pricing: formatPricing({
      currency: input.currency,
      minorUnits,
      lines,
      remaining,
      subtotal,
      shipping,
      adjustments,
      discountTotal,
      tax,
      taxZoneId: zone?.id,
      total,
      giftCards: payWithGiftCards(valid.giftCards, total),
      warnings: promotions.warnings,
    }),
  };
}

/** Subtotal (before discounts) and total weight: what shipping tiers and minimum subtotals look at. */
function measureLines(input: CheckoutInput, lines: readonly LineFigures[]): ShippingMeasure {
  let weightGrams = ZERO;
  // Only a shipping method looks at the weight: the other choices skip the multiplications.
  if (input.shipping.kind === "METHOD") {
    for (const line of input.lines) {
      if (Number.isSafeInteger(line.weightGrams) && line.weightGrams > 0) {
        weightGrams = weightGrams.plus(new MoneyDecimal(line.weightGrams).times(line.quantity));
      }
    }
  }
  return { subtotal: sum(lines.map((line) => line.lineTotal)), weightGrams };
}

/**
 * DISCOUNT_EXCEEDS_TOTAL. With the client's tax (`clientTaxTotal` given) the words are those CreateOrder always answered; with the
 * server's tax a discount cannot take tax off, so only subtotal + shipping is room.
 */
function discountExceeds(
  discount: Decimal,
  linesAndShipping: Decimal,
  clientTaxTotal: Decimal | undefined,
  minorUnits: number,
): FieldViolation {
  const money = (value: Decimal): string => formatAmount(value, minorUnits);
  const message =
    clientTaxTotal === undefined
      ? `discount_total ${money(discount)} exceeds subtotal + shipping_total (${money(linesAndShipping)}); tax ` +
        "computed by the server cannot be discounted"
      : `discount_total ${money(discount)} exceeds subtotal + shipping_total + tax_total ` +
        `(${money(linesAndShipping.plus(clientTaxTotal))})`;
  return fieldViolation(CheckoutField.discountTotal, CheckoutReason.DISCOUNT_EXCEEDS_TOTAL, message);
}
