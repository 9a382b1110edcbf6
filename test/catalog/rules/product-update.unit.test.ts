import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ProductSchema, ProductStatus } from "../../../gen/orders/v1/product_pb.js";
import type { ProductDraft } from "../../../src/catalog/rules/product-draft.js";
import { updatedDraft } from "../../../src/catalog/rules/product-update.js";

const A = "0b6c1c1e-0000-4000-8000-00000000000a";
const B = "0b6c1c1e-0000-4000-8000-00000000000b";

const current: ProductDraft = {
  title: "Shirt",
  description: "Cotton",
  status: "active",
  metadata: { season: "summer" },
  variants: [A, B].map((id, i) => ({
    id,
    sku: `S-${i}`,
    alternateSkus: [],
    name: `V${i}`,
    prices: { USD: "10.0000" },
    taxCategory: "standard",
    weightGrams: null,
    metadata: {},
  })),
};

const changes = (init: Parameters<typeof create<typeof ProductSchema>>[1]) => create(ProductSchema, init);

describe("updatedDraft", () => {
  it("sets only the named fields, clearing a named field left empty", () => {
    const result = updatedDraft(current, changes({ title: "Tee", description: "", metadata: {} }), ["description"]);
    expect(result).toEqual({ ok: true, draft: { ...current, description: null } });
    const titled = updatedDraft(current, changes({ title: "Tee", metadata: { a: "1" } }), ["title", "metadata"]);
    expect(titled).toEqual({ ok: true, draft: { ...current, title: "Tee", metadata: { a: "1" } } });
  });

  it("replaces the variants, keeping the ids of the product's own (in any case) and adding those without", () => {
    const result = updatedDraft(current, changes({ variants: [{ id: B.toUpperCase(), sku: "S-1" }, { sku: "NEW" }] }), [
      "variants",
    ]);
    expect(result.ok && result.draft.variants.map((v) => [v.id, v.sku, v.taxCategory])).toEqual([
      [B, "S-1", "standard"],
      [undefined, "NEW", "standard"],
    ]);
  });

  it("reports every bad value at once", () => {
    const result = updatedDraft(
      current,
      changes({
        title: "",
        status: ProductStatus.ARCHIVED,
        variants: [
          { id: "0b6c1c1e-0000-4000-8000-0000000000ff", sku: "X" },
          { id: A, sku: "Y" },
          { id: A, sku: "Z" },
        ],
      }),
      ["title", "status", "variants"],
    );
    expect(result).toMatchObject({
      ok: false,
      violations: [
        { field: "product.title", reason: "REQUIRED" },
        { field: "product.status", reason: "USE_ARCHIVE_PRODUCT" },
        { field: "product.variants[0].id", reason: "VARIANT_NOT_FOUND" },
        { field: "product.variants[2].id", reason: "DUPLICATE_VARIANT_ID" },
      ],
    });
  });

  it("sets status ACTIVE, lets an archived product stay archived, and needs a status when it is named", () => {
    const archived: ProductDraft = { ...current, status: "archived" };
    expect(updatedDraft(archived, changes({ status: ProductStatus.ACTIVE }), ["status"])).toMatchObject({
      ok: true,
      draft: { status: "active" },
    });
    expect(updatedDraft(archived, changes({ status: ProductStatus.ARCHIVED }), ["status"])).toMatchObject({
      ok: true,
      draft: { status: "archived" },
    });
    expect(updatedDraft(current, changes({}), ["status"])).toMatchObject({
      ok: false,
      violations: [{ field: "product.status", reason: "REQUIRED" }],
    });
  });
});
