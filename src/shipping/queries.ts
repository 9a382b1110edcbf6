import type { EntityManager } from "@mikro-orm/postgresql";
import type { ShippingMethod as CheckoutShippingMethod } from "../domain/pricing/checkout.js";
import { Parameters, query, type Queryable } from "../platform/database/query.js";
import { CURSOR_TIME_SQL } from "../platform/pagination/page-request.js";
import type { PageCursor } from "../platform/pagination/page-token.js";
import { checkoutShippingMethod, type ShippingMethodView } from "./shipping-mapper.js";

// Every SQL statement of shipping. The listing reads plain rows (no unit of work to fill for a read); the reads
// for orders (public.ts) return the checkout engine's ShippingMethod, whose rates are stored in its shape.

const COLUMNS = `id, display_name as "displayName", carrier, service, countries, rates, active`;

type CheckoutRow = Omit<ShippingMethodView, "createdAt" | "updatedAt" | "version">;

/**
 * One page of a tenant's shipping methods, oldest first, after `after`, only those whose `active` is the given
 * one when it is given: a range scan of shipping_methods_tenant_id_created_at_id_index. `limit` rows at most;
 * `cursorTime` is each row's created_at to the microsecond, for the next page token.
 */
export async function selectShippingMethodPage(
  em: EntityManager,
  tenantId: string,
  active: boolean | undefined,
  after: PageCursor | undefined,
  limit: number,
): Promise<(ShippingMethodView & { cursorTime: string })[]> {
  const params = new Parameters();
  const where = [`tenant_id = ${params.bind(tenantId)}`];
  if (active !== undefined) where.push(`active = ${params.bind(active)}`);
  if (after) {
    where.push(`(created_at, id) > (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`);
  }
  const { rows } = await query<
    CheckoutRow & { version: number; createdAt: string; updatedAt: string; cursorTime: string }
  >(
    em,
    `select ${COLUMNS}, version, created_at as "createdAt", updated_at as "updatedAt", ${CURSOR_TIME_SQL} as "cursorTime"
       from shipping_methods where ${where.join(" and ")} order by created_at, id limit ${Math.trunc(limit)}`,
    params.values,
  );
  // timestamptz arrives as text through MikroORM's connection; parsed as the ORM parses it.
  const date = (text: string) => em.getPlatform().parseDate(text);
  return rows.map((row) => ({ ...row, createdAt: date(row.createdAt), updatedAt: date(row.updatedAt) }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Shipping method `id` of the tenant, active or not, as the checkout engine prices it; undefined when the tenant
 * has none with that id (other tenants' methods look the same), also for an id that is not a UUID.
 */
export async function findShippingMethod(
  db: Queryable,
  tenantId: string,
  id: string,
): Promise<CheckoutShippingMethod | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await query<CheckoutRow>(
    db,
    `select ${COLUMNS} from shipping_methods where id = $1 and tenant_id = $2`,
    [id, tenantId],
  );
  const row = rows[0];
  return row && checkoutShippingMethod(row);
}

/**
 * findShippingMethod as an expression of a caller's statement (CreateOrder's one lookup statement): the method as
 * json, null when the tenant has none with id `id`; shippingMethodFromJson reads it. `tenant` and `id` are SQL of
 * uuids: a column, or a parameter bound to shippingMethodIdValue's value.
 */
export function shippingMethodSql(tenant: string, id: string): string {
  return `(select row_to_json(m) from (select ${COLUMNS} from shipping_methods
      where id = ${id} and tenant_id = ${tenant}) m)`;
}

/** The value to bind for shippingMethodSql's `id`: null for an id that is not a UUID (it names nothing). */
export function shippingMethodIdValue(id: string): string | null {
  return UUID.test(id) ? id : null;
}

/** The method shippingMethodSql selected, as the checkout engine prices it (undefined for null: no such method). */
export function shippingMethodFromJson(json: unknown): CheckoutShippingMethod | undefined {
  return json === null || json === undefined ? undefined : checkoutShippingMethod(json as CheckoutRow);
}

/** Every active shipping method of the tenant, oldest first, as the checkout engine prices them. */
export async function listActiveShippingMethods(db: Queryable, tenantId: string): Promise<CheckoutShippingMethod[]> {
  const { rows } = await query<CheckoutRow>(
    db,
    `select ${COLUMNS} from shipping_methods where tenant_id = $1 and active order by created_at, id`,
    [tenantId],
  );
  return rows.map(checkoutShippingMethod);
}
