import { defineEntity, p } from "@mikro-orm/core";
import type { AddressRecord } from "../../addresses/address.js";
import { createdAt, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";
import { Customer } from "./customer.js";

/**
 * `customer_addresses`: a customer's address book, at most 100 addresses (rules/address-book.ts), read
 * oldest first. The partial unique indexes keep at most one default billing and one default shipping
 * address per customer even if a bug slipped past the rules; changes of a book lock the customer's row,
 * so concurrent changes of one book queue instead of colliding on them. `version` is the address's
 * etag, bumped by every change of it, gaining or losing a default role included.
 */
export const CustomerAddressSchema = defineEntity({
  name: "CustomerAddress",
  tableName: "customer_addresses",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    customer: () => p.manyToOne(Customer),
    address: p.json<AddressRecord>(),
    defaultBilling: p.boolean().default(false),
    defaultShipping: p.boolean().default(false),
    version: p.integer().version(),
    ...createdAt,
    // Set by each change to the time of that change, as orders and companies do.
    updatedAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
  },
  indexes: [
    { name: "customer_addresses_customer_id_created_at_id_index", properties: ["customer", "createdAt", "id"] },
  ],
  uniques: [
    {
      name: "customer_addresses_customer_id_default_billing_unique",
      expression:
        "create unique index customer_addresses_customer_id_default_billing_unique on customer_addresses (customer_id) where default_billing",
    },
    {
      name: "customer_addresses_customer_id_default_shipping_unique",
      expression:
        "create unique index customer_addresses_customer_id_default_shipping_unique on customer_addresses (customer_id) where default_shipping",
    },
  ],
});

export class CustomerAddress extends CustomerAddressSchema.class {}

CustomerAddressSchema.setClass(CustomerAddress);
