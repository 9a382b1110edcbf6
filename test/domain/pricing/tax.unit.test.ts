import { describe, expect, it } from "vitest";
import { NEW_YORK, checkout, line, priced, promotion, taxConfig, violations, zone } from "./support/checkout.js";

const NYC_RATES = [
  { taxCategory: "standard", name: "NY State", rate: "0.04" },
  { taxCategory: "standard", name: "NYC", rate: "0.045" },
  { taxCategory: "standard", name: "MCTD", rate: "0.00375" },
];

describe("tax: server-side by the matching zone", () => {
  it("adds tax per line (US sales tax), ignoring the client's tax, and says so", () => {
    const result = priced(
      checkout({
        lines: [line(2, "19.99", { clientTaxAmount: "99.00" }), line(1, "5.00", { clientTaxAmount: "1.001" })],
        clientTaxTotal: "1234.567",
        tax: taxConfig(),
        taxAddress: NEW_YORK,
      }),
    );
    expect(result.lines.map((l) => [l.taxAmount, l.taxLines])).toEqual([
      ["3.55", [{ name: "NY", rate: "0.08875", amount: "3.55", included: false, taxZoneId: "zone-ny" }]],
      ["0.44", [{ name: "NY", rate: "0.08875", amount: "0.44", included: false, taxZoneId: "zone-ny" }]],
    ]);
    expect(result).toMatchObject({
      taxSource: "SERVER",
      taxZoneId: "zone-ny",
      subtotal: "44.98",
      taxTotal: "3.99",
      includedTaxTotal: "0.00",
      additionalTaxTotal: "3.99",
      total: "48.97",
    });
  });

  it("gives one tax line per rate of the line's category (state, city, transit) on the same base", () => {
    const result = priced(
      checkout({
        lines: [line(1, "100.00")],
        tax: taxConfig({ zones: [zone({ rates: NYC_RATES })] }),
        taxAddress: NEW_YORK,
      }),
    );
    expect(result.lines[0]?.taxLines.map((t) => [t.name, t.amount])).toEqual([
      ["NY State", "4.00"],
      ["NYC", "4.50"],
      ["MCTD", "0.38"],
    ]);
    expect(result.lines[0]?.taxAmount).toBe("8.88");
    expect(result.taxTotal).toBe("8.88");
  });

  it("taxes each line at its category's rates ('' is standard); a category without a rate is not taxed", () => {
    const rates = [
      { taxCategory: "standard", name: "VAT 20%", rate: "0.20" },
      { taxCategory: "reduced", name: "VAT 5.5%", rate: "0.055" },
    ];
    const result = priced(
      checkout({
        currency: "EUR",
        lines: [
          line(1, "10.00"),
          line(1, "10.00", { taxCategory: "reduced" }),
          line(1, "10.00", { taxCategory: "exempt" }),
        ],
        tax: taxConfig({ zones: [zone({ country: "FR", region: "", rates })] }),
        taxAddress: { country: "FR", region: "", postalCode: "75001" },
      }),
    );
    expect(result.lines.map((l) => l.taxAmount)).toEqual(["2.00", "0.55", "0.00"]);
    expect(result.lines[2]?.taxLines).toEqual([]);
  });

  it("taxes what is left after discounts: order discounts are allocated to lines before tax", () => {
    const result = priced(
      checkout({
        lines: [line(1, "60.00"), line(1, "40.00")],
        couponCodes: [{ text: "TEN", promotion: promotion({ kind: "ORDER_FIXED_AMOUNT", value: "10" }) }],
        tax: taxConfig({ zones: [zone({ rates: [{ taxCategory: "standard", name: "Tax", rate: "0.10" }] })] }),
        taxAddress: NEW_YORK,
      }),
    );
    expect(result.lines.map((l) => [l.discountTotal, l.taxAmount])).toEqual([
      ["6.00", "5.40"],
      ["4.00", "3.60"],
    ]);
    expect(result.total).toBe("99.00");
  });

  it("rounds per line by default and per order when configured: the two differ by a cent here", () => {
    const order = (rounding: "LINE" | "ORDER") =>
      priced(
        checkout({
          lines: [line(1, "2.50"), line(1, "2.50")],
          tax: taxConfig({
            rounding,
            zones: [zone({ rates: [{ taxCategory: "standard", name: "Tax", rate: "0.07" }] })],
          }),
          taxAddress: NEW_YORK,
        }),
      );
    // 2.50 x 0.07 = 0.175 per line: HALF_EVEN 0.18 each, 0.36; per order 0.35 split 0.18 + 0.17.
    expect(order("LINE").lines.map((l) => l.taxAmount)).toEqual(["0.18", "0.18"]);
    expect(order("LINE").taxTotal).toBe("0.36");
    expect(order("ORDER").lines.map((l) => l.taxAmount)).toEqual(["0.18", "0.17"]);
    expect(order("ORDER").taxTotal).toBe("0.35");
  });

  it("includes tax in VAT-style prices: the total is what the prices say, the tax inside it", () => {
    const result = priced(
      checkout({
        currency: "EUR",
        lines: [line(3, "12.00")],
        shipping: { kind: "AMOUNT", amount: "6.00" },
        tax: taxConfig({
          pricesIncludeTax: true,
          taxShipping: true,
          zones: [
            zone({ country: "DE", region: "", rates: [{ taxCategory: "standard", name: "MwSt 19%", rate: "0.19" }] }),
          ],
        }),
        taxAddress: { country: "DE", region: "BE", postalCode: "10115" },
      }),
    );
    // 36.00 x 0.19 / 1.19 = 5.747.. -> 5.75; 6.00 x 0.19 / 1.19 = 0.958.. -> 0.96
    expect(result.lines[0]?.taxLines).toEqual([
      { name: "MwSt 19%", rate: "0.19", amount: "5.75", included: true, taxZoneId: "zone-ny" },
    ]);
    expect(result.shipping.taxAmount).toBe("0.96");
    expect(result).toMatchObject({
      subtotal: "36.00",
      shippingTotal: "6.00",
      taxTotal: "6.71",
      includedTaxTotal: "6.71",
      additionalTaxTotal: "0.00",
      total: "42.00",
    });
  });

  it("divides by every rate of the category when several are included", () => {
    const result = priced(
      checkout({
        lines: [line(1, "108.50")],
        tax: taxConfig({ pricesIncludeTax: true, zones: [zone({ rates: NYC_RATES })] }),
        taxAddress: NEW_YORK,
      }),
    );
    // 108.50 / 1.08875 = 99.6556..: 3.99 + 4.48 + 0.37
    expect(result.lines[0]?.taxLines.map((t) => t.amount)).toEqual(["3.99", "4.48", "0.37"]);
    expect(result.total).toBe("108.50");
  });

  it("taxes shipping at its category on what is left of it, only when shipping is taxed", () => {
    const base = {
      lines: [line(1, "10.00")],
      shipping: { kind: "AMOUNT", amount: "8.00" } as const,
      manualDiscount: "12.00",
      taxAddress: NEW_YORK,
    };
    const taxed = priced(
      checkout({
        ...base,
        tax: taxConfig({
          taxShipping: true,
          zones: [zone({ rates: [{ taxCategory: "standard", name: "Tax", rate: "0.10" }] })],
        }),
      }),
    );
    expect(taxed.shipping).toMatchObject({ amount: "8.00", discount: "2.00", taxAmount: "0.60" });
    expect(taxed.shipping.taxLines).toHaveLength(1);
    expect(taxed).toMatchObject({ taxTotal: "0.60", total: "6.60" });
    const reduced = priced(
      checkout({
        ...base,
        tax: taxConfig({
          taxShipping: true,
          shippingTaxCategory: "shipping",
          zones: [zone({ rates: [{ taxCategory: "shipping", name: "Ship tax", rate: "0.05" }] })],
        }),
      }),
    );
    expect(reduced.shipping.taxLines.map((t) => [t.name, t.amount])).toEqual([["Ship tax", "0.30"]]);
    expect(priced(checkout({ ...base, tax: taxConfig() })).shipping.taxLines).toEqual([]);
  });

  it("uses the client's tax when the address matches no zone, or there is no address", () => {
    const input = {
      lines: [line(1, "10.00", { clientTaxAmount: "0.50" })],
      tax: taxConfig(),
    };
    for (const taxAddress of [{ country: "US", region: "CA", postalCode: "94105" }, undefined]) {
      const result = priced(checkout({ ...input, ...(taxAddress ? { taxAddress } : {}) }));
      expect(result).toMatchObject({
        taxSource: "CLIENT",
        taxZoneId: "",
        taxTotal: "0.50",
        additionalTaxTotal: "0.50",
      });
      expect(result.lines[0]).toMatchObject({ taxAmount: "0.50", taxLines: [] });
    }
  });

  it("uses the client's tax_total override over the lines' sum, all of it added", () => {
    const result = priced(
      checkout({ lines: [line(1, "10.00", { clientTaxAmount: "0.50" }), line(1, "1.00")], clientTaxTotal: "0.80" }),
    );
    expect(result.lines.map((l) => l.taxAmount)).toEqual(["0.50", "0.00"]);
    expect(result).toMatchObject({
      taxTotal: "0.80",
      includedTaxTotal: "0.00",
      additionalTaxTotal: "0.80",
      total: "11.80",
    });
  });

  it("AMOUNT_TOO_LARGE when the server's tax does not fit", () => {
    const huge = zone({ rates: [{ taxCategory: "standard", name: "Huge", rate: "999.999999" }] });
    expect(
      violations(
        checkout({ lines: [line(1, "100000000000000")], tax: taxConfig({ zones: [huge] }), taxAddress: NEW_YORK }),
      ),
    ).toEqual([
      { field: "items", reason: "AMOUNT_TOO_LARGE" },
      { field: "total", reason: "AMOUNT_TOO_LARGE" },
    ]);
  });
});

