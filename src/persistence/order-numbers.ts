import type { EntityManager } from "@mikro-orm/postgresql";

/** The first number a tenant gets; later ones count up from it. */
export const FIRST_ORDER_NUMBER = 1001;

// One statement: creates the tenant's counter on first use, otherwise increments it, and returns
// the new value. The row lock it takes lasts only as long as this statement.
const ALLOCATE_SQL = `insert into order_number_counters (tenant_id, last_value) values (?, ${FIRST_ORDER_NUMBER})
  on conflict (tenant_id) do update set last_value = order_number_counters.last_value + 1
  returning last_value`;

/**
 * Hands out the next order number of a tenant ("1001", "1002", ...). Numbers are unique and
 * increasing per tenant; a number taken by an order that then fails is not reused (gaps are fine).
 *
 * It runs in autocommit, never inside the caller's transaction: if it joined the order transaction,
 * the counter row would stay locked until that transaction ended, and every concurrent order of
 * the tenant would queue behind it.
 *
 * How it stays outside: `em.execute()` would join `em`'s open transaction (it reads
 * `em.getTransactionContext()`), so this calls the connection directly instead.
 * `Connection.execute(sql, params, method, ctx)` uses a transaction only when one is passed as `ctx`;
 * with none it borrows a connection from the pool, and PostgreSQL autocommits the statement.
 * Consequently the pool must have a connection to spare while a caller holds one for a transaction
 * (allocate before opening the order transaction to avoid that altogether).
 */
export async function allocateOrderNumber(em: EntityManager, tenantId: string): Promise<string> {
  const row = await em
    .getConnection("write")
    .execute<{ last_value: string | number | bigint }>(ALLOCATE_SQL, [tenantId], "get");
  return String(row.last_value);
}
