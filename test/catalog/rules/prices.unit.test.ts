import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxPriceFractionDigits, priceText, priceViolations } from "../../../src/catalog/rules/prices.js";

describe("catalog prices", () => {
  it("may have the currency's minor units + 2 fraction digits, never more than 4", () => {
    expect(maxPriceFractionDigits("USD")).toBe(4);
    expect(maxPriceFractionDigits("JPY")).toBe(2);
    expect(maxPriceFractionDigits("KWD")).toBe(4);
    expect(maxPriceFractionDigits("CLF")).toBe(4);
    expect(maxPriceFractionDigits("XAU")).toBeUndefined();
    expect(maxPriceFractionDigits("usd")).toBeUndefined();
  });

  it("accept prices at that scale", () => {
    expect(
      priceViolations("p", { USD: "0.0123", JPY: "99.99", KWD: "1.2345", EUR: "0", GBP: "999999999999999.9999" }),
    ).toEqual([]);
  });

  it("name each price that breaks a rule at its map entry", () => {
    expect(priceViolations("v[0].prices", { JPY: "1.234", XYZ: "1", EUR: "1.50", USD: "-1", XAU: "1" })).toEqual([
      expect.objectContaining({ field: 'v[0].prices["JPY"]', reason: "TOO_MANY_FRACTION_DIGITS" }),
      expect.objectContaining({ field: 'v[0].prices["XYZ"]', reason: "UNKNOWN_CURRENCY" }),
      expect.objectContaining({ field: 'v[0].prices["USD"]', reason: "INVALID_AMOUNT" }),
      expect.objectContaining({ field: 'v[0].prices["XAU"]', reason: "UNKNOWN_CURRENCY" }),
    ]);
  });

  it("come back with at least the currency's minor units and every significant digit", () => {
    expect(priceText("USD", "289.5000")).toBe("289.50");
    expect(priceText("USD", "0.0123")).toBe("0.0123");
    expect(priceText("JPY", "41000.0000")).toBe("41000");
    expect(priceText("JPY", "99.9900")).toBe("99.99");
    expect(priceText("KWD", "1.0000")).toBe("1.000");
    expect(() => priceText("XAU", "1")).toThrow(/unsupported currency/);
  });

  it("come back as the same amount they were stored as", () => {
    const amount = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 9999 }))
      .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(4, "0")}`);
    fc.assert(
      fc.property(fc.constantFrom("USD", "JPY", "KWD", "EUR"), amount, (currency, stored) => {
        const text = priceText(currency, stored);
        const minorUnits = { USD: 2, JPY: 0, KWD: 3, EUR: 2 }[currency];
        return equalDecimals(text, stored) && (text.split(".")[1]?.length ?? 0) >= minorUnits;
      }),
    );
  });
});

/** "1.50" and "1.5000" are one amount. */
function equalDecimals(a: string, b: string): boolean {
  const canonical = (text: string) => {
    const [whole = "", fraction = ""] = text.split(".");
    return `${whole}.${fraction.replace(/0+$/, "")}`;
  };
  return canonical(a) === canonical(b);
}
