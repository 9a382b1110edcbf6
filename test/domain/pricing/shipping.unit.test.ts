import { describe, expect, it } from "vitest";
import type { ShippingMethod, ShippingRate } from "../../../src/domain/pricing/checkout.js";
import { quoteShipping } from "../../../src/domain/pricing/engine.js";
import { checkout, line, priced, violations } from "./support/checkout.js";

function method(rates: ShippingRate[], overrides: Partial<ShippingMethod> = {}): ShippingMethod {
  return {
    id: "ship-ground",
    name: "Ground",
    carrier: "UPS",
    service: "GROUND",
    countries: ["US", "CA"],
    rates,
    active: true,
    ...overrides,
  };
}

const flat = (amount: string, currency = "USD", freeAbove?: string): ShippingRate => ({
  currency,
  kind: "FLAT",
  amount,
  tiers: [],
  ...(freeAbove === undefined ? {} : { freeAbove }),
});
const tiers = (
  kind: "SUBTOTAL_TIERS" | "WEIGHT_TIERS",
  pairs: [string, string][],
  freeAbove?: string,
): ShippingRate => ({
  currency: "USD",
  kind,
  amount: "0",
  tiers: pairs.map(([from, amount]) => ({ from, amount })),
  ...(freeAbove === undefined ? {} : { freeAbove }),
});

const quote = (m: ShippingMethod, subtotal: string, weightGrams = 0, country = "US", currency = "USD") =>
  quoteShipping(m, { currency, subtotal, weightGrams, country });

describe("quoteShipping", () => {
  it("prices a flat rate in the order's currency, formatted to its minor units", () => {
    expect(quote(method([flat("9.5")]), "10.00")).toEqual({ ok: true, amount: "9.50" });
    expect(quote(method([flat("9.5"), flat("1200", "JPY")]), "100", 0, "US", "JPY")).toEqual({
      ok: true,
      amount: "1200",
    });
  });

  it("takes the last subtotal tier the subtotal reaches; below the first tier there is no rate", () => {
    const m = method([
      tiers("SUBTOTAL_TIERS", [
        ["10", "8.00"],
        ["50", "5.00"],
        ["100", "2.00"],
      ]),
    ]);
    expect(quote(m, "9.99")).toEqual({ ok: false, reason: "SHIPPING_METHOD_NO_RATE" });
    expect(quote(m, "10.00")).toEqual({ ok: true, amount: "8.00" });
    expect(quote(m, "99.99")).toEqual({ ok: true, amount: "5.00" });
    expect(quote(m, "100.00")).toEqual({ ok: true, amount: "2.00" });
  });

  it("takes the weight tier of the total grams", () => {
    const m = method([
      tiers("WEIGHT_TIERS", [
        ["0", "4.00"],
        ["1000", "7.00"],
        ["5000", "15.00"],
      ]),
    ]);
    expect(quote(m, "1.00", 999)).toEqual({ ok: true, amount: "4.00" });
    expect(quote(m, "1.00", 1000)).toEqual({ ok: true, amount: "7.00" });
    expect(quote(m, "1.00", 20000)).toEqual({ ok: true, amount: "15.00" });
  });

  it("is free at or above free_above (subtotal before discounts)", () => {
    const m = method([flat("9.50", "USD", "75")]);
    expect(quote(m, "74.99")).toEqual({ ok: true, amount: "9.50" });
    expect(quote(m, "75.00")).toEqual({ ok: true, amount: "0.00" });
    const weighed = method([tiers("WEIGHT_TIERS", [["0", "4.00"]], "50")]);
    expect(quote(weighed, "50.00", 10)).toEqual({ ok: true, amount: "0.00" });
  });

  it("refuses an inactive method, another country, another currency or a tier-less rate", () => {
    expect(quote(method([flat("1")], { active: false }), "1.00")).toEqual({
      ok: false,
      reason: "SHIPPING_METHOD_INACTIVE",
    });
    expect(quote(method([flat("1")]), "1.00", 0, "FR")).toEqual({ ok: false, reason: "SHIPPING_METHOD_NOT_AVAILABLE" });
    expect(quote(method([flat("1")]), "1.00", 0, "")).toEqual({ ok: false, reason: "SHIPPING_METHOD_NOT_AVAILABLE" });
    expect(quote(method([flat("1", "EUR")]), "1.00")).toEqual({ ok: false, reason: "SHIPPING_METHOD_NO_RATE" });
    expect(quote(method([tiers("SUBTOTAL_TIERS", [])]), "1.00")).toEqual({
      ok: false,
      reason: "SHIPPING_METHOD_NO_RATE",
    });
    expect(quote(method([flat("1", "ABC")]), "1", 0, "US", "ABC")).toEqual({
      ok: false,
      reason: "SHIPPING_METHOD_NO_RATE",
    });
  });

  it("ships everywhere when the method names no country", () => {
    expect(quote(method([flat("3")], { countries: [] }), "1.00", 0, "JP")).toEqual({ ok: true, amount: "3.00" });
  });

  it("refuses a malformed configured figure as a bug (it throws)", () => {
    expect(() => quote(method([flat("-1")]), "1.00")).toThrow(RangeError);
  });
});

