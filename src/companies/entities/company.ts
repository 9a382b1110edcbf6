import { defineEntity, p } from "@mikro-orm/core";
import type { AddressRecord } from "../../addresses/address.js";
import { createdAt, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";
import type { CompanyAddressRecord } from "../rules/company-addresses.js";

/**
 * `companies`: a business account of a tenant, the organisation its customers buy for. The shipping
 * addresses are one jsonb list (0 to 50, in the client's order, each with its id; exactly one is the
 * default when there are any): they change with the company, under its etag, and are read with it.
 * `version` is an optimistic lock the ORM bumps on every update; the company's etag is derived from it.
 */
export const CompanySchema = defineEntity({
  name: "Company",
  tableName: "companies",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    name: p.text(),
    taxId: p.text().nullable(),
    billingAddress: p.json<AddressRecord>().nullable(),
    shippingAddresses: p
      .json<CompanyAddressRecord[]>()
      .defaultRaw("'[]'")
      .onCreate(() => []),
    metadata: p
      .json<Record<string, string>>()
      .defaultRaw("'{}'")
      .onCreate(() => ({})),
    version: p.integer().version(),
    ...createdAt,
    // Set by each change to the time of that change (update-company.ts), as orders do.
    updatedAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
  },
  indexes: [
    {
      // ListCompanies: newest first per tenant, `id` breaks ties (a raw expression, as orders' listing index).
      name: "companies_tenant_id_created_at_id_index",
      expression:
        "create index companies_tenant_id_created_at_id_index on companies (tenant_id, created_at desc, id desc)",
    },
  ],
});

export class Company extends CompanySchema.class {}

CompanySchema.setClass(Company);
