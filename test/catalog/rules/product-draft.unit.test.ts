import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ProductSchema, ProductStatus } from "../../../gen/orders/v1/product_pb.js";
import {
  MAX_VARIANTS,
  newProductViolations,
  productDraft,
  variantsViolations,
} from "../../../src/catalog/rules/product-draft.js";

const product = (init: Parameters<typeof create<typeof ProductSchema>>[1]) => create(ProductSchema, init);

describe("a new product", () => {
  it("needs a title and 1 to 100 variants", () => {
    expect(newProductViolations(product({ title: "T", variants: [{ sku: "A" }] }), "product")).toEqual([]);
    expect(newProductViolations(product({ title: " ", variants: [] }), "product")).toMatchObject([
      { field: "product.title", reason: "REQUIRED" },
      { field: "product.variants", reason: "VARIANTS_COUNT" },
    ]);
    const variants = Array.from({ length: MAX_VARIANTS + 1 }, (_, i) => ({ sku: `S-${i}` }));
    expect(variantsViolations(product({ variants }).variants, "v")).toMatchObject([
      { field: "v", reason: "VARIANTS_COUNT" },
    ]);
    expect(variantsViolations(product({ variants: variants.slice(1) }).variants, "v")).toEqual([]);
  });

  it("has its variants' price and alternate SKU rules checked, at their paths", () => {
    const violations = newProductViolations(
      product({
        title: "T",
        variants: [
          { sku: "A", prices: { USD: "1.00" } },
          { sku: "B", prices: { JPY: "1.001" }, alternateSkus: Array.from({ length: 21 }, (_, i) => `B-${i}`) },
        ],
      }),
      "requests[2].product",
    );
    expect(violations).toMatchObject([
      { field: "requests[2].product.variants[1].alternate_skus", reason: "TOO_MANY_ALTERNATE_SKUS" },
      { field: 'requests[2].product.variants[1].prices["JPY"]', reason: "TOO_MANY_FRACTION_DIGITS" },
    ]);
  });

  it("is written with the defaults the contract documents", () => {
    expect(productDraft(product({ title: "T", variants: [{ sku: "A" }] }))).toEqual({
      title: "T",
      description: null,
      status: "active",
      metadata: {},
      variants: [
        {
          id: undefined,
          sku: "A",
          alternateSkus: [],
          name: "",
          prices: {},
          taxCategory: "standard",
          weightGrams: null,
          metadata: {},
        },
      ],
    });
    const archived = productDraft(
      product({
        title: "T",
        description: "D",
        status: ProductStatus.ARCHIVED,
        metadata: { a: "1" },
        variants: [
          { id: "ignored", sku: "A", alternateSkus: ["B"], prices: { USD: "1" }, taxCategory: "zero", weightGrams: 0 },
        ],
      }),
    );
    expect(archived).toMatchObject({ description: "D", status: "archived", metadata: { a: "1" } });
    expect(archived.variants[0]).toMatchObject({
      id: undefined,
      taxCategory: "zero",
      weightGrams: 0,
      alternateSkus: ["B"],
    });
  });
});
