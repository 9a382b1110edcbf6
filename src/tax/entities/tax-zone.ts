import { defineEntity, p } from "@mikro-orm/core";
import { timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";
import type { TaxRateRecord } from "../rules/tax-zone-rules.js";

/**
 * `tax_zones`: where a set of tax rates applies (a country, optionally a region and postal code prefixes).
 * `region` is '' for the whole country, so that the unique constraint (tenant, country, region, prefixes) also
 * tells two country-wide zones apart; the prefixes are stored upper case, without spaces, sorted and each
 * once, so an identical set is an identical array. The rates are one jsonb list of decimal strings (never
 * JS numbers, which a check constraint refuses): they change with the zone, under its etag, and are read
 * with it. `version` is the optimistic lock the etag is derived from.
 */
export const TaxZoneSchema = defineEntity({
  name: "TaxZone",
  tableName: "tax_zones",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    displayName: p.text(),
    /** ISO 3166-1 alpha-2, upper case. */
    country: p.text(),
    /** ISO 3166-2 subdivision code without the country ("NY"); '' = every region. */
    region: p.text(),
    postalCodePrefixes: p.array(),
    rates: p.json<TaxRateRecord[]>(),
    version: p.integer().version(),
    ...timestamps,
  },
  uniques: [
    {
      // TAX_ZONE_EXISTS: one zone per place; also the range loadTaxConfiguration reads a tenant's zones by.
      name: "tax_zones_place_unique",
      properties: ["tenant", "country", "region", "postalCodePrefixes"],
    },
  ],
  indexes: [{ name: "tax_zones_tenant_id_created_at_id_index", properties: ["tenant", "createdAt", "id"] }],
  checks: [
    {
      // Rates in jsonb only as strings, as shipping_methods' amounts: the database refuses a JSON number in them.
      name: "tax_zones_rates_without_numbers",
      expression: `jsonb_typeof(rates) = 'array' and not jsonb_path_exists(rates, 'strict $.**?(@.type() == "number")')`,
    },
  ],
});

export class TaxZone extends TaxZoneSchema.class {}

TaxZoneSchema.setClass(TaxZone);
