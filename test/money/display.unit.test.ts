import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { displayAmount } from "../../src/money/display.js";

describe("displayAmount", () => {
  it.each([
    ["2316.00", "USD", "en-US", 2, "$2,316.00"],
    ["1235", "JPY", "ja-JP", 0, "￥1,235"],
    ["1235", "JPY", "en-US", 0, "¥1,235"],
    ["2316.00", "EUR", "de-DE", 2, "2.316,00\u00a0€"],
    ["1.250", "KWD", "en-US", 3, "KWD\u00a01.250"],
    ["0.1234", "USD", "en-US", 2, "$0.1234"],
    ["0.1200", "USD", "en-US", 2, "$0.12"],
    ["999999999999999.99", "USD", "en-US", 2, "$999,999,999,999,999.99"],
    ["2316.5", "CHF", "de-CH", 2, "CHF\u00a02’316.50"],
  ])("formats %s %s in %s as %s", (amount, currency, locale, minorUnits, expected) => {
    expect(displayAmount(amount, currency, locale, minorUnits)).toBe(expected);
  });

  it("uses en-US when the order has no locale", () => {
    expect(displayAmount("12.5", "USD", null, 2)).toBe("$12.50");
  });

  it("never goes through a binary float: every digit of the largest amounts survives", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 99_999_999_999_999_999n }), (cents) => {
        const text = `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
        const shown = displayAmount(text, "USD", "en-US", 2);
        expect(shown.replace(/[$,]/g, "")).toBe(text);
      }),
    );
  });
});
