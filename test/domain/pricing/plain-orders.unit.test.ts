import { describe, expect, it } from "vitest";
import { priceCheckout } from "../../../src/domain/pricing/engine.js";
import { CheckoutReason as PricingReason } from "../../../src/domain/pricing/reasons.js";
import { MoneyDecimal, fractionDigits } from "../../../src/money/money.js";
import { pricedOrderOf, type PricedOrder } from "../../../src/orders/rules/checkout-rows.js";
import type { FieldViolation } from "../../../src/money/field-violation.js";
import { checkout, line as checkoutLine } from "./support/checkout.js";

/**
 * A plain order (no tax configuration, promotions, shipping method or gift cards) through the checkout engine: the
 * rules CreateOrder has always priced by (these cases priced orders/rules/pricing.ts's priceOrder until the engine
 * replaced it, and keep their assertions). `priceOrder` below is the request's figures as the engine takes them.
 */
interface PricingLine {
  quantity: number;
  unitPrice: string;
  taxAmount?: string;
}

interface PricingInput {
  currency: string;
  lines: PricingLine[];
  shippingTotal: string;
  discountTotal: string;
  taxTotal?: string;
}

function priceOrder(input: PricingInput) {
  const result = priceCheckout(
    checkout({
      currency: input.currency,
      lines: input.lines.map(({ quantity, unitPrice, taxAmount }) =>
        checkoutLine(quantity, unitPrice, taxAmount === undefined ? {} : { clientTaxAmount: taxAmount }),
      ),
      shipping: { kind: "AMOUNT", amount: input.shippingTotal },
      manualDiscount: input.discountTotal,
      ...(input.taxTotal === undefined ? {} : { clientTaxTotal: input.taxTotal }),
    }),
  );
  if (!result.ok) return result;
  const order = pricedOrderOf(result.pricing);
  // A line shows a tax amount only when the client gave one.
  order.lines = order.lines.map(({ taxAmount, ...figures }, i) =>
    input.lines[i]?.taxAmount === undefined ? figures : { ...figures, taxAmount },
  );
  return { ok: true as const, order };
}

function order(overrides: Partial<PricingInput> = {}): PricingInput {
  return { currency: "USD", lines: [], shippingTotal: "0", discountTotal: "0", ...overrides };
}

function priced(input: PricingInput): PricedOrder {
  const result = priceOrder(input);
  if (!result.ok) throw new Error(`expected a priced order, got ${JSON.stringify(result.violations)}`);
  return result.order;
}

function violations(input: PricingInput): Pick<FieldViolation, "field" | "reason">[] {
  const result = priceOrder(input);
  if (result.ok) throw new Error(`expected violations, got ${JSON.stringify(result.order)}`);
  for (const violation of result.violations) expect(violation.description).not.toBe("");
  return result.violations.map(({ field, reason }) => ({ field, reason }));
}

const line = (quantity: number, unitPrice: string, taxAmount?: string): PricingLine =>
  taxAmount === undefined ? { quantity, unitPrice } : { quantity, unitPrice, taxAmount };

