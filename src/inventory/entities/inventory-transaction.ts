import { defineEntity, p } from "@mikro-orm/core";
import { createdAt, uuidPrimaryKey } from "../../platform/database/entity-properties.js";

/**
 * What a ledger row did to on_hand: `set` to a counted quantity, `adjust` by a quantity, `fulfillment` units left
 * with an order's shipment, `return` units of an order's return put back.
 */
export const INVENTORY_TRANSACTION_KINDS = ["set", "adjust", "fulfillment", "return"] as const;
export type InventoryTransactionKindName = (typeof INVENTORY_TRANSACTION_KINDS)[number];

/**
 * `inventory_transactions`: the ledger of inventory levels, one row per change of a level's on_hand, never
 * updated or deleted. `quantity_change` is signed; `on_hand_after` is the level's on_hand right after the
 * row, so the changes of one level add up to its on_hand. Variant and location are repeated (no join to
 * read a variant's ledger), written at clock_timestamp() once the level's row lock was had, so the
 * ledger's order by time is the order the level changed in.
 */
export const InventoryTransactionSchema = defineEntity({
  name: "InventoryTransaction",
  tableName: "inventory_transactions",
  properties: {
    ...uuidPrimaryKey,
    tenantId: p.uuid(),
    levelId: p.uuid(),
    variantId: p.uuid(),
    stockLocationId: p.uuid(),
    kind: p.text(),
    quantityChange: p.integer(),
    onHandAfter: p.integer(),
    reason: p.text(),
    /** The order of a `fulfillment` or `return` row; null for the others. */
    orderId: p.uuid().nullable(),
    ...createdAt,
  },
  checks: [
    { name: "inventory_transactions_kind_check", expression: "kind in ('set', 'adjust', 'fulfillment', 'return')" },
    { name: "inventory_transactions_on_hand_after_check", expression: "on_hand_after >= 0" },
  ],
  // ListInventoryTransactions: a variant's ledger oldest first, `id` breaks ties.
  indexes: [
    {
      name: "inventory_transactions_tenant_id_variant_id_created_at_id_index",
      properties: ["tenantId", "variantId", "createdAt", "id"],
    },
  ],
});

export class InventoryTransaction extends InventoryTransactionSchema.class {}

InventoryTransactionSchema.setClass(InventoryTransaction);
