import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { PromotionKind, PromotionSchema } from "../../../gen/orders/v1/promotion_pb.js";
import {
  draftOf,
  kindOf,
  kindToMessage,
  promotionViolations,
  timestampNanosViolations,
  UPDATABLE_PATHS,
  updatedDraft,
  type PromotionDraft,
} from "../../../src/promotions/rules/promotion-draft.js";

const base: PromotionDraft = {
  displayName: "Summer sale",
  description: "",
  kind: "ORDER_PERCENTAGE",
  value: "15",
  currency: "",
  skus: [],
  productIds: [],
  codes: ["SUMMER"],
  minimumSubtotal: "",
  startTime: undefined,
  endTime: undefined,
  usageLimit: undefined,
  perCustomerLimit: undefined,
  active: true,
};

/** The reasons of a draft's violations, by field. */
function reasons(changes: Partial<PromotionDraft>): Record<string, string> {
  return Object.fromEntries(
    promotionViolations({ ...base, ...changes }).map((violation) => [violation.field, violation.reason]),
  );
}

describe("promotionViolations", () => {
  it("accepts a promotion of every kind that keeps the rules", () => {
    const valid: Partial<PromotionDraft>[] = [
      {},
      { value: "100" },
      { value: "0.0001", currency: "EUR", minimumSubtotal: "20.5" },
      { kind: "ORDER_FIXED_AMOUNT", value: "10.5", currency: "USD" },
      { kind: "ORDER_FIXED_AMOUNT", value: "1000", currency: "JPY", minimumSubtotal: "5000" },
      { kind: "ITEM_PERCENTAGE", value: "12.5", skus: ["A-1"] },
      {
        kind: "ITEM_FIXED_AMOUNT",
        value: "0.001",
        currency: "KWD",
        productIds: ["3f1f0f7e-0c3a-4c56-9f0e-6f4d3c2b1a09"],
      },
      { kind: "FREE_SHIPPING", value: "" },
      { kind: "FREE_SHIPPING", value: "", currency: "USD", minimumSubtotal: "50" },
      { startTime: new Date("2026-07-01T00:00:00Z"), endTime: new Date("2026-07-01T00:00:00.001Z") },
      { startTime: new Date("2026-07-01T00:00:00Z") },
      { endTime: new Date("2026-07-01T00:00:00Z") },
    ];
    for (const changes of valid) expect({ changes, violations: reasons(changes) }).toEqual({ changes, violations: {} });
  });

  it("needs a display name, a kind and at least one code", () => {
    expect(reasons({ displayName: "", kind: undefined, codes: [] })).toEqual({
      "promotion.display_name": "REQUIRED",
      "promotion.kind": "REQUIRED",
      "promotion.codes": "REQUIRED",
    });
  });

  it("takes a percent more than 0 and at most 100 for the percentage kinds", () => {
    for (const value of ["0", "0.0000", "100.0001", "250"]) {
      expect(reasons({ value })).toEqual({ "promotion.value": "PERCENT_OUT_OF_RANGE" });
      expect(reasons({ kind: "ITEM_PERCENTAGE", skus: ["A"], value })).toEqual({
        "promotion.value": "PERCENT_OUT_OF_RANGE",
      });
    }
    expect(reasons({ value: "" })).toEqual({ "promotion.value": "REQUIRED" });
    expect(reasons({ value: "1e2" })).toEqual({ "promotion.value": "INVALID_DECIMAL" });
  });

  it("takes an amount more than 0 in a known currency, with no more decimals than it has, for the fixed kinds", () => {
    const fixed = { kind: "ORDER_FIXED_AMOUNT", currency: "USD" } as const;
    expect(reasons({ ...fixed, value: "0.00" })).toEqual({ "promotion.value": "AMOUNT_NOT_POSITIVE" });
    expect(reasons({ ...fixed, value: "" })).toEqual({ "promotion.value": "REQUIRED" });
    expect(reasons({ ...fixed, value: "1.005" })).toEqual({ "promotion.value": "TOO_MANY_FRACTION_DIGITS" });
    expect(reasons({ ...fixed, value: "5", currency: "JPY", minimumSubtotal: "0.5" })).toEqual({
      "promotion.minimum_subtotal": "TOO_MANY_FRACTION_DIGITS",
    });
    expect(reasons({ ...fixed, value: "5", currency: "" })).toEqual({ "promotion.currency": "REQUIRED" });
    expect(reasons({ ...fixed, value: "5", currency: "ABC" })).toEqual({ "promotion.currency": "UNKNOWN_CURRENCY" });
    expect(reasons({ currency: "XAU" })).toEqual({ "promotion.currency": "UNKNOWN_CURRENCY" });
    expect(reasons({ ...fixed, value: "-5" })).toEqual({ "promotion.value": "INVALID_DECIMAL" });
  });

  it("names items for the item kinds only", () => {
    expect(reasons({ kind: "ITEM_PERCENTAGE" })).toEqual({ "promotion.skus": "ITEMS_REQUIRED" });
    expect(reasons({ skus: ["A"], productIds: ["3f1f0f7e-0c3a-4c56-9f0e-6f4d3c2b1a09"] })).toEqual({
      "promotion.skus": "NOT_ALLOWED",
      "promotion.product_ids": "NOT_ALLOWED",
    });
    expect(reasons({ kind: "FREE_SHIPPING", value: "", skus: ["A"] })).toEqual({ "promotion.skus": "NOT_ALLOWED" });
  });

  it("takes no value for free shipping", () => {
    expect(reasons({ kind: "FREE_SHIPPING", value: "5" })).toEqual({ "promotion.value": "NOT_ALLOWED" });
  });

  it("ends after it starts", () => {
    const startTime = new Date("2026-07-01T00:00:00Z");
    expect(reasons({ startTime, endTime: startTime })).toEqual({ "promotion.end_time": "END_BEFORE_START" });
    expect(reasons({ startTime, endTime: new Date("2026-06-30T00:00:00Z") })).toEqual({
      "promotion.end_time": "END_BEFORE_START",
    });
  });

  it("reports every violation at once, under the field given", () => {
    const violations = promotionViolations(
      { ...base, displayName: "", kind: "ORDER_FIXED_AMOUNT", value: "0", codes: [] },
      "changes",
    );
    expect(violations.map((v) => [v.field, v.reason])).toEqual([
      ["changes.display_name", "REQUIRED"],
      ["changes.value", "AMOUNT_NOT_POSITIVE"],
      ["changes.currency", "REQUIRED"],
      ["changes.codes", "REQUIRED"],
    ]);
    for (const violation of violations) expect(violation.description).not.toBe("");
  });
});