describe("plain orders: line totals and subtotal", () => {
  it("8 x 289.50 USD is 2316.00", () => {
    const result = priced(order({ lines: [line(8, "289.50")] }));
    expect(result).toEqual({
      currency: "USD",
      minorUnits: 2,
      lines: [{ unitPrice: "289.50", lineTotal: "2316.00" }],
      subtotal: "2316.00",
      shippingTotal: "0.00",
      discountTotal: "0.00",
      taxTotal: "0.00",
      total: "2316.00",
    });
  });

  it("has no binary floating point drift", () => {
    expect(priced(order({ lines: [line(3, "0.10")] })).lines[0]?.lineTotal).toBe("0.30");
    expect(priced(order({ lines: [line(3, "19.99")] })).lines[0]?.lineTotal).toBe("59.97");
    expect(priced(order({ lines: [line(1, "0.1"), line(1, "0.2")] })).subtotal).toBe("0.30");
  });

  it.each([
    ["USD", "0.125", "0.12"],
    ["USD", "0.135", "0.14"],
    ["USD", "0.145", "0.14"],
    ["USD", "0.1251", "0.13"],
    ["JPY", "2.5", "2"],
    ["JPY", "3.5", "4"],
    ["KWD", "1.0005", "1.000"],
    ["KWD", "1.0015", "1.002"],
  ] as const)("rounds 1 x %s %s half-even to %s", (currency, unitPrice, lineTotal) => {
    const result = priced(order({ currency, lines: [line(1, unitPrice)] }));
    expect(result.lines[0]?.lineTotal).toBe(lineTotal);
    expect(result.total).toBe(lineTotal);
  });

  it("rounds each line before summing, so the subtotal is the sum of the shown line totals", () => {
    const result = priced(order({ lines: [line(1, "0.125"), line(1, "0.125")] }));
    expect(result.lines.map((l) => l.lineTotal)).toEqual(["0.12", "0.12"]);
    expect(result.subtotal).toBe("0.24");
  });

  it("keeps fine unit prices but rounds the line", () => {
    const result = priced(order({ lines: [line(7, "0.1234")] }));
    expect(result.lines[0]).toEqual({ unitPrice: "0.1234", lineTotal: "0.86" });
  });

  it("formats JPY without fraction digits", () => {
    const result = priced(
      order({ currency: "JPY", lines: [line(2, "1500", "300")], shippingTotal: "500", discountTotal: "100" }),
    );
    expect(result).toMatchObject({
      minorUnits: 0,
      lines: [{ unitPrice: "1500", taxAmount: "300", lineTotal: "3000" }],
      subtotal: "3000",
      shippingTotal: "500",
      discountTotal: "100",
      taxTotal: "300",
      total: "3700",
    });
  });

  it("formats KWD with three fraction digits", () => {
    const result = priced(
      order({ currency: "KWD", lines: [line(3, "1.5", "0.045")], shippingTotal: "2.25", discountTotal: "0.5" }),
    );
    expect(result).toMatchObject({
      minorUnits: 3,
      lines: [{ unitPrice: "1.500", taxAmount: "0.045", lineTotal: "4.500" }],
      subtotal: "4.500",
      shippingTotal: "2.250",
      discountTotal: "0.500",
      taxTotal: "0.045",
      total: "6.295",
    });
  });

  it("prices an order with no lines from its header amounts alone", () => {
    expect(priced(order({ shippingTotal: "5" })).total).toBe("5.00");
  });

  it("prices 500 lines", () => {
    const lines = Array.from({ length: 500 }, (_, i) => line(i + 1, "0.01", "0.01"));
    const result = priced(order({ lines }));
    expect(result.lines).toHaveLength(500);
    expect(result.lines[499]).toEqual({ unitPrice: "0.01", taxAmount: "0.01", lineTotal: "5.00" });
    expect(result.subtotal).toBe("1252.50"); // 0.01 x (1 + ... + 500)
    expect(result.taxTotal).toBe("5.00");
    expect(result.total).toBe("1257.50");
  });
});

describe("plain orders: tax, shipping, discount", () => {
  it("sums the lines' tax amounts, treating an absent one as zero", () => {
    const result = priced(order({ lines: [line(1, "10", "0.80"), line(1, "5"), line(2, "1", "0.16")] }));
    expect(result.lines.map((l) => l.taxAmount)).toEqual(["0.80", undefined, "0.16"]);
    expect(result.lines[1]).not.toHaveProperty("taxAmount");
    expect(result.taxTotal).toBe("0.96");
    expect(result.total).toBe("17.96");
  });

  it("uses tax_total when given instead of the lines' tax amounts", () => {
    const result = priced(order({ lines: [line(1, "10", "0.80"), line(1, "5", "0.40")], taxTotal: "1.5" }));
    expect(result.lines.map((l) => l.taxAmount)).toEqual(["0.80", "0.40"]);
    expect(result.taxTotal).toBe("1.50");
    expect(result.total).toBe("16.50");
  });

  it("treats a tax_total of 0 as an override, not as absent", () => {
    expect(priced(order({ lines: [line(1, "10", "0.80")], taxTotal: "0" })).total).toBe("10.00");
  });

  it("total = subtotal + shipping + tax - discount", () => {
    const result = priced(
      order({ lines: [line(2, "10.00", "1.60")], shippingTotal: "4.99", discountTotal: "3.50", taxTotal: "1.75" }),
    );
    expect(result).toMatchObject({ subtotal: "20.00", shippingTotal: "4.99", taxTotal: "1.75", total: "23.24" });
  });

  it("allows a discount equal to everything else (total 0.00, not -0.00)", () => {
    const result = priced(order({ lines: [line(1, "10", "1")], shippingTotal: "2", discountTotal: "13" }));
    expect(result.total).toBe("0.00");
  });

  it("rejects a discount larger than the rest on discount_total", () => {
    expect(violations(order({ lines: [line(1, "10", "1")], shippingTotal: "2", discountTotal: "13.01" }))).toEqual([
      { field: "discount_total", reason: PricingReason.DISCOUNT_EXCEEDS_TOTAL },
    ]);
  });
});

