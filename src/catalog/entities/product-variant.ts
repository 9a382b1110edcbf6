import { defineEntity, p } from "@mikro-orm/core";
import { uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import type { CatalogMetadata } from "./json-types.js";
import { Product } from "./product.js";

/**
 * `product_variants`: one purchasable form of a product, `position` its 0-based place among the
 * product's variants. Its SKUs are `product_skus` rows and its prices `variant_prices` rows; deleting
 * the product deletes its variants, and deleting a variant its SKUs and prices (`on delete cascade`).
 * `tenant_id` is repeated so a lookup by variant id checks the tenant without a join.
 */
export const ProductVariantSchema = defineEntity({
  name: "ProductVariant",
  tableName: "product_variants",
  properties: {
    ...uuidPrimaryKey,
    product: () => p.manyToOne(Product).deleteRule("cascade").index(false),
    tenantId: p.uuid(),
    position: p.integer(),
    name: p.text(),
    taxCategory: p.text(),
    weightGrams: p.integer().nullable(),
    metadata: p
      .json<CatalogMetadata>()
      .defaultRaw("'{}'")
      .onCreate(() => ({})),
  },
  // Not unique: an update renumbers the variants in one statement, and PostgreSQL checks a
  // non-deferred unique index row by row.
  indexes: [{ name: "product_variants_product_id_position_index", properties: ["product", "position"] }],
});

export class ProductVariant extends ProductVariantSchema.class {}

ProductVariantSchema.setClass(ProductVariant);
