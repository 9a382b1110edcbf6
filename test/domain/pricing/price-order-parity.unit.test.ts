import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { priceCheckout } from "../../../src/domain/pricing/engine.js";
import { currencyMinorUnits } from "../../../src/money/currency.js";
import { formatAmount, ZERO } from "../../../src/money/money.js";
import { priceOrder, type PricingInput } from "../../../src/orders/rules/pricing.js";
import { amountText, pricingCurrency } from "./support/arbitraries.js";
import { checkout, line } from "./support/checkout.js";

/**
 * CreateOrder prices with orders/rules/pricing.ts today and will call priceCheckout instead: for an order without tax
 * configuration, promotions, shipping method or gift cards the two must answer alike, to the words of a violation.
 */
function asCheckout(order: PricingInput) {
  return checkout({
    currency: order.currency,
    lines: order.lines.map(({ quantity, unitPrice, taxAmount }) =>
      line(quantity, unitPrice, taxAmount === undefined ? {} : { clientTaxAmount: taxAmount }),
    ),
    shipping: { kind: "AMOUNT", amount: order.shippingTotal },
    manualDiscount: order.discountTotal,
    ...(order.taxTotal === undefined ? {} : { clientTaxTotal: order.taxTotal }),
  });
}

const BAD_TEXTS = fc.constantFrom("", "-1", "1e3", "01", "1.23456", " 1");
const BAD_QUANTITIES = fc.constantFrom(0, -1, 1.5, Number.NaN, 2 ** 53);

/** Mostly orders a client would send (then the figures are compared), some with every kind of mistake. */
const plainOrder: fc.Arbitrary<PricingInput> = fc.boolean().chain((noisy) => {
  const sometimes = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
    noisy ? fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: bad }) : good;
  const currencies = sometimes(pricingCurrency, fc.constantFrom("usd", "XAU", "ABC", ""));
  return currencies.chain((currency) => {
    const minor = currencyMinorUnits(currency) ?? 2;
    // One more fraction digit than the currency, when noisy: TOO_MANY_FRACTION_DIGITS.
    const money = sometimes(amountText(minor), fc.oneof(amountText(Math.min(minor + 1, 4)), BAD_TEXTS));
    const item = fc.record(
      {
        quantity: sometimes(fc.integer({ min: 1, max: 1000 }), BAD_QUANTITIES),
        unitPrice: sometimes(amountText(4), BAD_TEXTS),
        taxAmount: money,
      },
      { requiredKeys: ["quantity", "unitPrice"] },
    );
    return fc.record(
      {
        currency: fc.constant(currency),
        lines: fc.array(item, { maxLength: 6 }),
        shippingTotal: money,
        discountTotal: fc.oneof(money, fc.constant("0")),
        taxTotal: money,
      },
      { requiredKeys: ["currency", "lines", "shippingTotal", "discountTotal"] },
    );
  });
});

describe("priceCheckout answers like priceOrder on plain orders", () => {
  it("same figures, or the same violations in the same order with the same words", () => {
    fc.assert(
      fc.property(plainOrder, (order) => {
        const before = priceOrder(order);
        const after = priceCheckout(asCheckout(order));
        if (!before.ok) {
          expect(after).toEqual({ ok: false, violations: before.violations });
          return;
        }
        expect(after.ok).toBe(true);
        if (!after.ok) return;
        const { pricing } = after;
        const zero = formatAmount(ZERO, before.order.minorUnits);
        expect({
          currency: pricing.currency,
          minorUnits: pricing.minorUnits,
          lines: pricing.lines.map(({ unitPrice, lineTotal, taxAmount }) => ({ unitPrice, lineTotal, taxAmount })),
          subtotal: pricing.subtotal,
          shippingTotal: pricing.shippingTotal,
          discountTotal: pricing.discountTotal,
          taxTotal: pricing.taxTotal,
          total: pricing.total,
        }).toEqual({
          ...before.order,
          lines: before.order.lines.map((l) => ({ ...l, taxAmount: l.taxAmount ?? zero })),
        });
        expect(pricing).toMatchObject({
          taxSource: "CLIENT",
          includedTaxTotal: zero,
          additionalTaxTotal: before.order.taxTotal,
          amountDue: before.order.total,
          warnings: [],
        });
      }),
      { numRuns: 300 },
    );
  });

  it("agrees on the documented edge cases", () => {
    const cases: PricingInput[] = [
      { currency: "USD", lines: [{ quantity: 1, unitPrice: "10.00" }], shippingTotal: "0", discountTotal: "10.01" },
      {
        currency: "USD",
        lines: [{ quantity: 1, unitPrice: "10.00", taxAmount: "1" }],
        shippingTotal: "2",
        discountTotal: "13",
        taxTotal: "1",
      },
      {
        currency: "USD",
        lines: [{ quantity: 1, unitPrice: "10.00", taxAmount: "5" }],
        shippingTotal: "0",
        discountTotal: "12",
        taxTotal: "1",
      },
      {
        currency: "USD",
        lines: [
          { quantity: 1, unitPrice: "999999999999999.99", taxAmount: "999999999999999" },
          { quantity: 1, unitPrice: "1", taxAmount: "999999999999999" },
        ],
        shippingTotal: "0",
        discountTotal: "0",
      },
      { currency: "JPY", lines: [{ quantity: 3, unitPrice: "0.5" }], shippingTotal: "0.5", discountTotal: "0" },
    ];
    for (const order of cases) {
      const before = priceOrder(order);
      const after = priceCheckout(asCheckout(order));
      if (before.ok) expect(after).toMatchObject({ ok: true, pricing: { total: before.order.total } });
      else expect(after).toEqual(before);
    }
  });
});