describe("plain orders: violations", () => {
  it("rejects an unknown currency and still checks every field's syntax", () => {
    expect(violations(order({ currency: "ABC", lines: [line(1, "1")] }))).toEqual([
      { field: "currency", reason: PricingReason.UNKNOWN_CURRENCY },
    ]);
    expect(violations(order({ currency: "usd", shippingTotal: "1e2", discountTotal: "1.23456" }))).toEqual([
      { field: "currency", reason: PricingReason.UNKNOWN_CURRENCY },
      { field: "shipping_total", reason: PricingReason.INVALID_DECIMAL },
      { field: "discount_total", reason: PricingReason.INVALID_DECIMAL },
    ]);
  });

  it.each(["", "XAU", "XXX", "US", "EURO"])("rejects currency %j", (currency) => {
    expect(violations(order({ currency }))).toEqual([{ field: "currency", reason: PricingReason.UNKNOWN_CURRENCY }]);
  });

  it.each([
    ["shipping_total", { shippingTotal: "1.001" }],
    ["discount_total", { discountTotal: "0.001" }],
    ["tax_total", { taxTotal: "0.125" }],
  ] as const)("rejects more fraction digits than USD has on %s", (field, overrides) => {
    expect(violations(order({ lines: [line(1, "10")], ...overrides }))).toEqual([
      { field, reason: PricingReason.TOO_MANY_FRACTION_DIGITS },
    ]);
  });

  it("counts written fraction digits: 5.0 is too precise for JPY", () => {
    expect(violations(order({ currency: "JPY", shippingTotal: "5.0" }))).toEqual([
      { field: "shipping_total", reason: PricingReason.TOO_MANY_FRACTION_DIGITS },
    ]);
    expect(violations(order({ currency: "KWD", shippingTotal: "1.0005" }))).toEqual([
      { field: "shipping_total", reason: PricingReason.TOO_MANY_FRACTION_DIGITS },
    ]);
    expect(priced(order({ currency: "KWD", shippingTotal: "1.005" })).shippingTotal).toBe("1.005");
  });

  it("rejects too many fraction digits on a line's tax_amount", () => {
    expect(violations(order({ lines: [line(1, "1"), line(1, "1"), line(1, "1", "0.075")] }))).toEqual([
      { field: "items[2].tax_amount", reason: PricingReason.TOO_MANY_FRACTION_DIGITS },
    ]);
  });

  it("allows unit_price up to 4 fraction digits in every currency, but not 5", () => {
    expect(priced(order({ currency: "JPY", lines: [line(4, "0.1234")] })).lines[0]).toEqual({
      unitPrice: "0.1234",
      lineTotal: "0",
    });
    expect(violations(order({ lines: [line(1, "0.12345")] }))).toEqual([
      { field: "items[0].unit_price", reason: PricingReason.INVALID_DECIMAL },
    ]);
  });

  it.each(["-1", "1e3", " 1", "NaN", "", "01", "1.", "1000000000000000"])(
    "defends against a non-canonical amount %j without throwing",
    (text) => {
      const input = order({ lines: [line(1, text, text)], shippingTotal: text, discountTotal: text, taxTotal: text });
      expect(violations(input)).toEqual([
        { field: "items[0].unit_price", reason: PricingReason.INVALID_DECIMAL },
        { field: "items[0].tax_amount", reason: PricingReason.INVALID_DECIMAL },
        { field: "shipping_total", reason: PricingReason.INVALID_DECIMAL },
        { field: "discount_total", reason: PricingReason.INVALID_DECIMAL },
        { field: "tax_total", reason: PricingReason.INVALID_DECIMAL },
      ]);
    },
  );

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    "defends against quantity %d without throwing",
    (quantity) => {
      expect(violations(order({ lines: [line(quantity, "1")] }))).toEqual([
        { field: "items[0].quantity", reason: PricingReason.INVALID_QUANTITY },
      ]);
    },
  );

  it("reports every violation, one per problem, in the request's field order", () => {
    const input = order({
      currency: "XAU",
      lines: [line(1, "1.00", "0.5"), line(0, "x"), line(2, "3", "0.001")],
      shippingTotal: "1.234",
      discountTotal: "-1",
      taxTotal: "0.001",
    });
    expect(violations(input)).toEqual([
      { field: "items[1].quantity", reason: PricingReason.INVALID_QUANTITY },
      { field: "items[1].unit_price", reason: PricingReason.INVALID_DECIMAL },
      { field: "currency", reason: PricingReason.UNKNOWN_CURRENCY },
      { field: "discount_total", reason: PricingReason.INVALID_DECIMAL },
    ]);
  });

  it("checks fraction digits against the currency once it is known", () => {
    const input = order({
      lines: [line(1, "1.00", "0.5"), line(0, "x"), line(2, "3", "0.001")],
      shippingTotal: "1.234",
      discountTotal: "-1",
      taxTotal: "0.001",
    });
    expect(violations(input)).toEqual([
      { field: "items[1].quantity", reason: PricingReason.INVALID_QUANTITY },
      { field: "items[1].unit_price", reason: PricingReason.INVALID_DECIMAL },
      { field: "items[2].tax_amount", reason: PricingReason.TOO_MANY_FRACTION_DIGITS },
      { field: "shipping_total", reason: PricingReason.TOO_MANY_FRACTION_DIGITS },
      { field: "discount_total", reason: PricingReason.INVALID_DECIMAL },
      { field: "tax_total", reason: PricingReason.TOO_MANY_FRACTION_DIGITS },
    ]);
  });

  it("describes the violation for a human", () => {
    const result = priceOrder(order({ shippingTotal: "1.234" }));
    expect(result).toEqual({
      ok: false,
      violations: [
        {
          field: "shipping_total",
          reason: "TOO_MANY_FRACTION_DIGITS",
          description: "shipping_total has 3 fraction digits; at most 2 allowed in this currency",
        },
      ],
    });
  });
});

