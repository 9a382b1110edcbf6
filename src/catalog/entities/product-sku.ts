import { defineEntity, p } from "@mikro-orm/core";
import { ProductVariant } from "./product-variant.js";

/**
 * `product_skus`: every SKU of the tenant's catalog, primary (`position` 0) and alternate (1 to 20, in
 * the order given), with the variant it names. The primary key (tenant_id, sku_key) is what makes a SKU
 * unique in the tenant, in the database itself: of two transactions claiming one SKU, the second
 * waits for the first and finds it taken. `sku_key` is the SKU compared without regard to case
 * (rules/sku.ts: NFC, lower case), computed by the service rather than by PostgreSQL's lower(), whose
 * result depends on the database's locale; lookups by SKU use the same function.
 */
export const ProductSkuSchema = defineEntity({
  name: "ProductSku",
  tableName: "product_skus",
  primaryKeys: ["tenantId", "skuKey"],
  properties: {
    tenantId: p.uuid().primary(),
    skuKey: p.text().primary(),
    sku: p.text(),
    variant: () => p.manyToOne(ProductVariant).deleteRule("cascade").index(false),
    position: p.smallint(),
  },
  indexes: [{ name: "product_skus_variant_id_position_index", properties: ["variant", "position"] }],
});

export class ProductSku extends ProductSkuSchema.class {}

ProductSkuSchema.setClass(ProductSku);