describe("draftOf and updatedDraft", () => {
  const message = create(PromotionSchema, {
    displayName: "Injectors",
    kind: PromotionKind.ITEM_FIXED_AMOUNT,
    value: "5",
    currency: "USD",
    skus: ["INJ-1"],
    codes: ["INJ"],
    startTime: timestampFromDate(new Date("2026-07-01T00:00:00.123Z")),
    usageLimit: 3,
  });

  it("reads a request's promotion, active unless it says otherwise", () => {
    expect(draftOf(message)).toEqual({
      ...base,
      displayName: "Injectors",
      kind: "ITEM_FIXED_AMOUNT",
      value: "5",
      currency: "USD",
      skus: ["INJ-1"],
      codes: ["INJ"],
      startTime: new Date("2026-07-01T00:00:00.123Z"),
      usageLimit: 3,
    });
    expect(draftOf(create(PromotionSchema, { active: false })).active).toBe(false);
    expect(draftOf(create(PromotionSchema, {})).kind).toBeUndefined();
  });

  it("sets exactly the named fields, clearing those left empty; active named but absent is false", () => {
    expect(updatedDraft(base, message, [])).toEqual(base);
    expect(updatedDraft(base, message, ["display_name", "usage_limit"])).toEqual({
      ...base,
      displayName: "Injectors",
      usageLimit: 3,
    });
    expect(updatedDraft({ ...base, usageLimit: 5 }, create(PromotionSchema, {}), ["usage_limit", "active"])).toEqual({
      ...base,
      usageLimit: undefined,
      active: false,
    });
    expect(updatedDraft(base, message, UPDATABLE_PATHS)).toEqual({ ...draftOf(message), active: false });
  });
});

describe("kinds", () => {
  it("are the pricing engine's names, both ways, and UNSPECIFIED is none", () => {
    for (const kind of [
      "ORDER_PERCENTAGE",
      "ORDER_FIXED_AMOUNT",
      "ITEM_PERCENTAGE",
      "ITEM_FIXED_AMOUNT",
      "FREE_SHIPPING",
    ] as const) {
      expect(kindOf(kindToMessage(kind))).toBe(kind);
      expect(PromotionKind[kindToMessage(kind)]).toBe(kind);
    }
    expect(kindOf(PromotionKind.UNSPECIFIED)).toBeUndefined();
  });
});

describe("timestampNanosViolations", () => {
  it("refuses nanos no encoding can carry in every time of the promotion, ignored ones too", () => {
    const promotion = create(PromotionSchema, {
      startTime: { seconds: 1n, nanos: -1 },
      endTime: { seconds: 1n, nanos: 999_999_999 },
      updateTime: { seconds: 1n, nanos: 1_000_000_000 },
    });
    expect(timestampNanosViolations(promotion).map((v) => [v.field, v.reason])).toEqual([
      ["promotion.start_time", "INVALID_TIMESTAMP"],
      ["promotion.update_time", "INVALID_TIMESTAMP"],
    ]);
    expect(timestampNanosViolations(create(PromotionSchema, {}))).toEqual([]);
  });
});
