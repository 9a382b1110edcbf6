import { describe, expect, it } from "vitest";
import { priceCheckout } from "../../../src/domain/pricing/engine.js";
import { checkout, line, priced, violations } from "./support/checkout.js";

describe("priceCheckout: lines and currency", () => {
  it("rounds each line total HALF_EVEN to the currency; the subtotal is their sum", () => {
    const result = priced(checkout({ lines: [line(1, "0.125"), line(1, "0.135"), line(7, "0.1234")] }));
    expect(result.lines.map((l) => [l.unitPrice, l.lineTotal])).toEqual([
      ["0.125", "0.12"],
      ["0.135", "0.14"],
      ["0.1234", "0.86"],
    ]);
    expect(result).toMatchObject({ currency: "USD", minorUnits: 2, subtotal: "1.12", total: "1.12" });
  });

  it.each([
    ["JPY", "2.5", "2", 0],
    ["KWD", "1.0015", "1.002", 3],
    ["CLF", "1.0001", "1.0001", 4],
  ] as const)("formats %s to its minor units", (currency, unitPrice, lineTotal, minorUnits) => {
    const result = priced(checkout({ currency, lines: [line(1, unitPrice)] }));
    expect(result).toMatchObject({
      minorUnits,
      subtotal: lineTotal,
      total: lineTotal,
      discountTotal: (0).toFixed(minorUnits),
    });
  });

  it("UNKNOWN_CURRENCY at currency, after the lines, still checking every field's syntax", () => {
    expect(violations(checkout({ currency: "usd", lines: [line(0, "1.00001")], manualDiscount: "x" }))).toEqual([
      { field: "items[0].quantity", reason: "INVALID_QUANTITY" },
      { field: "items[0].unit_price", reason: "INVALID_DECIMAL" },
      { field: "currency", reason: "UNKNOWN_CURRENCY" },
      { field: "discount_total", reason: "INVALID_DECIMAL" },
    ]);
    expect(violations(checkout({ currency: "XAU" }))).toEqual([{ field: "currency", reason: "UNKNOWN_CURRENCY" }]);
  });

  it("AMOUNT_TOO_LARGE for a line, the subtotal and the total", () => {
    const max = "999999999999999.99";
    expect(violations(checkout({ lines: [line(2, max)] }))).toEqual([
      { field: "items[0].unit_price", reason: "AMOUNT_TOO_LARGE" },
    ]);
    expect(violations(checkout({ lines: [line(1, max), line(1, max)] }))).toEqual([
      { field: "items", reason: "AMOUNT_TOO_LARGE" },
      { field: "total", reason: "AMOUNT_TOO_LARGE" },
    ]);
    expect(violations(checkout({ lines: [line(1, max)], shipping: { kind: "AMOUNT", amount: "1" } }))).toEqual([
      { field: "total", reason: "AMOUNT_TOO_LARGE" },
    ]);
  });

  it("prices an empty order at zero", () => {
    expect(priced(checkout())).toMatchObject({ subtotal: "0.00", total: "0.00", amountDue: "0.00", lines: [] });
  });

  it("gives the same output for the same input", () => {
    const input = checkout({ lines: [line(3, "9.99"), line(1, "0.01")], manualDiscount: "5.00" });
    expect(priceCheckout(input)).toEqual(priceCheckout(input));
  });
});
