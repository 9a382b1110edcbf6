import { defineEntity, p } from "@mikro-orm/core";
import type { ShippingRate } from "../../domain/pricing/checkout.js";
import { timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";

/**
 * `shipping_methods`: a carrier's service a tenant offers at checkout. `countries` (text[], alphabetical; empty
 * ships everywhere) and `rates` (jsonb, 1 to 20, one per currency) are read and written with the method, under its
 * etag. Each rate is stored in the checkout engine's own shape (domain/pricing ShippingRate) with every amount a
 * decimal STRING with exactly its currency's minor units (never a JSON number, which is a binary float to most
 * readers) and tier weights as whole grams in strings: what the pricing engine takes, without conversion.
 * `version` is the optimistic lock the etag is derived from.
 */
export const ShippingMethodSchema = defineEntity({
  name: "ShippingMethod",
  tableName: "shipping_methods",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    displayName: p.text(),
    carrier: p.text(),
    service: p.text(),
    countries: p.array(),
    rates: p.json<ShippingRate[]>(),
    active: p.boolean(),
    version: p.integer().version(),
    ...timestamps,
  },
  // ListShippingMethods pages oldest first per tenant; checkouts read a tenant's active methods by the same index.
  indexes: [{ name: "shipping_methods_tenant_id_created_at_id_index", properties: ["tenant", "createdAt", "id"] }],
  checks: [
    {
      // Money in jsonb only as strings: the database refuses a rate with a JSON number anywhere in it.
      name: "shipping_methods_rates_without_numbers",
      expression: `jsonb_typeof(rates) = 'array' and not jsonb_path_exists(rates, 'strict $.**?(@.type() == "number")')`,
    },
  ],
});

export class ShippingMethod extends ShippingMethodSchema.class {}

ShippingMethodSchema.setClass(ShippingMethod);
