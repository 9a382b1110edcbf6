import { defineEntity, p } from "@mikro-orm/core";
import type { AddressRecord } from "../../addresses/address.js";
import { timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";

/**
 * `stock_locations`: places goods ship from. The address is a snapshot in the shape every address
 * column has (src/addresses). Never deleted: `active` false takes a location out of use.
 * `version` is the optimistic lock the etag is derived from.
 */
export const StockLocationSchema = defineEntity({
  name: "StockLocation",
  tableName: "stock_locations",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    name: p.text(),
    address: p.json<AddressRecord>(),
    active: p.boolean(),
    version: p.integer().version(),
    ...timestamps,
  },
  indexes: [{ name: "stock_locations_tenant_id_created_at_id_index", properties: ["tenant", "createdAt", "id"] }],
});

export class StockLocation extends StockLocationSchema.class {}

StockLocationSchema.setClass(StockLocation);