describe("plain orders: overflow", () => {
  const max = "999999999999999.9999";

  it("accepts the largest storable line total", () => {
    expect(priced(order({ currency: "CLF", lines: [line(1, max)] })).total).toBe(max);
    expect(priced(order({ lines: [line(1, "999999999999999.99")] })).total).toBe("999999999999999.99");
  });

  it("rejects a line total above the maximum on the line's unit_price", () => {
    expect(violations(order({ lines: [line(1, "1"), line(2, "999999999999999")] }))).toEqual([
      { field: "items[1].unit_price", reason: PricingReason.AMOUNT_TOO_LARGE },
    ]);
  });

  it("rejects a line that rounds up past the maximum", () => {
    // 999999999999999.9999 rounds half-even to 1000000000000000.00 in USD, which numeric(19,4) cannot hold.
    expect(violations(order({ lines: [line(1, max)] }))).toEqual([
      { field: "items[0].unit_price", reason: PricingReason.AMOUNT_TOO_LARGE },
    ]);
  });

  it("rejects a huge quantity without losing precision", () => {
    expect(violations(order({ lines: [line(Number.MAX_SAFE_INTEGER, "1000")] }))).toEqual([
      { field: "items[0].unit_price", reason: PricingReason.AMOUNT_TOO_LARGE },
    ]);
  });

  it("rejects a total above the maximum", () => {
    expect(violations(order({ lines: [line(1, "999999999999999")], shippingTotal: "1" }))).toEqual([
      { field: "total", reason: PricingReason.AMOUNT_TOO_LARGE },
    ]);
  });

  it("rejects a subtotal above the maximum even when a discount brings the total under it", () => {
    const input = order({ lines: [line(1, "999999999999999"), line(1, "1")], discountTotal: "5" });
    expect(violations(input)).toEqual([{ field: "items", reason: PricingReason.AMOUNT_TOO_LARGE }]);
  });

  it("rejects summed line taxes above the maximum unless tax_total overrides them", () => {
    const lines = [line(1, "1", "999999999999999"), line(1, "1", "1")];
    expect(violations(order({ lines, discountTotal: "10" }))).toEqual([
      { field: "items", reason: PricingReason.AMOUNT_TOO_LARGE },
    ]);
    expect(priced(order({ lines, taxTotal: "3" })).total).toBe("5.00");
  });
});

