import { defineEntity, p } from "@mikro-orm/core";
import { timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";

/**
 * `inventory_levels`: the units on hand of one variant at one stock location, one row per pair and tenant, and how
 * many of them orders reserved (`reserved`, never more than `on_hand`).
 * `on_hand` only changes with a row of `inventory_transactions` (the ledger) and never goes below 0 (the
 * check holds even against a writer that skipped the row lock). No foreign keys to variants or stock
 * locations: they are other capabilities' tables. `version` is the optimistic lock the etag is derived from.
 */
export const InventoryLevelSchema = defineEntity({
  name: "InventoryLevel",
  tableName: "inventory_levels",
  properties: {
    ...uuidPrimaryKey,
    tenantId: p.uuid(),
    variantId: p.uuid(),
    stockLocationId: p.uuid(),
    onHand: p.integer(),
    // Units orders hold (issue 14 §1): placing an order raises it, shipping, canceling lowers it.
    reserved: p.integer().default(0),
    version: p.integer().version(),
    ...timestamps,
  },
  checks: [
    { name: "inventory_levels_on_hand_check", expression: "on_hand >= 0" },
    // What orders reserved is on hand: no reservation can outlive its stock, so a shipment always finds it.
    { name: "inventory_levels_reserved_check", expression: "reserved >= 0 and reserved <= on_hand" },
  ],
  uniques: [
    {
      name: "inventory_levels_tenant_id_variant_id_stock_location_id_unique",
      properties: ["tenantId", "variantId", "stockLocationId"],
    },
  ],
  // ListInventoryLevels: oldest first per tenant, `id` breaks ties.
  indexes: [{ name: "inventory_levels_tenant_id_created_at_id_index", properties: ["tenantId", "createdAt", "id"] }],
});

export class InventoryLevel extends InventoryLevelSchema.class {}

InventoryLevelSchema.setClass(InventoryLevel);
