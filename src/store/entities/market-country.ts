import { defineEntity, p } from "@mikro-orm/core";
import { Tenant } from "../../platform/auth/entities/tenant.js";
import { Market } from "./market.js";

/**
 * `market_countries`: one row per country of a market. The primary key (tenant_id, country) is what
 * keeps a country in at most one market of a tenant, also when two changes race (see docs/store.md).
 */
export const MarketCountrySchema = defineEntity({
  name: "MarketCountry",
  tableName: "market_countries",
  primaryKeys: ["tenant", "country"],
  properties: {
    tenant: () => p.manyToOne(Tenant).primary(),
    /** ISO 3166-1 alpha-2, upper case. */
    country: p.text().primary(),
    market: () => p.manyToOne(Market).index("market_countries_market_id_index"),
  },
});

export class MarketCountry extends MarketCountrySchema.class {}

MarketCountrySchema.setClass(MarketCountry);