/** mulberry32: a tiny seeded PRNG so the property test is reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("plain orders: property — the total is the exact sum of the returned parts", () => {
  const random = seededRandom(20240625);
  const int = (max: number) => Math.floor(random() * (max + 1));
  const decimalText = (maxInteger: number, maxFraction: number): string => {
    const whole = String(int(maxInteger));
    const digits = int(maxFraction);
    if (digits === 0) return whole;
    return `${whole}.${Array.from({ length: digits }, () => int(9)).join("")}`;
  };
  const currencies = [
    ["USD", 2],
    ["JPY", 0],
    ["KWD", 3],
    ["CLF", 4],
  ] as const;

  it("holds for 1000 random orders", () => {
    let checked = 0;
    for (let round = 0; round < 1000; round++) {
      const [currency, minorUnits] = currencies[int(currencies.length - 1)] ?? currencies[0];
      const lines = Array.from({ length: 1 + int(20) }, () =>
        line(1 + int(1000), decimalText(10_000, 4), random() < 0.5 ? decimalText(100, minorUnits) : undefined),
      );
      const input = order({
        currency,
        lines,
        shippingTotal: decimalText(500, minorUnits),
        discountTotal: decimalText(random() < 0.1 ? 10_000_000 : 50, minorUnits),
        ...(random() < 0.3 ? { taxTotal: decimalText(1000, minorUnits) } : {}),
      });
      const result = priceOrder(input);
      const sum = (texts: string[]) => texts.reduce((acc, t) => acc.plus(t), new MoneyDecimal(0));
      if (!result.ok) {
        // The only way random valid input can fail is a discount larger than everything else.
        expect(result.violations).toEqual([
          expect.objectContaining({ field: "discount_total", reason: PricingReason.DISCOUNT_EXCEEDS_TOTAL }),
        ]);
        continue;
      }
      const o = result.order;
      const amounts = [o.subtotal, o.shippingTotal, o.taxTotal, o.discountTotal, o.total];
      for (const text of [...amounts, ...o.lines.map((l) => l.lineTotal)]) {
        expect(fractionDigits(text)).toBe(minorUnits);
        expect(text.startsWith("-")).toBe(false);
      }
      expect(sum(o.lines.map((l) => l.lineTotal)).equals(o.subtotal)).toBe(true);
      o.lines.forEach((l, i) => {
        const exact = new MoneyDecimal(lines[i]?.unitPrice ?? "").times(lines[i]?.quantity ?? 0);
        expect(
          new MoneyDecimal(l.lineTotal).equals(exact.toDecimalPlaces(minorUnits, MoneyDecimal.ROUND_HALF_EVEN)),
        ).toBe(true);
      });
      const expectedTax = input.taxTotal ?? o.lines.map((l) => l.taxAmount ?? "0");
      expect(new MoneyDecimal(o.taxTotal).equals(Array.isArray(expectedTax) ? sum(expectedTax) : expectedTax)).toBe(
        true,
      );
      const recomputed = new MoneyDecimal(o.subtotal).plus(o.shippingTotal).plus(o.taxTotal).minus(o.discountTotal);
      expect(recomputed.equals(o.total)).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });
});
