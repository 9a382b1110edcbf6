import { describe, expect, it } from "vitest";
import type { CouponCodeInput, PromotionCandidate } from "../../../src/domain/pricing/checkout.js";
import { NOW, checkout, line, priced, promotion } from "./support/checkout.js";

const code = (candidate: PromotionCandidate | undefined, text = candidate?.code ?? "NOPE"): CouponCodeInput =>
  candidate === undefined ? { text } : { text, promotion: candidate };

const lines = [
  line(2, "10.00", { sku: "MUG-BLUE", productId: "prod-mug" }),
  line(1, "30.00", { sku: "TEE-M", productId: "prod-tee" }),
];

const warningsOf = (...codes: CouponCodeInput[]) =>
  priced(checkout({ lines, couponCodes: codes })).warnings.map(({ reason, field }) => ({ reason, field }));

describe("promotions: what each kind takes off", () => {
  it("ORDER_PERCENTAGE takes value % of the lines, allocated in proportion", () => {
    const result = priced(checkout({ lines, couponCodes: [code(promotion({ value: "10" }))] }));
    expect(result.adjustments).toEqual([
      {
        promotionId: "promo-1",
        code: "SPRING",
        name: "Spring",
        kind: "ORDER_PERCENTAGE",
        amount: "5.00",
        allocations: [
          { lineIndex: 0, amount: "2.00" },
          { lineIndex: 1, amount: "3.00" },
        ],
        shippingAmount: "0.00",
        orderAmount: "0.00",
      },
    ]);
    expect(result.lines.map((l) => l.discountTotal)).toEqual(["2.00", "3.00"]);
    expect(result).toMatchObject({ subtotal: "50.00", discountTotal: "5.00", total: "45.00", warnings: [] });
  });

  it("ORDER_FIXED_AMOUNT takes the value, never more than the lines hold", () => {
    const take = (value: string) =>
      priced(
        checkout({ lines, couponCodes: [code(promotion({ kind: "ORDER_FIXED_AMOUNT", value, currency: "USD" }))] }),
      );
    expect(take("7").adjustments[0]?.allocations).toEqual([
      { lineIndex: 0, amount: "2.80" },
      { lineIndex: 1, amount: "4.20" },
    ]);
    expect(take("80")).toMatchObject({ discountTotal: "50.00", total: "0.00" });
  });

  it("ITEM_PERCENTAGE takes value % of each matching line, by SKU in any case or by product id", () => {
    const bySku = priced(
      checkout({ lines, couponCodes: [code(promotion({ kind: "ITEM_PERCENTAGE", value: "25", skus: ["mug-blue"] }))] }),
    );
    expect(bySku.adjustments[0]).toMatchObject({ amount: "5.00", allocations: [{ lineIndex: 0, amount: "5.00" }] });
    const byProduct = priced(
      checkout({
        lines,
        couponCodes: [code(promotion({ kind: "ITEM_PERCENTAGE", value: "12.5", productIds: ["prod-tee"] }))],
      }),
    );
    expect(byProduct.adjustments[0]).toMatchObject({ amount: "3.75", allocations: [{ lineIndex: 1, amount: "3.75" }] });
  });

  it("ITEM_FIXED_AMOUNT takes value x quantity off each matching line, never below zero", () => {
    const take = (value: string) =>
      priced(
        checkout({
          lines,
          couponCodes: [
            code(promotion({ kind: "ITEM_FIXED_AMOUNT", value, skus: ["MUG-BLUE", "TEE-M"], currency: "USD" })),
          ],
        }),
      ).adjustments[0]?.allocations;
    expect(take("1.50")).toEqual([
      { lineIndex: 0, amount: "3.00" },
      { lineIndex: 1, amount: "1.50" },
    ]);
    expect(take("12")).toEqual([
      { lineIndex: 0, amount: "20.00" },
      { lineIndex: 1, amount: "12.00" },
    ]);
  });

  it("FREE_SHIPPING takes the shipping that is left", () => {
    const result = priced(
      checkout({
        lines,
        shipping: { kind: "AMOUNT", amount: "6.95" },
        couponCodes: [code(promotion({ kind: "FREE_SHIPPING", value: "0" }))],
      }),
    );
    expect(result.adjustments[0]).toMatchObject({ amount: "6.95", allocations: [], shippingAmount: "6.95" });
    expect(result.shipping).toMatchObject({ amount: "6.95", discount: "6.95" });
    expect(result).toMatchObject({ shippingTotal: "6.95", discountTotal: "6.95", total: "50.00" });
  });

  it("rounds a percentage HALF_EVEN to the currency (JPY whole yen)", () => {
    const result = priced(
      checkout({ currency: "JPY", lines: [line(1, "125")], couponCodes: [code(promotion({ value: "10" }))] }),
    );
    expect(result.adjustments[0]?.amount).toBe("12");
  });
});

