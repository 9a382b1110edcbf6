import type { EntityManager } from "@mikro-orm/postgresql";
import type { AddressRecord } from "../addresses/address.js";
import { CURSOR_TIME_SQL } from "../platform/pagination/page-request.js";
import type { PageCursor } from "../platform/pagination/page-token.js";
import { Parameters, query, type Queryable } from "../platform/database/query.js";
import type { CompanyView } from "./company-mapper.js";

// Every SQL statement of companies. The listing reads plain rows (no unit of work to fill for a read);
// the lookups for orders are SQL that customers' one-statement lookup composes (see public.ts).

/**
 * One page of a tenant's companies, newest first, after `after`, only names starting with `namePrefix`
 * (any case) when given: a range scan of companies_tenant_id_created_at_id_index. `limit` rows at most;
 * `cursorTime` is each row's created_at to the microsecond, for the next page token.
 */
export async function selectCompanyPage(
  em: EntityManager,
  tenantId: string,
  namePrefix: string | undefined,
  after: PageCursor | undefined,
  limit: number,
): Promise<(CompanyView & { cursorTime: string })[]> {
  const params = new Parameters();
  const where = [`tenant_id = ${params.bind(tenantId)}`];
  if (namePrefix !== undefined) where.push(`starts_with(lower(name), lower(${params.bind(namePrefix)}))`);
  if (after) {
    where.push(`(created_at, id) < (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`);
  }
  const { rows } = await query<Omit<CompanyView, "createdAt" | "updatedAt"> & RawTimes & { cursorTime: string }>(
    em,
    `select id, name, tax_id as "taxId", billing_address as "billingAddress", shipping_addresses as "shippingAddresses",
            metadata, version, created_at as "createdAt", updated_at as "updatedAt", ${CURSOR_TIME_SQL} as "cursorTime"
       from companies where ${where.join(" and ")} order by created_at desc, id desc limit ${Math.trunc(limit)}`,
    params.values,
  );
  // timestamptz arrives as text through MikroORM's connection; parsed as the ORM parses it.
  const date = (text: string) => em.getPlatform().parseDate(text);
  return rows.map((row) => ({ ...row, createdAt: date(row.createdAt), updatedAt: date(row.updatedAt) }));
}

interface RawTimes {
  createdAt: string;
  updatedAt: string;
}

/**
 * The relation of company `company`'s shipping addresses, if it is a company of tenant `tenant` (both
 * SQL expressions, typically bound parameters): columns `id` (uuid), `address` (jsonb AddressRecord)
 * and `is_default`. For a statement of the caller's: customers' lookup for a new order (public.ts).
 */
export function companyShippingAddressesSql(company: string, tenant: string): string {
  return `(select (entry->>'id')::uuid as id, entry->'address' as address, (entry->>'default')::boolean as is_default
    from companies cross join jsonb_array_elements(companies.shipping_addresses) as entry
    where companies.id = ${company}::uuid and companies.tenant_id = ${tenant}::uuid)`;
}

/**
 * A json value describing company `company` of tenant `tenant` for a new order — `{"id", "billingAddress",
 * "defaultShippingAddress"}` (CompanyForOrder) — or null when the tenant has no such company.
 */
export function companyForOrderSql(company: string, tenant: string): string {
  return `(select json_build_object('id', companies.id, 'billingAddress', companies.billing_address,
      'defaultShippingAddress', (select address from ${companyShippingAddressesSql(company, tenant)} as shipping where is_default))
    from companies where companies.id = ${company}::uuid and companies.tenant_id = ${tenant}::uuid)`;
}

/** What a new order needs of its company: the addresses it fills in when the order gives none. */
export interface CompanyForOrder {
  id: string;
  billingAddress: AddressRecord | null;
  defaultShippingAddress: AddressRecord | null;
}

/** Company `companyId` of the tenant for a new order, and which of `addressIds` are its shipping addresses. */
export interface CompanyLookup {
  /** Null when the tenant has no such company (other tenants' companies look the same). */
  company: CompanyForOrder | null;
  /** The ids asked for that name an address of the company, with the address; others are left out. */
  addresses: Map<string, AddressRecord>;
}

/**
 * Company `companyId` of the tenant for a new order and those of `addressIds` that are its shipping
 * addresses, in one query. Ids must be UUIDs (the contract validates them before).
 */
export async function findCompanyForOrder(
  db: Queryable,
  tenantId: string,
  companyId: string,
  addressIds: readonly string[],
): Promise<CompanyLookup> {
  const { rows } = await query<{
    company: CompanyForOrder | null;
    addresses: { id: string; address: AddressRecord }[] | null;
  }>(
    db,
    `select ${companyForOrderSql("$1", "$2")} as company,
            (select json_agg(json_build_object('id', id, 'address', address)) from ${companyShippingAddressesSql("$1", "$2")} as shipping
              where id = any($3::uuid[])) as addresses`,
    [companyId, tenantId, [...addressIds]],
  );
  const row = rows[0];
  return {
    company: row?.company ?? null,
    addresses: new Map((row?.addresses ?? []).map((entry) => [entry.id, entry.address])),
  };
}

/** Whether the tenant has company `companyId` (other tenants' companies look like missing ones). */
export async function hasCompany(db: Queryable, tenantId: string, companyId: string): Promise<boolean> {
  const { rows } = await query(db, "select 1 from companies where id = $1 and tenant_id = $2", [companyId, tenantId]);
  return rows.length > 0;
}
