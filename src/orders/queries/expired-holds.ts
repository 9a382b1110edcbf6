import type { EntityManager } from "@mikro-orm/postgresql";
import { query } from "../../platform/database/query.js";

/** A held order whose hold_until has passed, with what a change of it needs to find it (tenant and mode). */
export interface ExpiredHold {
  id: string;
  tenantId: string;
  isTest: boolean;
}

/**
 * Up to `limit` held orders of every tenant whose hold_until is at or before `now`, the longest expired first, read
 * through orders_hold_until_index (hold_until is RFC 3339 UTC text from Date.toISOString, which sorts as time does).
 */
export async function findExpiredHolds(em: EntityManager, now: Date, limit: number): Promise<ExpiredHold[]> {
  const { rows } = await query<{ id: string; tenant_id: string; is_test: boolean }>(
    em,
    `select id, tenant_id, is_test from orders
      where status = 'on_hold' and hold ? 'holdUntil' and hold->>'holdUntil' <= $1
      order by hold->>'holdUntil' limit $2`,
    [now.toISOString(), limit],
  );
  return rows.map((row) => ({ id: row.id, tenantId: row.tenant_id, isTest: row.is_test }));
}
