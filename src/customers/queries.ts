import type { EntityManager } from "@mikro-orm/postgresql";
import type { AddressRecord } from "../addresses/address.js";
import { companyForOrderSql, companyShippingAddressesSql, type CompanyForOrder } from "../companies/public.js";
import { CURSOR_TIME_SQL } from "../platform/pagination/page-request.js";
import type { PageCursor } from "../platform/pagination/page-token.js";
import { Parameters, query, type Queryable } from "../platform/database/query.js";
import type { BookDefaults, CustomerView } from "./customer-mapper.js";

// Every SQL statement of customers (the unit of work writes the rest).

/** What a new order needs of its customer (customers' read model for orders, see public.ts). */
export interface CustomerDefaultsRow {
  email: string;
  defaultShippingAddress: AddressRecord | null;
  defaultBillingAddress: AddressRecord | null;
}

/** The address of customer `customer`'s book that has a default role (`column`: default_billing or default_shipping). */
function bookDefaultSql(customer: string, column: "default_billing" | "default_shipping"): string {
  return `(select address from customer_addresses where customer_id = ${customer} and ${column})`;
}

/**
 * The read model's statement: the customer's e-mail and default addresses (from its address book), if the customer
 * exists in the tenant ($1 customer id, $2 tenant id), in the fields of CustomerDefaultsRow. Orders may run it
 * as a CTE of their own statement (one round trip for CreateOrder) without naming customers' tables or columns.
 * Each default is one probe of a partial unique index (customer_addresses_customer_id_default_*_unique).
 */
export const CUSTOMER_DEFAULTS_SQL = `select email, ${bookDefaultSql("customers.id", "default_shipping")} as "defaultShippingAddress",
  ${bookDefaultSql("customers.id", "default_billing")} as "defaultBillingAddress"
  from customers where id = $1 and tenant_id = $2`;

/** The customer's defaults, or undefined when the tenant has no such customer. */
export async function findCustomerDefaults(
  db: Queryable,
  tenantId: string,
  customerId: string,
): Promise<CustomerDefaultsRow | undefined> {
  const { rows } = await query<CustomerDefaultsRow & Record<string, unknown>>(db, CUSTOMER_DEFAULTS_SQL, [
    customerId,
    tenantId,
  ]);
  return rows[0];
}

/** A json `{"id", "address"}` of the address of customer `customer` with a default role, or null. */
function bookDefaultJsonSql(customer: string, column: "default_billing" | "default_shipping"): string {
  return `(select json_build_object('id', id, 'address', address) from customer_addresses where customer_id = ${customer} and ${column})`;
}

/**
 * One page of a tenant's customers with their book's defaults, newest first, after `after`, only those of
 * company `companyId` when given: a range scan of customers_tenant_id[_company_id]_created_at_id_index.
 */
export async function selectCustomerPage(
  em: EntityManager,
  tenantId: string,
  companyId: string | undefined,
  after: PageCursor | undefined,
  limit: number,
): Promise<(CustomerView & BookDefaults & { cursorTime: string })[]> {
  const params = new Parameters();
  const where = [`tenant_id = ${params.bind(tenantId)}`];
  if (companyId !== undefined) where.push(`company_id = ${params.bind(companyId)}`);
  if (after) {
    where.push(`(created_at, id) < (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`);
  }
  type Row = Omit<CustomerView, "createdAt" | "updatedAt"> & BookDefaults;
  const { rows } = await query<Row & { createdAt: string; updatedAt: string; cursorTime: string }>(
    em,
    `select id, email, name, company as "companyName", phone, company_id as "companyId", version,
            created_at as "createdAt", updated_at as "updatedAt", ${CURSOR_TIME_SQL} as "cursorTime",
            ${bookDefaultJsonSql("customers.id", "default_billing")} as billing,
            ${bookDefaultJsonSql("customers.id", "default_shipping")} as shipping
       from customers where ${where.join(" and ")} order by created_at desc, id desc limit ${Math.trunc(limit)}`,
    params.values,
  );
  // timestamptz arrives as text through MikroORM's connection; parsed as the ORM parses it.
  const date = (text: string) => em.getPlatform().parseDate(text);
  return rows.map((row) => ({ ...row, createdAt: date(row.createdAt), updatedAt: date(row.updatedAt) }));
}

/** What CreateOrder may ask of the customers and companies capabilities at once (all ids UUIDs, all optional). */
export interface OrderPartiesQuery {
  tenantId: string;
  customerId?: string;
  companyId?: string;
  billingAddressId?: string;
  shippingAddressId?: string;
}

