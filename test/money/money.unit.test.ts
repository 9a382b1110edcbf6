import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_AMOUNT,
  MoneyDecimal,
  formatAmount,
  formatAmountText,
  formatUnitPrice,
  formatUnitPriceText,
  fractionDigits,
  isCanonicalAmount,
  parseAmount,
  type Decimal,
} from "../../src/money/money.js";

const d = (text: string) => new MoneyDecimal(text);

describe("isCanonicalAmount / parseAmount", () => {
  it.each(["0", "0.5", "12.50", "999999999999999.9999", "1.0000", "100"])("accepts %j", (text) => {
    expect(isCanonicalAmount(text)).toBe(true);
    expect(parseAmount(text).equals(d(text))).toBe(true);
  });

  it.each([
    "",
    " 1",
    "1 ",
    "-1",
    "+1",
    "01",
    "00.5",
    ".5",
    "5.",
    "1e3",
    "1E3",
    "NaN",
    "Infinity",
    "0x10",
    "1.23456",
    "1000000000000000",
    "1,5",
    "١",
    "1_000",
  ])("rejects %j", (text) => {
    expect(isCanonicalAmount(text)).toBe(false);
    expect(() => parseAmount(text)).toThrow(RangeError);
    expect(() => fractionDigits(text)).toThrow(RangeError);
  });

  it("rejects non-strings at runtime", () => {
    expect(isCanonicalAmount(5)).toBe(false);
    expect(isCanonicalAmount(undefined)).toBe(false);
  });

  it("MAX_AMOUNT is what numeric(19,4) holds and the largest canonical amount", () => {
    expect(MAX_AMOUNT.toFixed(4)).toBe("999999999999999.9999");
    expect(parseAmount("999999999999999.9999").equals(MAX_AMOUNT)).toBe(true);
  });

  it("keeps exact values beyond float precision", () => {
    expect(parseAmount("0.1").plus(parseAmount("0.2")).toString()).toBe("0.3");
    expect(parseAmount("999999999999999.9999").plus("0.0001").toFixed(4)).toBe("1000000000000000.0000");
  });

  it("is not affected by changes to decimal.js's global configuration", async () => {
    const { Decimal: GlobalDecimal } = await import("decimal.js");
    const previous = { precision: GlobalDecimal.precision, rounding: GlobalDecimal.rounding };
    GlobalDecimal.set({ precision: 5, rounding: GlobalDecimal.ROUND_UP });
    try {
      expect(formatAmount(parseAmount("123456789.125"), 2)).toBe("123456789.12");
    } finally {
      GlobalDecimal.set(previous);
    }
  });
});

describe("fractionDigits", () => {
  it.each([
    ["0", 0],
    ["10", 0],
    ["1.5", 1],
    ["1.50", 2],
    ["0.125", 3],
    ["0.0000", 4],
  ] as const)("%j has %i", (text, digits) => {
    expect(fractionDigits(text)).toBe(digits);
  });
});

describe("formatAmount", () => {
  it("pads to the currency's minor units", () => {
    expect(formatAmount(d("2316"), 2)).toBe("2316.00");
    expect(formatAmount(d("0.3"), 2)).toBe("0.30");
    expect(formatAmount(d("5"), 0)).toBe("5");
    expect(formatAmount(d("1.5"), 3)).toBe("1.500");
  });

  it("rounds half to even", () => {
    expect(formatAmount(d("0.125"), 2)).toBe("0.12");
    expect(formatAmount(d("0.135"), 2)).toBe("0.14");
    expect(formatAmount(d("2.5"), 0)).toBe("2");
    expect(formatAmount(d("3.5"), 0)).toBe("4");
    expect(formatAmount(d("0.1251"), 2)).toBe("0.13");
  });

  it("never prints negative zero", () => {
    expect(formatAmount(d("-0"), 2)).toBe("0.00");
    expect(formatAmount(d("-0.001"), 2)).toBe("0.00");
    expect(formatAmount(d("-0.4"), 0)).toBe("0");
    expect(formatAmount(d("-0.5"), 0)).toBe("0");
    expect(formatAmount(d("-1.25"), 1)).toBe("-1.2");
  });

  it("never uses exponent notation", () => {
    expect(formatAmount(MAX_AMOUNT, 4)).toBe("999999999999999.9999");
    expect(formatAmount(d("1e21"), 2)).toBe("1000000000000000000000.00");
    expect(formatAmount(d("1e-9"), 2)).toBe("0.00");
  });

  it("answers as copying, rounding HALF_EVEN, then printing did (random values, signs, scales)", () => {
    const reference = (value: Decimal, minorUnits: number): string => {
      const rounded = new MoneyDecimal(value).toDecimalPlaces(minorUnits, MoneyDecimal.ROUND_HALF_EVEN);
      return (rounded.isZero() ? rounded.abs() : rounded).toFixed(minorUnits);
    };
    const value = fc
      .tuple(fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }), fc.integer({ min: 0, max: 12 }))
      .map(([digits, scale]) => d(digits.toString()).dividedBy(10 ** scale));
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 4 }), (amount, minorUnits) => {
        expect(formatAmount(amount, minorUnits)).toBe(reference(amount, minorUnits));
      }),
      { numRuns: 500 },
    );
  });

  it("throws on non-finite values and bad minor units", () => {
    expect(() => formatAmount(d("NaN"), 2)).toThrow(RangeError);
    expect(() => formatAmount(d("Infinity"), 2)).toThrow(RangeError);
    expect(() => formatAmount(d("1"), -1)).toThrow(RangeError);
    expect(() => formatAmount(d("1"), 1.5)).toThrow(RangeError);
  });
});