describe("the manual discount (the request's discount_total)", () => {
  const lines = [line(1, "30.00"), line(1, "10.00")];

  it("goes on the lines in proportion, then on the shipping", () => {
    const result = priced(checkout({ lines, shipping: { kind: "AMOUNT", amount: "5.00" }, manualDiscount: "42.00" }));
    expect(result.adjustments).toEqual([
      {
        promotionId: "",
        code: "",
        name: "Discount",
        kind: "MANUAL",
        amount: "42.00",
        allocations: [
          { lineIndex: 0, amount: "30.00" },
          { lineIndex: 1, amount: "10.00" },
        ],
        shippingAmount: "2.00",
        orderAmount: "0.00",
      },
    ]);
    expect(result).toMatchObject({ discountTotal: "42.00", total: "3.00" });
  });

  it("with the client's tax, may reach into that tax (today's rule); the part beyond lines and shipping is orderAmount", () => {
    const result = priced(
      checkout({
        lines,
        shipping: { kind: "AMOUNT", amount: "5.00" },
        clientTaxTotal: "4.00",
        manualDiscount: "47.00",
      }),
    );
    expect(result.adjustments[0]).toMatchObject({ amount: "47.00", shippingAmount: "5.00", orderAmount: "2.00" });
    expect(result).toMatchObject({ discountTotal: "47.00", total: "2.00" });
    expect(
      violations(
        checkout({
          lines,
          shipping: { kind: "AMOUNT", amount: "5.00" },
          clientTaxTotal: "4.00",
          manualDiscount: "49.01",
        }),
      ),
    ).toEqual([{ field: "discount_total", reason: "DISCOUNT_EXCEEDS_TOTAL" }]);
  });

  it("with the server's tax, may not exceed lines + shipping", () => {
    const server = {
      lines,
      tax: taxConfig(),
      taxAddress: NEW_YORK,
      shipping: { kind: "AMOUNT", amount: "5.00" } as const,
    };
    expect(priced(checkout({ ...server, manualDiscount: "45.00" }))).toMatchObject({ taxTotal: "0.00", total: "0.00" });
    expect(violations(checkout({ ...server, manualDiscount: "45.01" }))).toEqual([
      { field: "discount_total", reason: "DISCOUNT_EXCEEDS_TOTAL" },
    ]);
  });
});
