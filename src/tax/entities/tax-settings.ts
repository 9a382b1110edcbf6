import { defineEntity, p } from "@mikro-orm/core";
import { Tenant } from "../../platform/auth/entities/tenant.js";
import { TAX_ROUNDINGS, type MarketOverrideRecord } from "../rules/tax-settings-rules.js";

/**
 * `tax_settings`: the tenant's tax settings, one row per tenant (the AIP-156 singleton), written by the
 * first UpdateTaxSettings; a tenant without a row has the column defaults, which are the documented ones.
 * `version` is the optimistic lock the etag is derived from (1 for the defaults, row or no row);
 * `updated_at` is null until a change.
 */
export const TaxSettingsSchema = defineEntity({
  name: "TaxSettings",
  tableName: "tax_settings",
  properties: {
    tenant: () => p.manyToOne(Tenant).primary(),
    pricesIncludeTax: p.boolean().default(false),
    /** Markets (of StoreService) whose orders' prices include tax or not, against pricesIncludeTax. */
    marketOverrides: p
      .json<MarketOverrideRecord[]>()
      .defaultRaw("'[]'")
      .onCreate(() => []),
    taxShipping: p.boolean().default(false),
    shippingTaxCategory: p.text().default("standard"),
    // enum on PostgreSQL = text column + `check (rounding in (...))`
    rounding: p.enum(TAX_ROUNDINGS).default("LINE"),
    version: p.integer().version(),
    updatedAt: p.datetime().nullable(),
  },
});

export class TaxSettings extends TaxSettingsSchema.class {}

TaxSettingsSchema.setClass(TaxSettings);
