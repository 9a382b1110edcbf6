import type { EntityManager } from "@mikro-orm/postgresql";
import { CURSOR_TIME_SQL } from "../../platform/pagination/page-request.js";
import type { PageCursor } from "../../platform/pagination/page-token.js";
import { Parameters, query, type Queryable } from "../../platform/database/query.js";
import { PROMOTION_COLUMNS, viewOfRow, type PromotionRow, type PromotionView } from "../promotion-view.js";

// The SQL of promotions' own reads and of their codes. Promotion rows are written through the unit of work
// (the entity); codes by the statements below, which tell which code is taken.

/** Promotions `ids` of the tenant (in no particular order); ids of other tenants' promotions are left out. */
export async function selectPromotions(
  db: Queryable,
  tenantId: string,
  ids: readonly string[],
): Promise<PromotionView[]> {
  const { rows } = await query<PromotionRow>(
    db,
    `select ${PROMOTION_COLUMNS} from promotions p where p.tenant_id = $1 and p.id = any($2::uuid[])`,
    [tenantId, [...ids]],
  );
  return rows.map(viewOfRow);
}

/** ListPromotions' filters; undefined matches every promotion. */
export interface PromotionFilters {
  active: boolean | undefined;
  /** Compared without regard to case. */
  code: string | undefined;
}

/**
 * One page of a tenant's promotions, newest first, after `after`, filtered: a range scan of
 * promotions_tenant_id_created_at_id_index (or its active twin); the code filter finds its one promotion by
 * promotion_codes_tenant_id_lower_code_unique. `limit` rows at most; `cursorTime` is each row's created_at
 * to the microsecond, for the next page token.
 */
export async function selectPromotionPage(
  em: EntityManager,
  tenantId: string,
  filters: PromotionFilters,
  after: PageCursor | undefined,
  limit: number,
): Promise<(PromotionView & { cursorTime: string })[]> {
  const params = new Parameters();
  const tenant = params.bind(tenantId);
  const where = [`p.tenant_id = ${tenant}`];
  if (filters.active !== undefined) where.push(`p.active = ${params.bind(filters.active)}`);
  if (filters.code !== undefined) {
    where.push(`p.id = (select c.promotion_id from promotion_codes c
      where c.tenant_id = ${tenant} and lower(c.code) = lower(${params.bind(filters.code)}))`);
  }
  if (after) {
    where.push(
      `(p.created_at, p.id) < (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`,
    );
  }
  const { rows } = await query<PromotionRow & { cursorTime: string }>(
    em,
    `select ${PROMOTION_COLUMNS}, ${CURSOR_TIME_SQL} as "cursorTime"
       from promotions p where ${where.join(" and ")} order by p.created_at desc, p.id desc limit ${Math.trunc(limit)}`,
    params.values,
  );
  return rows.map((row) => ({ ...viewOfRow(row), cursorTime: row.cursorTime }));
}

/** A code another promotion of the tenant holds: its index in the codes given, and the holder when known. */
export interface TakenCode {
  index: number;
  /** The promotion that has it; undefined when it was given up again before it could be read. */
  holderId: string | undefined;
}

/**
 * Gives promotion `promotionId` the codes `codes`, in their order, in the caller's transaction `tx`. A code
 * another promotion of the tenant has (in any case) is not inserted: the first such is returned, and the
 * caller refuses the call (its transaction rolls back). Of two transactions claiming one code, the second
 * waits for the first on the unique index and then finds it taken. `codes` must not repeat a code.
 */
export async function insertCodes(
  tx: EntityManager,
  tenantId: string,
  promotionId: string,
  codes: readonly string[],
): Promise<TakenCode | undefined> {
  const { rows } = await query<{ position: number }>(
    tx,
    `insert into promotion_codes (promotion_id, position, tenant_id, code)
       select $1, given.ordinality - 1, $2, given.code from unnest($3::text[]) with ordinality as given(code, ordinality)
       on conflict (tenant_id, lower(code)) do nothing
       returning position`,
    [promotionId, tenantId, [...codes]],
  );
  if (rows.length === codes.length) return undefined;
  const inserted = new Set(rows.map((row) => row.position));
  const index = codes.findIndex((_, position) => !inserted.has(position));
  // A statement of its own: the insert's snapshot may predate the holder's commit it waited for.
  const holder = await query<{ promotionId: string }>(
    tx,
    `select promotion_id as "promotionId" from promotion_codes where tenant_id = $1 and lower(code) = lower($2)`,
    [tenantId, codes[index]],
  );
  return { index, holderId: holder.rows[0]?.promotionId };
}

/** Removes every code of promotion `promotionId` (before UpdatePromotion gives it its new list). */
export async function deleteCodes(tx: EntityManager, tenantId: string, promotionId: string): Promise<void> {
  await query(tx, "delete from promotion_codes where tenant_id = $1 and promotion_id = $2", [tenantId, promotionId]);
}
