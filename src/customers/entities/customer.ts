import { defineEntity, p } from "@mikro-orm/core";
import type { AddressRecord } from "../../addresses/address.js";
import { timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";

/**
 * `customers`: the buyer of an order. E-mail is unique per tenant regardless of case, enforced by the
 * expression index `customers_tenant_id_lower_email_unique` on (tenant_id, lower(email)).
 */
export const CustomerSchema = defineEntity({
  name: "Customer",
  tableName: "customers",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    email: p.text(),
    name: p.text(),
    company: p.text().nullable(),
    phone: p.text().nullable(),
    defaultBillingAddress: p.json<AddressRecord>().nullable(),
    defaultShippingAddress: p.json<AddressRecord>().nullable(),
    ...timestamps,
  },
  uniques: [
    {
      name: "customers_tenant_id_lower_email_unique",
      expression: "create unique index customers_tenant_id_lower_email_unique on customers (tenant_id, lower(email))",
    },
  ],
});

export class Customer extends CustomerSchema.class {}

CustomerSchema.setClass(Customer);