describe("formatAmountText", () => {
  it("answers as formatAmount(parseAmount(text)) for every canonical amount and minor units 0 to 4", () => {
    const canonical = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 19n - 1n }), fc.integer({ min: 0, max: 4 }))
      .map(([digits, scale]) =>
        d(digits.toString())
          .dividedBy(10 ** scale)
          .toFixed(scale),
      )
      .filter(isCanonicalAmount);
    fc.assert(
      fc.property(canonical, fc.integer({ min: 0, max: 4 }), (text, minorUnits) => {
        expect(formatAmountText(text, minorUnits)).toBe(formatAmount(parseAmount(text), minorUnits));
      }),
      { numRuns: 1000 },
    );
    expect(formatAmountText("12.99", 2)).toBe("12.99");
    expect(formatAmountText("10.5000", 2)).toBe("10.50");
    expect(formatAmountText("0.125", 2)).toBe("0.12");
    expect(formatAmountText("5", 0)).toBe("5");
    expect(formatAmountText("5", 2)).toBe("5.00");
    expect(formatAmountText("25.0000", 2)).toBe("25.00");
    expect(formatAmountText("25.0000", 0)).toBe("25");
    expect(formatAmountText("0.0000", 2)).toBe("0.00");
    expect(formatAmountText("2.5000", 0)).toBe("2");
  });

  it("throws on non-canonical text and bad minor units, as parseAmount and formatAmount do", () => {
    for (const text of ["-1.00", "01.00", "1.", "1e2", " 1.00", "1.00000"]) {
      expect(() => formatAmountText(text, 2)).toThrow(RangeError);
    }
    expect(() => formatAmountText("1", -1)).toThrow(RangeError);
    expect(() => formatAmountText("1.5", 1.5)).toThrow(RangeError);
  });
});

describe("formatUnitPrice", () => {
  it("shows at least the currency's minor units and more only when needed", () => {
    expect(formatUnitPrice(d("289.5"), 2)).toBe("289.50");
    expect(formatUnitPrice(d("0.1234"), 2)).toBe("0.1234");
    expect(formatUnitPrice(d("0.1000"), 2)).toBe("0.10");
    expect(formatUnitPrice(d("5"), 0)).toBe("5");
    expect(formatUnitPrice(d("2.5"), 0)).toBe("2.5");
    expect(formatUnitPrice(d("1.2"), 3)).toBe("1.200");
  });

  it("never prints negative zero", () => {
    expect(formatUnitPrice(d("-0"), 2)).toBe("0.00");
    expect(formatUnitPrice(d("-0"), 0)).toBe("0");
  });

  it("throws on non-finite values", () => {
    expect(() => formatUnitPrice(d("NaN"), 2)).toThrow(RangeError);
  });
});

describe("formatUnitPriceText", () => {
  it("answers as formatUnitPrice(parseAmount(text)) for every canonical amount and minor units 0 to 4", () => {
    const canonical = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 19n - 1n }), fc.integer({ min: 0, max: 4 }))
      .map(([digits, scale]) =>
        d(digits.toString())
          .dividedBy(10 ** scale)
          .toFixed(scale),
      )
      .filter(isCanonicalAmount);
    fc.assert(
      fc.property(canonical, fc.integer({ min: 0, max: 4 }), (text, minorUnits) => {
        expect(formatUnitPriceText(text, minorUnits)).toBe(formatUnitPrice(parseAmount(text), minorUnits));
      }),
      { numRuns: 1000 },
    );
    expect(formatUnitPriceText("289.5000", 2)).toBe("289.50");
    expect(formatUnitPriceText("0.1234", 2)).toBe("0.1234");
    expect(formatUnitPriceText("0.0000", 2)).toBe("0.00");
    expect(formatUnitPriceText("5.0000", 0)).toBe("5");
    expect(formatUnitPriceText("2.5000", 0)).toBe("2.5");
    expect(formatUnitPriceText("1.2", 3)).toBe("1.200");
  });

  it("throws on non-canonical text and bad minor units", () => {
    for (const text of ["-1.00", "01.00", "1.", "1e2", " 1.00", "1.00000"]) {
      expect(() => formatUnitPriceText(text, 2)).toThrow(RangeError);
    }
    expect(() => formatUnitPriceText("1", -1)).toThrow(RangeError);
  });
});