/** What a new order needs of its customer. */
export interface OrderCustomer {
  id: string;
  email: string;
  /** The company the customer buys for, or null. */
  companyId: string | null;
  defaultBillingAddress: AddressRecord | null;
  defaultShippingAddress: AddressRecord | null;
}

/** An address asked for by id: the customer's or the company's, or not theirs (unknown, or anyone else's). */
export type AddressById =
  { id: string; found: true; owner: "customer" | "company"; address: AddressRecord } | { id: string; found: false };

/** The answer to an OrderPartiesQuery. Each field is absent when its id was not asked for. */
export interface OrderParties {
  /** Null when the tenant has no such customer (other tenants' customers look the same). */
  customer?: OrderCustomer | null;
  /** Null when the tenant has no such company. */
  company?: CompanyForOrder | null;
  billingAddress?: AddressById;
  shippingAddress?: AddressById;
}

/**
 * The address with id `address` as json `{"owner", "address"}` if it is in customer $1's book or one of
 * company $2's shipping addresses (both of tenant $3), else null.
 */
function addressByIdSql(address: string): string {
  return `coalesce(
    (select json_build_object('owner', 'customer', 'address', address) from customer_addresses
      where id = ${address}::uuid and customer_id = $1::uuid and tenant_id = $3::uuid),
    (select json_build_object('owner', 'company', 'address', address) from ${companyShippingAddressesSql("$2", "$3")} as shipping
      where id = ${address}::uuid))`;
}

/** The one statement of findOrderParties: $1 customer, $2 company, $3 tenant, $4 billing and $5 shipping address ids. */
export const ORDER_PARTIES_SQL = `select
  (select json_build_object('id', id, 'email', email, 'companyId', company_id,
      'defaultBillingAddress', ${bookDefaultSql("customers.id", "default_billing")},
      'defaultShippingAddress', ${bookDefaultSql("customers.id", "default_shipping")})
    from customers where id = $1::uuid and tenant_id = $3::uuid) as customer,
  ${companyForOrderSql("$2", "$3")} as company,
  ${addressByIdSql("$4")} as "billingAddress",
  ${addressByIdSql("$5")} as "shippingAddress"`;

/**
 * Everything CreateOrder needs of its customer and company, in ONE query: the customer (id, e-mail, company,
 * default addresses from its book), the company (billing and default shipping address), and the billing and
 * shipping addresses asked for by id when they belong to that customer or that company — else `found: false`
 * names the id that is not theirs. Everything is scoped to the tenant. Ids must be UUIDs (the contract's
 * rules check them before).
 */
export async function findOrderParties(db: Queryable, ask: OrderPartiesQuery): Promise<OrderParties> {
  const { rows } = await query<OrderPartiesRow>(db, ORDER_PARTIES_SQL, orderPartiesParameters(ask));
  // A select without FROM: always exactly one row.
  return orderPartiesFromRow(ask, rows[0]);
}

/** ORDER_PARTIES_SQL's row, for callers that run it as a CTE of their own statement (CreateOrder takes its number in it). */
export interface OrderPartiesRow {
  customer: OrderCustomer | null;
  company: CompanyForOrder | null;
  billingAddress: OwnedAddress | null;
  shippingAddress: OwnedAddress | null;
}

/** The values of ORDER_PARTIES_SQL's parameters $1 to $5 for a query. */
export function orderPartiesParameters(ask: OrderPartiesQuery): (string | null)[] {
  return [
    ask.customerId ?? null,
    ask.companyId ?? null,
    ask.tenantId,
    ask.billingAddressId ?? null,
    ask.shippingAddressId ?? null,
  ];
}

/** The answer to a query from ORDER_PARTIES_SQL's row. */
export function orderPartiesFromRow(ask: OrderPartiesQuery, row: OrderPartiesRow | undefined): OrderParties {
  const parties: OrderParties = {};
  if (ask.customerId !== undefined) parties.customer = row?.customer ?? null;
  if (ask.companyId !== undefined) parties.company = row?.company ?? null;
  if (ask.billingAddressId !== undefined) parties.billingAddress = byId(ask.billingAddressId, row?.billingAddress);
  if (ask.shippingAddressId !== undefined) parties.shippingAddress = byId(ask.shippingAddressId, row?.shippingAddress);
  return parties;
}

interface OwnedAddress {
  owner: "customer" | "company";
  address: AddressRecord;
}

function byId(id: string, owned: OwnedAddress | null | undefined): AddressById {
  return owned ? { id, found: true, owner: owned.owner, address: owned.address } : { id, found: false };
}