describe("promotions: stacking", () => {
  it("applies item promotions, then order promotions on what is left, then free shipping, whatever the code order", () => {
    const order10 = promotion({ id: "p-order", code: "TENOFF", kind: "ORDER_PERCENTAGE", value: "10" });
    const mug = promotion({ id: "p-mug", code: "MUG5", kind: "ITEM_FIXED_AMOUNT", value: "5", skus: ["MUG-BLUE"] });
    const ship = promotion({ id: "p-ship", code: "SHIPFREE", kind: "FREE_SHIPPING", value: "0" });
    const result = priced(
      checkout({
        lines,
        shipping: { kind: "AMOUNT", amount: "5.00" },
        couponCodes: [code(ship), code(order10), code(mug)],
      }),
    );
    expect(result.adjustments.map((a) => [a.code, a.amount])).toEqual([
      ["MUG5", "10.00"],
      ["TENOFF", "4.00"],
      ["SHIPFREE", "5.00"],
    ]);
    expect(result.lines.map((l) => l.discountTotal)).toEqual(["11.00", "3.00"]);
    expect(result).toMatchObject({ discountTotal: "19.00", total: "36.00" });
  });

  it("never takes a line or the order below zero however many promotions stack (medusa#14899)", () => {
    const codes = [
      code(promotion({ id: "a", kind: "ITEM_PERCENTAGE", value: "90", skus: ["MUG-BLUE"] })),
      code(promotion({ id: "b", kind: "ITEM_FIXED_AMOUNT", value: "8", skus: ["MUG-BLUE"] })),
      code(promotion({ id: "c", kind: "ORDER_FIXED_AMOUNT", value: "45" })),
      code(promotion({ id: "d", kind: "ORDER_PERCENTAGE", value: "50" })),
    ];
    const result = priced(checkout({ lines, couponCodes: codes }));
    expect(result.lines.map((l) => l.discountTotal)).toEqual(["20.00", "30.00"]);
    expect(result).toMatchObject({ discountTotal: "50.00", total: "0.00" });
    expect(result.adjustments.map((a) => a.amount)).toEqual(["18.00", "2.00", "30.00"]);
    expect(result.warnings).toEqual([
      { reason: "COUPON_NOT_APPLICABLE", field: "coupon_codes[3]", message: expect.any(String) as string },
    ]);
  });

  it("takes the manual discount first, so percentages apply to what is left after it", () => {
    const result = priced(
      checkout({ lines, manualDiscount: "10.00", couponCodes: [code(promotion({ value: "10" }))] }),
    );
    expect(result.adjustments.map((a) => [a.kind, a.amount])).toEqual([
      ["MANUAL", "10.00"],
      ["ORDER_PERCENTAGE", "4.00"],
    ]);
  });
});

describe("promotions: a code that does not apply is a warning, never a failure", () => {
  const hour = 3_600_000;
  it.each([
    ["COUPON_NOT_FOUND", undefined],
    ["COUPON_INACTIVE", promotion({ active: false })],
    ["COUPON_NOT_STARTED", promotion({ startTime: new Date(NOW.getTime() + hour) })],
    ["COUPON_EXPIRED", promotion({ endTime: NOW })],
    ["COUPON_USAGE_LIMIT_REACHED", promotion({ usageLimit: 10, usageCount: 10 })],
    ["COUPON_CUSTOMER_LIMIT_REACHED", promotion({ perCustomerLimit: 1, customerUsageCount: 1 })],
    ["COUPON_CURRENCY_MISMATCH", promotion({ currency: "EUR" })],
    ["COUPON_MINIMUM_NOT_MET", promotion({ minimumSubtotal: "50.01" })],
    ["COUPON_NOT_APPLICABLE", promotion({ kind: "ITEM_PERCENTAGE", skus: ["OTHER"], productIds: ["prod-other"] })],
    ["COUPON_NOT_APPLICABLE", promotion({ kind: "FREE_SHIPPING" })],
  ] as const)("%s", (reason, candidate) => {
    const result = priced(checkout({ lines, couponCodes: [code(candidate, "spring")] }));
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ reason, field: "coupon_codes[0]" });
    expect(result.warnings[0]?.message).not.toBe("");
    expect(result).toMatchObject({ adjustments: [], discountTotal: "0.00", total: "50.00" });
  });

  it("applies a promotion inside its window, under its limits, at its minimum and in its currency", () => {
    const fine = promotion({
      startTime: NOW,
      endTime: new Date(NOW.getTime() + 1),
      usageLimit: 10,
      usageCount: 9,
      perCustomerLimit: 2,
      customerUsageCount: 1,
      currency: "USD",
      minimumSubtotal: "50.00",
    });
    expect(priced(checkout({ lines, couponCodes: [code(fine)] })).adjustments).toHaveLength(1);
  });

  it("COUPON_DUPLICATE: a second code of the same promotion, even in another spelling", () => {
    const p = promotion();
    expect(warningsOf(code(p, "SPRING"), code(p, "spring"))).toEqual([
      { reason: "COUPON_DUPLICATE", field: "coupon_codes[1]" },
    ]);
  });

  it("reports the first reason in the documented order, and every warning in code order", () => {
    const everything = promotion({ id: "x", active: false, endTime: NOW, currency: "EUR" });
    const expired = promotion({ id: "y", endTime: NOW, usageLimit: 1, usageCount: 1 });
    expect(warningsOf(code(undefined), code(everything), code(promotion({ id: "ok" })), code(expired))).toEqual([
      { reason: "COUPON_NOT_FOUND", field: "coupon_codes[0]" },
      { reason: "COUPON_INACTIVE", field: "coupon_codes[1]" },
      { reason: "COUPON_EXPIRED", field: "coupon_codes[3]" },
    ]);
  });

  it("COUPON_NOT_APPLICABLE when the lines are already down to zero", () => {
    expect(
      warningsOf(code(promotion({ id: "all", kind: "ORDER_FIXED_AMOUNT", value: "100" })), code(promotion())),
    ).toEqual([{ reason: "COUPON_NOT_APPLICABLE", field: "coupon_codes[1]" }]);
  });
});
