import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CheckoutInput, CheckoutPricing } from "../../../src/domain/pricing/checkout.js";
import { priceCheckout } from "../../../src/domain/pricing/engine.js";
import { currencyMinorUnits } from "../../../src/money/currency.js";
import { MoneyDecimal, type Decimal } from "../../../src/money/money.js";
import { pricingCurrency } from "./support/arbitraries.js";
import { anyCheckout } from "./support/random-checkout.js";

/** The invariants of issue 12, section 1, on random checkouts (support/random-checkout.ts) in every currency. */
const D = (text: string): Decimal => new MoneyDecimal(text);
const total = (texts: string[]): string => texts.reduce((sum, text) => sum.plus(text), D("0")).toString();
const same = (a: Decimal | string, b: Decimal | string) =>
  expect(D(a.toString()).toString()).toBe(D(b.toString()).toString());

function checkInvariants(input: CheckoutInput, pricing: CheckoutPricing): void {
  const { lines, shipping, adjustments } = pricing;
  // every sum equals the sum of its shown parts
  same(pricing.subtotal, total(lines.map((l) => l.lineTotal)));
  same(pricing.shippingTotal, shipping.amount);
  same(pricing.discountTotal, total(adjustments.map((a) => a.amount)));
  same(
    pricing.discountTotal,
    D(total(lines.map((l) => l.discountTotal)))
      .plus(shipping.discount)
      .plus(total(adjustments.map((a) => a.orderAmount))),
  );
  for (const adjustment of adjustments) {
    const parts = [...adjustment.allocations.map((a) => a.amount), adjustment.shippingAmount, adjustment.orderAmount];
    same(adjustment.amount, total(parts));
    expect(D(adjustment.amount).greaterThan(0)).toBe(true);
    if (adjustment.kind !== "MANUAL") same(adjustment.orderAmount, "0");
  }
  lines.forEach((l, index) => {
    const allocated = adjustments.flatMap((a) =>
      a.allocations.filter((x) => x.lineIndex === index).map((x) => x.amount),
    );
    same(l.discountTotal, total(allocated));
    expect(D(l.discountTotal).lessThanOrEqualTo(l.lineTotal)).toBe(true);
  });
  expect(D(shipping.discount).lessThanOrEqualTo(shipping.amount)).toBe(true);

  // tax
  same(pricing.taxTotal, D(pricing.includedTaxTotal).plus(pricing.additionalTaxTotal));
  if (pricing.taxSource === "SERVER") {
    const taxed = [...lines, shipping];
    same(pricing.taxTotal, total(taxed.map((t) => t.taxAmount)));
    for (const t of taxed) same(t.taxAmount, total(t.taxLines.map((x) => x.amount)));
    const included = input.tax?.pricesIncludeTax === true;
    for (const t of taxed) for (const x of t.taxLines) expect(x.included).toBe(included);
    same(included ? pricing.additionalTaxTotal : pricing.includedTaxTotal, "0");
  } else {
    same(pricing.includedTaxTotal, "0");
    same(pricing.additionalTaxTotal, pricing.taxTotal);
    for (const t of [...lines, shipping]) expect(t.taxLines).toEqual([]);
  }

  // totals: tax-exclusive, and the tax-inclusive equivalent
  same(
    pricing.total,
    D(pricing.subtotal).plus(pricing.shippingTotal).plus(pricing.additionalTaxTotal).minus(pricing.discountTotal),
  );
  if (pricing.taxSource === "SERVER" && input.tax?.pricesIncludeTax === true) {
    same(pricing.total, D(pricing.subtotal).plus(pricing.shippingTotal).minus(pricing.discountTotal));
    expect(D(pricing.includedTaxTotal).lessThanOrEqualTo(pricing.total)).toBe(true);
  }

  // gift cards
  same(D(pricing.amountDue).plus(pricing.giftCardTotal), pricing.total);
  same(pricing.giftCardTotal, total(pricing.giftCardPayments.map((p) => p.amount)));
  for (const payment of pricing.giftCardPayments) {
    expect(D(payment.amount).greaterThan(0)).toBe(true);
    expect(D(payment.amount).lessThanOrEqualTo(input.giftCards[payment.index]?.card?.balance ?? "0")).toBe(true);
  }

  // no amount negative; every amount has exactly the currency's minor units (unit prices and rates aside)
  walkAmounts(pricing, pricing.minorUnits);
}

const NOT_MONEY = new Set([
  "unitPrice",
  "rate",
  "lastCharacters",
  "code",
  "name",
  "taxZoneId",
  "giftCardId",
  "promotionId",
]);

function walkAmounts(value: unknown, minorUnits: number, key = ""): void {
  if (Array.isArray(value)) {
    for (const item of value) walkAmounts(item, minorUnits);
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) walkAmounts(v, minorUnits, k);
  } else if (typeof value === "string" && /^-?[0-9]+(\.[0-9]+)?$/.test(value)) {
    expect(value.startsWith("-"), `${key} ${value}`).toBe(false);
    if (!NOT_MONEY.has(key)) expect(value.split(".")[1]?.length ?? 0, `${key} ${value}`).toBe(minorUnits);
  }
}

describe("priceCheckout: invariants on random orders in every currency", () => {
  it("holds every invariant; the same input gives the same output and the input is not changed", () => {
    let priced = 0;
    fc.assert(
      fc.property(anyCheckout, (input) => {
        const before = JSON.stringify(input);
        const result = priceCheckout(input);
        expect(JSON.stringify(input)).toBe(before);
        expect(priceCheckout(structuredClone(input))).toEqual(result);
        if (!result.ok) {
          for (const violation of result.violations) expect(violation.reason).toBe("DISCOUNT_EXCEEDS_TOTAL");
          return;
        }
        priced += 1;
        checkInvariants(input, result.pricing);
      }),
      { numRuns: 200 },
    );
    // Most random orders price (a manual discount larger than the order is the one expected failure).
    expect(priced).toBeGreaterThan(100);
  });

  it("covers every minor unit count, 0 to 4, among the currencies drawn from", () => {
    const units = new Set(fc.sample(pricingCurrency, 2000).map((code) => currencyMinorUnits(code)));
    expect([...units].sort()).toEqual([0, 2, 3, 4]);
  });
});
