import { defineEntity, p } from "@mikro-orm/core";
import { timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";

/**
 * `sales_channels`: where orders come from as the store sees it. The partial unique index keeps at
 * most one primary channel per tenant; the use cases keep exactly one once any exists, serialised per
 * tenant (queries.ts, lockSalesChannels). `version` is the optimistic lock the etag is derived from.
 */
export const SalesChannelSchema = defineEntity({
  name: "SalesChannel",
  tableName: "sales_channels",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    name: p.text(),
    primary: p.boolean().fieldName("is_primary"),
    version: p.integer().version(),
    ...timestamps,
  },
  uniques: [
    {
      name: "sales_channels_one_primary_per_tenant",
      expression:
        "create unique index sales_channels_one_primary_per_tenant on sales_channels (tenant_id) where is_primary",
    },
  ],
  indexes: [{ name: "sales_channels_tenant_id_created_at_id_index", properties: ["tenant", "createdAt", "id"] }],
});

export class SalesChannel extends SalesChannelSchema.class {}

SalesChannelSchema.setClass(SalesChannel);
