import { defineEntity, p } from "@mikro-orm/core";
import { Company } from "../../companies/public.js";
import { timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";

/**
 * `customers`: the buyer of an order. E-mail is unique per tenant regardless of case, enforced by the
 * expression index `customers_tenant_id_lower_email_unique` on (tenant_id, lower(email)). A customer may
 * buy for one company of its tenant (`company_id`). Its addresses are its address book
 * (`customer_addresses`, CustomerAddress), whose default billing and shipping addresses are the ones the
 * contract's Customer shows. `version` is the customer's etag, bumped by every change of the customer
 * or its book.
 */
export const CustomerSchema = defineEntity({
  name: "Customer",
  tableName: "customers",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    email: p.text(),
    name: p.text(),
    // The company's name as free text (Customer.company); the business account is `company` below.
    companyName: p.text().fieldName("company").nullable(),
    phone: p.text().nullable(),
    ...timestamps,
    company: () => p.manyToOne(Company).nullable(),
    version: p.integer().version(),
  },
  uniques: [
    {
      name: "customers_tenant_id_lower_email_unique",
      expression: "create unique index customers_tenant_id_lower_email_unique on customers (tenant_id, lower(email))",
    },
  ],
  indexes: [
    {
      // ListCustomers: newest first per tenant, `id` breaks ties (raw expressions, as orders' listing indexes).
      name: "customers_tenant_id_created_at_id_index",
      expression:
        "create index customers_tenant_id_created_at_id_index on customers (tenant_id, created_at desc, id desc)",
    },
    {
      // ListCustomers of one company, the same order.
      name: "customers_tenant_id_company_id_created_at_id_index",
      expression:
        "create index customers_tenant_id_company_id_created_at_id_index on customers (tenant_id, company_id, created_at desc, id desc)",
    },
  ],
});

export class Customer extends CustomerSchema.class {}

CustomerSchema.setClass(Customer);
