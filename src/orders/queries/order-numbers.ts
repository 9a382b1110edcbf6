import type { EntityManager } from "@mikro-orm/postgresql";
import {
  ORDER_PARTIES_SQL,
  orderPartiesFromRow,
  orderPartiesParameters,
  type OrderParties,
  type OrderPartiesQuery,
  type OrderPartiesRow,
} from "../../customers/public.js";
import { nativePool, query } from "../../platform/database/query.js";

/** The unique constraint of an order number in its tenant: a number taken meanwhile fails on it. */
export const ORDER_NUMBER_CONSTRAINT = "orders_tenant_id_order_number_unique";

/** The first number a tenant gets; later ones count up from it. */
export const FIRST_ORDER_NUMBER = 1001;

/**
 * One statement that creates the tenant's counter on first use, otherwise increments it, and
 * returns the new value as `last_value`; `tenant` is the SQL for the tenant id, `condition` lets a
 * caller allocate only when something holds (partiesWithOrderNumber below). The row lock it takes
 * lasts only as long as the statement.
 */
export function nextOrderNumberSql(tenant: string, condition = "true"): string {
  return `insert into order_number_counters (tenant_id, last_value) select ${tenant}, ${FIRST_ORDER_NUMBER} where ${condition}
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

/**
 * ORDER_PARTIES_SQL ($1 customer, $2 company, $3 tenant, $4 and $5 address ids) and, when $6 is true and every
 * party asked for exists, the tenant's next order number.
 */
const PARTIES_AND_NUMBER_SQL = `with parties as (${ORDER_PARTIES_SQL}),
  allocated as (${nextOrderNumberSql(
    "$3::uuid",
    "$6::boolean and exists (select from parties where ($1::uuid is null or customer is not null) and ($2::uuid is null or company is not null))",
  )})
  select parties.*, (select last_value::text from allocated) as "orderNumber" from parties`;

/**
 * The order's customer, company and addresses by id (customers' read model, see customers/public.ts) and, with
 * `allocateNumber` and only if the customer and company asked for exist, the tenant's next order number, in one
 * statement: one round trip less for CreateOrder. It commits on its own, outside any order transaction, as
 * allocateOrderNumber does.
 */
export async function partiesWithOrderNumber(
  em: EntityManager,
  ask: OrderPartiesQuery,
  allocateNumber: boolean,
): Promise<{ parties: OrderParties; orderNumber: string | undefined }> {
  const { rows } = await query<OrderPartiesRow & { orderNumber: string | null }>(
    await nativePool(em),
    PARTIES_AND_NUMBER_SQL,
    [...orderPartiesParameters(ask), allocateNumber],
  );
  const row = rows[0];
  return { parties: orderPartiesFromRow(ask, row), orderNumber: row?.orderNumber ?? undefined };
}
