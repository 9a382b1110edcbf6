import { Cascade, defineEntity, p } from "@mikro-orm/core";
import { timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";
import { MarketCountry } from "./market-country.js";

/**
 * `markets`: countries sold to in one currency and one default locale. The countries are rows of
 * `market_countries`, whose primary key keeps each country in one market of the tenant. `version`
 * is an optimistic lock the ORM bumps on every update; the market's etag is derived from it.
 */
export const MarketSchema = defineEntity({
  name: "Market",
  tableName: "markets",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    name: p.text(),
    currency: p.character().length(3),
    defaultLocale: p.text(),
    countries: () =>
      p
        .oneToMany(MarketCountry)
        .mappedBy("market")
        .orderBy({ country: "asc" })
        .cascade(Cascade.PERSIST)
        .orphanRemoval(),
    version: p.integer().version(),
    ...timestamps,
  },
  indexes: [
    {
      // Oldest-first listing per tenant; `id` breaks ties for keyset pages.
      name: "markets_tenant_id_created_at_id_index",
      properties: ["tenant", "createdAt", "id"],
    },
  ],
});

export class Market extends MarketSchema.class {}

MarketSchema.setClass(Market);
