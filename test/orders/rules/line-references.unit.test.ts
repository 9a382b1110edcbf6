import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { LineItemInputSchema } from "../../../gen/orders/v1/orders_service_pb.js";
import {
  lineReferences,
  resolveLines,
  type CatalogMatch,
  type CatalogVariant,
} from "../../../src/orders/rules/line-references.js";

const line = (fields: object) => create(LineItemInputSchema, fields);
const tee: CatalogVariant = {
  variantId: "11111111-1111-4111-8111-111111111111",
  productId: "22222222-2222-4222-8222-222222222222",
  productTitle: "Tee",
  variantName: "Large / Red",
  sku: "TEE-L-RED",
  prices: { USD: "19.90", EUR: "18.5" },
  taxCategory: "standard",
  weightGrams: 180,
};
const found: CatalogMatch = { kind: "variant", variant: tee };

describe("lineReferences", () => {
  it("takes exactly one of variant_id, product_id and sku per line", () => {
    expect(lineReferences([line({ variantId: "v" }), line({ productId: "p" }), line({ sku: "s" })])).toEqual({
      ok: true,
      references: [{ variantId: "v" }, { productId: "p" }, { sku: "s" }],
    });
  });

  it("names every line that gives none or several", () => {
    const result = lineReferences([line({ name: "x" }), line({ sku: "s", variantId: "v" }), line({ sku: "ok" })]);
    expect(result.ok ? [] : result.violations.map((v) => [v.field, v.reason])).toEqual([
      ["items[0]", "ITEM_REFERENCE_REQUIRED"],
      ["items[1]", "ITEM_REFERENCE_AMBIGUOUS"],
    ]);
  });
});

describe("resolveLines", () => {
  it("fills name, SKU, price, tax category and weight from the variant, and keeps what the client typed", () => {
    const result = resolveLines([line({ sku: "tee-l-red", quantity: 2 })], [found], "EUR");
    expect(result).toEqual({
      ok: true,
      lines: [
        {
          sku: "TEE-L-RED",
          requestedSku: "tee-l-red",
          name: "Tee - Large / Red",
          unitPrice: "18.5",
          productId: tee.productId,
          variantId: tee.variantId,
          taxCategory: "standard",
          weightGrams: 180,
        },
      ],
    });
  });

  it("lets an explicit name and unit price win (negotiated B2B prices)", () => {
    const result = resolveLines(
      [line({ variantId: tee.variantId, name: "Team tee", unitPrice: "12" })],
      [found],
      "JPY",
    );
    expect(result.ok && result.lines[0]).toMatchObject({ name: "Team tee", unitPrice: "12", requestedSku: null });
  });

  it("refuses a catalog line with no price in the order's currency and no unit price", () => {
    const result = resolveLines([line({ variantId: tee.variantId })], [found], "JPY");
    expect(result.ok ? [] : result.violations.map((v) => [v.field, v.reason])).toEqual([
      ["items[0].unit_price", "NO_PRICE_IN_CURRENCY"],
    ]);
  });

  it("makes a custom line of an unknown SKU, which needs a name", () => {
    const custom = resolveLines(
      [line({ sku: "FREIGHT", name: "Freight", unitPrice: "40" })],
      [{ kind: "no_match" }],
      "USD",
    );
    expect(custom.ok && custom.lines[0]).toMatchObject({
      sku: "FREIGHT",
      name: "Freight",
      variantId: null,
      taxCategory: null,
    });
    const nameless = resolveLines([line({ sku: "FREIGHT" })], [{ kind: "no_match" }], "USD");
    expect(nameless.ok ? [] : nameless.violations.map((v) => [v.field, v.reason])).toEqual([
      ["items[0].name", "NAME_REQUIRED"],
    ]);
  });

  it("puts the catalog's refusals on the field that named the item", () => {
    const result = resolveLines(
      [line({ variantId: "v" }), line({ productId: "p" }), line({ productId: "q" }), line({ variantId: "w" })],
      [
        { kind: "refused", reason: "VARIANT_NOT_FOUND" },
        { kind: "refused", reason: "PRODUCT_HAS_VARIANTS" },
        { kind: "refused", reason: "PRODUCT_NOT_FOUND" },
        { kind: "refused", reason: "PRODUCT_ARCHIVED" },
      ],
      "USD",
    );
    expect(result.ok ? [] : result.violations.map((v) => [v.field, v.reason])).toEqual([
      ["items[0].variant_id", "VARIANT_NOT_FOUND"],
      ["items[1].product_id", "PRODUCT_HAS_VARIANTS"],
      ["items[2].product_id", "PRODUCT_NOT_FOUND"],
      ["items[3].variant_id", "PRODUCT_ARCHIVED"],
    ]);
  });
});
