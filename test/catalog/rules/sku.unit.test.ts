import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  alternateSkuViolations,
  firstDuplicateSku,
  MAX_ALTERNATE_SKUS,
  skuClaims,
  skuKey,
} from "../../../src/catalog/rules/sku.js";

describe("skuKey", () => {
  it("compares SKUs without regard to case", () => {
    expect(skuKey("INJ-6.7-CR")).toBe(skuKey("inj-6.7-cr"));
    expect(skuKey("GRÖßE-XL")).toBe(skuKey("größe-xl"));
    expect(skuKey("ÉTÉ-01")).toBe("été-01");
  });

  it("treats a composed and a decomposed accent as one SKU", () => {
    expect(skuKey("CAF\u00c9")).toBe(skuKey("CAFE\u0301"));
  });

  it("keeps apart SKUs that differ in more than case", () => {
    expect(skuKey("A-1")).not.toBe(skuKey("A_1"));
    expect(skuKey("A 1")).not.toBe(skuKey("A1"));
  });

  it("is a key: applying it twice changes nothing", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (sku) => skuKey(skuKey(sku)) === skuKey(sku)));
  });

  it("ignores the case of every ASCII SKU", () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
    fc.assert(fc.property(ascii, (sku) => skuKey(sku.toUpperCase()) === skuKey(sku.toLowerCase())));
  });
});

describe("SKU claims", () => {
  const variants = [
    { sku: "A-1", alternateSkus: ["OLD-A-1", "SUP-77"] },
    { sku: "B-1", alternateSkus: [] },
  ];

  it("list primary then alternate SKUs of each variant, with their paths and positions", () => {
    expect(skuClaims(variants, "product.variants")).toEqual([
      { sku: "A-1", key: "a-1", field: "product.variants[0].sku", variant: 0, position: 0 },
      { sku: "OLD-A-1", key: "old-a-1", field: "product.variants[0].alternate_skus[0]", variant: 0, position: 1 },
      { sku: "SUP-77", key: "sup-77", field: "product.variants[0].alternate_skus[1]", variant: 0, position: 2 },
      { sku: "B-1", key: "b-1", field: "product.variants[1].sku", variant: 1, position: 0 },
    ]);
  });

  it("find the first SKU given twice, in any case, with where it was first given", () => {
    expect(firstDuplicateSku(skuClaims(variants, "v"))).toBeUndefined();
    const twice = [...variants, { sku: "sup-77", alternateSkus: ["a-1"] }];
    expect(firstDuplicateSku(skuClaims(twice, "v"))).toMatchObject({
      claim: { sku: "sup-77", field: "v[2].sku" },
      first: { sku: "SUP-77", field: "v[0].alternate_skus[1]" },
    });
    expect(firstDuplicateSku(skuClaims([{ sku: "X", alternateSkus: ["x"] }], "v"))).toMatchObject({
      claim: { field: "v[0].alternate_skus[0]" },
    });
  });

  it("find a duplicate exactly when two claims share a key", () => {
    const sku = fc.constantFrom("a", "A", "b", "B", "c", "é", "E\u0301", "e\u0301");
    const variant = fc.record({ sku, alternateSkus: fc.array(sku, { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(variant, { minLength: 1, maxLength: 4 }), (list) => {
        const claims = skuClaims(list, "v");
        const distinct = new Set(claims.map((claim) => claim.key)).size === claims.length;
        return (firstDuplicateSku(claims) === undefined) === distinct;
      }),
    );
  });

  it("allow at most 20 alternate SKUs", () => {
    const many = Array.from({ length: MAX_ALTERNATE_SKUS + 1 }, (_, i) => `ALT-${i}`);
    expect(alternateSkuViolations("v[0].alternate_skus", many.slice(1))).toEqual([]);
    expect(alternateSkuViolations("v[0].alternate_skus", many)).toMatchObject([
      { field: "v[0].alternate_skus", reason: "TOO_MANY_ALTERNATE_SKUS" },
    ]);
  });
});