describe("priceCheckout: shipping", () => {
  const lines = [line(2, "20.00", { weightGrams: 600 }), line(1, "15.00", { weightGrams: 300 })];

  it("NONE ships for 0; AMOUNT is the request's shipping_total; INLINE carries its carrier and service", () => {
    expect(priced(checkout({ lines })).shipping).toEqual({
      amount: "0.00",
      discount: "0.00",
      taxLines: [],
      taxAmount: "0.00",
      name: "",
      carrier: "",
      service: "",
      methodId: "",
    });
    expect(priced(checkout({ lines, shipping: { kind: "AMOUNT", amount: "4.5" } })).shippingTotal).toBe("4.50");
    const inline = priced(
      checkout({
        lines,
        shipping: { kind: "INLINE", name: "Next day", carrier: "FedEx", service: "PRIORITY", amount: "30" },
      }),
    );
    expect(inline.shipping).toMatchObject({ amount: "30.00", name: "Next day", carrier: "FedEx", service: "PRIORITY" });
    expect(inline.total).toBe("85.00");
  });

  it("METHOD is priced by its rate on the order's subtotal and weight (2 x 600 g + 300 g = 1500 g)", () => {
    const m = method([
      tiers("WEIGHT_TIERS", [
        ["0", "4.00"],
        ["1000", "7.00"],
        ["2000", "9.00"],
      ]),
    ]);
    const result = priced(checkout({ lines, shipping: { kind: "METHOD", method: m }, shippingCountry: "US" }));
    expect(result.shipping).toMatchObject({
      amount: "7.00",
      name: "Ground",
      carrier: "UPS",
      service: "GROUND",
      methodId: "ship-ground",
    });
    expect(result.total).toBe("62.00");
  });

  it("reports an ineligible METHOD at shipping_method.id", () => {
    const at = (m: ShippingMethod, country = "US") =>
      violations(checkout({ lines, shipping: { kind: "METHOD", method: m }, shippingCountry: country }));
    expect(at(method([flat("1")], { active: false }))).toEqual([
      { field: "shipping_method.id", reason: "SHIPPING_METHOD_INACTIVE" },
    ]);
    expect(at(method([flat("1")]), "FR")).toEqual([
      { field: "shipping_method.id", reason: "SHIPPING_METHOD_NOT_AVAILABLE" },
    ]);
    expect(at(method([flat("1", "EUR")]))).toEqual([
      { field: "shipping_method.id", reason: "SHIPPING_METHOD_NO_RATE" },
    ]);
    expect(at(method([tiers("SUBTOTAL_TIERS", [["100", "1.00"]])]))).toEqual([
      { field: "shipping_method.id", reason: "SHIPPING_METHOD_NO_RATE" },
    ]);
  });

  it("still reports what it can of a METHOD when a line is invalid (tiers wait for the lines)", () => {
    const bad = [line(0, "1.00")];
    const inactive = method([flat("1")], { active: false });
    expect(violations(checkout({ lines: bad, shipping: { kind: "METHOD", method: inactive } }))).toEqual([
      { field: "items[0].quantity", reason: "INVALID_QUANTITY" },
      { field: "shipping_method.id", reason: "SHIPPING_METHOD_INACTIVE" },
    ]);
    const tiered = method([tiers("SUBTOTAL_TIERS", [["100", "1.00"]])]);
    expect(
      violations(checkout({ lines: bad, shipping: { kind: "METHOD", method: tiered }, shippingCountry: "US" })),
    ).toEqual([{ field: "items[0].quantity", reason: "INVALID_QUANTITY" }]);
  });

  it("checks the request's shipping amounts like every amount", () => {
    expect(violations(checkout({ lines, shipping: { kind: "AMOUNT", amount: "1.001" } }))).toEqual([
      { field: "shipping_total", reason: "TOO_MANY_FRACTION_DIGITS" },
    ]);
    expect(
      violations(checkout({ lines, shipping: { kind: "INLINE", name: "", carrier: "", service: "", amount: "-1" } })),
    ).toEqual([{ field: "shipping_method.amount", reason: "INVALID_DECIMAL" }]);
  });
});
