import type { EntityManager } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import { Parameters, query, type Queryable } from "../platform/database/query.js";
import { CURSOR_TIME_SQL } from "../platform/pagination/page-request.js";
import type { PageCursor } from "../platform/pagination/page-token.js";
import type { InventoryTransactionKindName } from "./entities/inventory-transaction.js";
import type { ShortagePolicy } from "./rules/allocation.js";

// Every SQL statement of inventory. Times are selected as RFC 3339 text with microseconds (as gift cards'
// queries do), so they read the same through MikroORM's connection and through a `pg` client. Changes stamp
// the level and its ledger row with clock_timestamp(), the time the row was written once the level's row lock
// was had: the ledger's order by time is the order in which on_hand changed.

/** `column` (timestamptz) as RFC 3339 text in UTC with microseconds; parsed by `new Date`. */
function timeText(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** A level as read, with its variant's tracking (no inventory_items row: untracked). */
export interface LevelView {
  id: string;
  variantId: string;
  stockLocationId: string;
  onHand: number;
  reserved: number;
  tracked: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A ledger row as read. */
export interface TransactionView {
  id: string;
  variantId: string;
  stockLocationId: string;
  kind: InventoryTransactionKindName;
  quantityChange: number;
  onHandAfter: number;
  reason: string;
  /** The order of a fulfillment or return row. */
  orderId: string | null;
  createdAt: string;
}

const LEVEL_COLUMNS = `level.id, level.variant_id as "variantId", level.stock_location_id as "stockLocationId",
  level.on_hand as "onHand", level.reserved, coalesce(item.tracked, false) as tracked, level.version,
  ${timeText("level.created_at")} as "createdAt", ${timeText("level.updated_at")} as "updatedAt"`;

const LEVEL_FROM = `inventory_levels as level left join inventory_items as item
  on item.tenant_id = level.tenant_id and item.variant_id = level.variant_id`;

const TRANSACTION_COLUMNS = `id, variant_id as "variantId", stock_location_id as "stockLocationId", kind,
  quantity_change as "quantityChange", on_hand_after as "onHandAfter", reason, order_id as "orderId",
  ${timeText("created_at")} as "createdAt"`;

/** The tenant's level of a variant at a location; undefined when no stock was ever recorded for the pair. */
export async function selectLevel(
  db: Queryable,
  tenantId: string,
  variantId: string,
  stockLocationId: string,
): Promise<LevelView | undefined> {
  const { rows } = await query<LevelView>(
    db,
    `select ${LEVEL_COLUMNS} from ${LEVEL_FROM}
      where level.tenant_id = $1 and level.variant_id = $2 and level.stock_location_id = $3`,
    [tenantId, variantId, stockLocationId],
  );
  return rows[0];
}

/** The filters of ListInventoryLevels; undefined means any. */
export interface LevelFilters {
  variantId?: string;
  stockLocationId?: string;
}

/**
 * One page of a tenant's levels, oldest first, after `after` (a range scan of
 * inventory_levels_tenant_id_created_at_id_index); `cursorTime` is each row's created_at to the microsecond.
 */
export async function selectLevelPage(
  em: EntityManager,
  tenantId: string,
  filters: LevelFilters,
  after: PageCursor | undefined,
  limit: number,
): Promise<(LevelView & { cursorTime: string })[]> {
  const params = new Parameters();
  const where = [`level.tenant_id = ${params.bind(tenantId)}`];
  if (filters.variantId) where.push(`level.variant_id = ${params.bind(filters.variantId)}`);
  if (filters.stockLocationId) where.push(`level.stock_location_id = ${params.bind(filters.stockLocationId)}`);
  if (after) {
    where.push(
      `(level.created_at, level.id) > (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`,
    );
  }
  const { rows } = await query<LevelView & { cursorTime: string }>(
    em,
    `select ${LEVEL_COLUMNS}, ${CURSOR_TIME_SQL.replace("created_at", "level.created_at")} as "cursorTime"
       from ${LEVEL_FROM} where ${where.join(" and ")}
      order by level.created_at, level.id limit ${Math.trunc(limit)}`,
    params.values,
  );
  return rows;
}

/**
 * One page of a variant's ledger (at one location, or all), oldest first, after `after` (a range scan of
 * inventory_transactions_tenant_id_variant_id_created_at_id_index); `cursorTime` as for selectLevelPage.
 */
export async function selectTransactionPage(
  em: EntityManager,
  tenantId: string,
  variantId: string,
  stockLocationId: string | undefined,
  after: PageCursor | undefined,
  limit: number,
): Promise<(TransactionView & { cursorTime: string })[]> {
  const params = new Parameters();
  const where = [`tenant_id = ${params.bind(tenantId)}`, `variant_id = ${params.bind(variantId)}`];
  if (stockLocationId) where.push(`stock_location_id = ${params.bind(stockLocationId)}`);
  if (after) {
    where.push(`(created_at, id) > (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`);
  }
  const { rows } = await query<TransactionView & { cursorTime: string }>(
    em,
    `select ${TRANSACTION_COLUMNS}, ${CURSOR_TIME_SQL} as "cursorTime" from inventory_transactions
      where ${where.join(" and ")} order by created_at, id limit ${Math.trunc(limit)}`,
    params.values,
  );
  return rows;
}

/** A level locked for a change: what it holds now, and whether this transaction created it. */
export interface LockedLevel {
  id: string;
  onHand: number;
  reserved: number;
  version: number;
  created: boolean;
}

/**
 * Locks the tenant's level of a variant at a location FOR UPDATE, creating it (0 on hand) first when the pair
 * has none: two first changes of a pair at once meet on the unique constraint, and the second waits for the
 * first's row and then locks it, so both count.
 */
export async function lockOrCreateLevel(
  db: Queryable,
  tenantId: string,
  variantId: string,
  stockLocationId: string,
): Promise<LockedLevel> {
  const inserted = await query(
    db,
    `insert into inventory_levels (id, tenant_id, variant_id, stock_location_id, on_hand, version, created_at, updated_at)
     values ($1, $2, $3, $4, 0, 1, clock_timestamp(), clock_timestamp())
     on conflict (tenant_id, variant_id, stock_location_id) do nothing returning id`,
    [randomUUID(), tenantId, variantId, stockLocationId],
  );
  const { rows } = await query<Omit<LockedLevel, "created">>(
    db,
    `select id, on_hand as "onHand", reserved, version from inventory_levels
      where tenant_id = $1 and variant_id = $2 and stock_location_id = $3 for update`,
    [tenantId, variantId, stockLocationId],
  );
  const row = rows[0];
  if (!row) throw new Error(`inventory level of ${variantId} at ${stockLocationId} vanished`);
  return { ...row, created: inserted.rows.length > 0 };
}

/** A change of a locked level's on_hand, with the ledger row that records it. */
export interface LevelChange {
  kind: InventoryTransactionKindName;
  onHandAfter: number;
  quantityChange: number;
  reason: string;
}

/**
 * Writes a change of a locked level (lockOrCreateLevel, same transaction) and its ledger row in one statement,
 * and makes the variant tracked when it has no inventory_items row yet (a variant untracked on purpose stays
 * so). Returns the ledger row.
 */
export async function writeLevelChange(
  db: Queryable,
  tenantId: string,
  levelId: string,
  change: LevelChange,
): Promise<TransactionView> {
  const { rows } = await query<TransactionView>(
    db,
    `with changed as (
       update inventory_levels set on_hand = $3, version = version + 1, updated_at = clock_timestamp()
        where id = $2 and tenant_id = $1
       returning id, variant_id, stock_location_id, on_hand),
     tracked as (
       insert into inventory_items (id, tenant_id, variant_id, tracked, updated_at)
       select $7, $1, variant_id, true, clock_timestamp() from changed
       on conflict (tenant_id, variant_id) do nothing),
     ledger as (
       insert into inventory_transactions
         (id, tenant_id, level_id, variant_id, stock_location_id, kind, quantity_change, on_hand_after, reason, created_at)
       select $8, $1, id, variant_id, stock_location_id, $4, $5, on_hand, $6, clock_timestamp() from changed
       returning *)
     select ${TRANSACTION_COLUMNS} from ledger`,
    [
      tenantId,
      levelId,
      change.onHandAfter,
      change.kind,
      change.quantityChange,
      change.reason,
      randomUUID(),
      randomUUID(),
    ],
  );
  const row = rows[0];
  if (!row) throw new Error(`inventory level ${levelId} was not changed`);
  return row;
}

/** Turns tracking of a variant on or off; returns the row as written. */
export async function upsertTracking(
  db: Queryable,
  tenantId: string,
  variantId: string,
  tracked: boolean,
): Promise<{ variantId: string; tracked: boolean; updatedAt: string }> {
  const { rows } = await query<{ variantId: string; tracked: boolean; updatedAt: string }>(
    db,
    `insert into inventory_items (id, tenant_id, variant_id, tracked, updated_at)
     values ($1, $2, $3, $4, clock_timestamp())
     on conflict (tenant_id, variant_id) do update set tracked = excluded.tracked, updated_at = excluded.updated_at
     returning variant_id as "variantId", tracked, ${timeText("updated_at")} as "updatedAt"`,
    [randomUUID(), tenantId, variantId, tracked],
  );
  const row = rows[0];
  if (!row) throw new Error(`tracking of variant ${variantId} was not written`);
  return row;
}

/** The tenant's shortage policy and when it last changed; the default ("refuse", never) without a row. */
export async function selectSettings(
  db: Queryable,
  tenantId: string,
): Promise<{ shortagePolicy: ShortagePolicy; updatedAt: string | null }> {
  const { rows } = await query<{ shortagePolicy: ShortagePolicy; updatedAt: string | null }>(
    db,
    `select shortage_policy as "shortagePolicy", ${timeText("updated_at")} as "updatedAt"
       from inventory_settings where tenant_id = $1`,
    [tenantId],
  );
  return rows[0] ?? { shortagePolicy: "refuse", updatedAt: null };
}

/** Writes the tenant's shortage policy (the singleton row is created by the first change). */
export async function upsertSettings(
  db: Queryable,
  tenantId: string,
  shortagePolicy: ShortagePolicy,
): Promise<{ shortagePolicy: ShortagePolicy; updatedAt: string | null }> {
  const { rows } = await query<{ shortagePolicy: ShortagePolicy; updatedAt: string | null }>(
    db,
    `insert into inventory_settings (tenant_id, shortage_policy, updated_at) values ($1, $2, clock_timestamp())
     on conflict (tenant_id) do update set shortage_policy = excluded.shortage_policy, updated_at = excluded.updated_at
     returning shortage_policy as "shortagePolicy", ${timeText("updated_at")} as "updatedAt"`,
    [tenantId, shortagePolicy],
  );
  const row = rows[0];
  if (!row) throw new Error(`inventory settings of tenant ${tenantId} were not written`);
  return row;
}

/** A level locked by an order's change of its stock. */
export interface LockedStock {
  id: string;
  variantId: string;
  stockLocationId: string;
  onHand: number;
  reserved: number;
}

/**
 * Locks FOR UPDATE every level of the tenant's tracked `variantIds` (all their stock locations), in one order
 * (variant, then location) so that orders reserving overlapping variants never deadlock, and returns them with the
 * shortage policy. Untracked variants' levels are not returned: they reserve nothing.
 */
export async function lockTrackedStock(
  db: Queryable,
  tenantId: string,
  variantIds: readonly string[],
): Promise<{ levels: LockedStock[]; shortagePolicy: ShortagePolicy; trackedVariantIds: string[] }> {
  // A tracked variant without any level yet comes back once, its level's columns null (the left join).
  type Row = { variantId: string; shortagePolicy: ShortagePolicy } & (
    Omit<LockedStock, "variantId"> | { id: null; stockLocationId: null; onHand: null; reserved: null }
  );
  const { rows } = await query<Row>(
    db,
    `with tracked as (
       select variant_id from inventory_items where tenant_id = $1 and variant_id = any($2::uuid[]) and tracked),
     locked as (
       select level.id, level.variant_id, level.stock_location_id, level.on_hand, level.reserved
         from inventory_levels as level
        where level.tenant_id = $1 and level.variant_id in (select variant_id from tracked)
        order by level.variant_id, level.stock_location_id
          for update)
     select tracked.variant_id as "variantId", locked.id, locked.stock_location_id as "stockLocationId",
            locked.on_hand as "onHand", locked.reserved,
            coalesce((select shortage_policy from inventory_settings where tenant_id = $1), 'refuse') as "shortagePolicy"
       from tracked left join locked on locked.variant_id = tracked.variant_id`,
    [tenantId, variantIds],
  );
  return {
    levels: rows.flatMap((row) =>
      row.id === null
        ? []
        : [
            {
              id: row.id,
              variantId: row.variantId,
              stockLocationId: row.stockLocationId,
              onHand: row.onHand,
              reserved: row.reserved,
            },
          ],
    ),
    shortagePolicy: rows[0]?.shortagePolicy ?? "refuse",
    trackedVariantIds: [...new Set(rows.map((row) => row.variantId))],
  };
}

/** Adds `change` (signed) to the reserved units of each locked level, in one statement. */
export async function changeReserved(
  db: Queryable,
  tenantId: string,
  changes: readonly { levelId: string; change: number }[],
): Promise<void> {
  if (changes.length === 0) return;
  await query(
    db,
    `update inventory_levels as level set reserved = level.reserved + change.quantity
       from unnest($2::uuid[], $3::int[]) as change(level_id, quantity)
      where level.tenant_id = $1 and level.id = change.level_id`,
    [tenantId, changes.map((entry) => entry.levelId), changes.map((entry) => entry.change)],
  );
}

/** An order's change of a level's on_hand (a shipment's units leaving, a return's coming back). */
export interface OrderStockChange {
  levelId: string;
  kind: "fulfillment" | "return";
  /** Signed change of on_hand. */
  onHandChange: number;
  /** Signed change of reserved (a shipment takes its units' reservation with them). */
  reservedChange: number;
  reason: string;
}

/**
 * Writes an order's changes of locked levels and their ledger rows (kind fulfillment or return, naming the order),
 * one statement per level; a level changed this way keeps its version (the etag of a stock count is not stale
 * because an order shipped). The checks (on_hand >= 0, reserved <= on_hand) are the backstop.
 */
export async function writeOrderStockChanges(
  db: Queryable,
  tenantId: string,
  orderId: string,
  changes: readonly OrderStockChange[],
): Promise<void> {
  for (const change of changes) {
    await query(
      db,
      `with changed as (
         update inventory_levels set on_hand = on_hand + $3, reserved = reserved + $4, updated_at = clock_timestamp()
          where id = $2 and tenant_id = $1
         returning id, variant_id, stock_location_id, on_hand)
       insert into inventory_transactions (id, tenant_id, level_id, variant_id, stock_location_id, kind,
         quantity_change, on_hand_after, reason, order_id, created_at)
       select $5, $1, id, variant_id, stock_location_id, $6, $3, on_hand, $7, $8, clock_timestamp() from changed`,
      [
        tenantId,
        change.levelId,
        change.onHandChange,
        change.reservedChange,
        randomUUID(),
        change.kind,
        change.reason,
        orderId,
      ],
    );
  }
}

/** The reason an order's one-statement write is refused when a line's variant became tracked (untrackedPart). */
export const STOCK_TRACKED = "STOCK_TRACKED";

/**
 * SQL that is true when none of `variantIds` is tracked by the tenant, for the main query of an order's one
 * statement (refuseUnless): an order with a tracked line must reserve, which the statement does not.
 */
export function untrackedCondition(params: Parameters, tenantId: string, variantIds: readonly string[]): string {
  return `not exists (select 1 from inventory_items where tenant_id = ${params.bind(tenantId)}
    and variant_id = any(${params.bind([...variantIds])}::uuid[]) and tracked)`;
}

/**
 * Locks FOR UPDATE the tenant's levels of the given (variant, stock location) pairs that exist, in the same order
 * as lockTrackedStock (variant, then location), so order changes and placements never deadlock.
 */
export async function lockStockPairs(
  db: Queryable,
  tenantId: string,
  pairs: readonly { variantId: string; stockLocationId: string }[],
): Promise<(LockedStock & { tracked: boolean })[]> {
  if (pairs.length === 0) return [];
  const { rows } = await query<LockedStock & { tracked: boolean }>(
    db,
    `select level.id, level.variant_id as "variantId", level.stock_location_id as "stockLocationId",
            level.on_hand as "onHand", level.reserved, coalesce(item.tracked, false) as tracked
       from inventory_levels as level
       join unnest($2::uuid[], $3::uuid[]) as pair(variant_id, stock_location_id)
         on pair.variant_id = level.variant_id and pair.stock_location_id = level.stock_location_id
       left join inventory_items as item on item.tenant_id = level.tenant_id and item.variant_id = level.variant_id
      where level.tenant_id = $1
      order by level.variant_id, level.stock_location_id
        for update of level`,
    [tenantId, pairs.map((pair) => pair.variantId), pairs.map((pair) => pair.stockLocationId)],
  );
  return rows;
}

/** Which of `variantIds` the tenant tracks now. */
export async function selectTrackedVariants(
  db: Queryable,
  tenantId: string,
  variantIds: readonly string[],
): Promise<Set<string>> {
  if (variantIds.length === 0) return new Set();
  const { rows } = await query<{ variantId: string }>(
    db,
    `select variant_id as "variantId" from inventory_items where tenant_id = $1 and variant_id = any($2::uuid[]) and tracked`,
    [tenantId, variantIds],
  );
  return new Set(rows.map((row) => row.variantId));
}
