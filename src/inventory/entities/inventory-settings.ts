import { defineEntity, p } from "@mikro-orm/core";
import { Tenant } from "../../platform/auth/entities/tenant.js";
import { SHORTAGE_POLICIES } from "../rules/allocation.js";

/**
 * `inventory_settings`: the tenant's inventory settings, one row per tenant (the AIP-156 singleton), written by the
 * first UpdateInventorySettings; a tenant without a row has the column defaults, which are the documented ones.
 */
export const InventorySettingsSchema = defineEntity({
  name: "InventorySettings",
  tableName: "inventory_settings",
  properties: {
    tenant: () => p.manyToOne(Tenant).primary(),
    // enum on PostgreSQL = text column + `check (shortage_policy in (...))`
    shortagePolicy: p.enum(SHORTAGE_POLICIES).default("refuse"),
    updatedAt: p.datetime().nullable(),
  },
});

export class InventorySettings extends InventorySettingsSchema.class {}

InventorySettingsSchema.setClass(InventorySettings);
