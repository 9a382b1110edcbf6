import { defineEntity, p } from "@mikro-orm/core";
import { uuidPrimaryKey } from "../../platform/database/entity-properties.js";

/**
 * `inventory_items`: whether a variant's stock is tracked. A variant without a row is untracked; its first
 * recorded stock adds the row (tracked), SetInventoryTracking turns it on and off. `variant_id` has no
 * foreign key: variants are the catalog's table (checked through catalog/public.ts when the row is written).
 */
export const InventoryItemSchema = defineEntity({
  name: "InventoryItem",
  tableName: "inventory_items",
  properties: {
    ...uuidPrimaryKey,
    tenantId: p.uuid(),
    variantId: p.uuid(),
    tracked: p.boolean(),
    updatedAt: p.datetime(),
  },
  uniques: [{ name: "inventory_items_tenant_id_variant_id_unique", properties: ["tenantId", "variantId"] }],
});

export class InventoryItem extends InventoryItemSchema.class {}

InventoryItemSchema.setClass(InventoryItem);
