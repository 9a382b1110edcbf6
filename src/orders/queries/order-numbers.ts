import type { EntityManager } from "@mikro-orm/postgresql";
import { nativePool, query } from "../../platform/database/query.js";

/** The unique constraint of an order number in its tenant: a number taken meanwhile fails on it. */
export const ORDER_NUMBER_CONSTRAINT = "orders_tenant_id_order_number_unique";

/** The first number a tenant gets; later ones count up from it. */
export const FIRST_ORDER_NUMBER = 1001;

/**
 * One statement that creates the tenant's counter on first use, otherwise increments it, and
 * returns the new value as `last_value`; `tenant` is the SQL for the tenant id. The row lock it takes
 * lasts only as long as the statement.
 */
export function nextOrderNumberSql(tenant: string): string {
  return `insert into order_number_counters (tenant_id, last_value) select ${tenant}, ${FIRST_ORDER_NUMBER}
  on conflict (tenant_id) do update set last_value = order_number_counters.last_value + 1
  returning last_value`;
}

const ALLOCATE_SQL = nextOrderNumberSql("$1::uuid");

/**
 * Hands out the next order number of a tenant ("1001", "1002", ...). Numbers are unique and
 * increasing per tenant; a number taken by an order that then fails is not reused (gaps are fine).
 *
 * It runs in autocommit, never inside the caller's transaction: if it joined the order transaction,
 * the counter row would stay locked until that transaction ended, and every concurrent order of
 * the tenant would queue behind it. So it borrows a connection of its own from the pool (not `em`'s
 * transaction, which `em.execute()` would join); the pool must have a connection to spare while a
 * caller holds one for a transaction (allocate before opening the order transaction to avoid that).
 */
export async function allocateOrderNumber(em: EntityManager, tenantId: string): Promise<string> {
  const { rows } = await query<{ last_value: string }>(await nativePool(em), ALLOCATE_SQL, [tenantId]);
  return String(rows[0]?.last_value);
}
