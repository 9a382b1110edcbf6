import type { Queryable } from "../platform/database/query.js";
import { allocateStock, type LineAllocation, type LineDemand } from "./rules/allocation.js";
import { planShipment, type LineTaken, type ShipmentLine } from "./rules/shipments.js";
import {
  changeReserved,
  lockOrCreateLevel,
  lockStockPairs,
  lockTrackedStock,
  selectTrackedVariants,
  writeOrderStockChanges,
  type OrderStockChange,
} from "./queries.js";

/**
 * What orders do to stock, each in the order's own transaction (orders/ calls these through inventory/public.ts):
 * placing reserves, canceling releases, shipping takes units off on hand, a restocked return puts them back. The
 * rules are pure (rules/allocation.ts, rules/shipments.ts); this file locks the levels, applies them, and writes.
 * Levels are always locked in one order (variant, then stock location), so concurrent orders never deadlock and
 * each sees what the one before it left: 100 orders racing for 20 units reserve exactly 20.
 */

export type { LineAllocation, LineDemand, LineTaken, ShipmentLine };

/** A reservation as an order line holds it. */
export interface HeldStock {
  variantId: string;
  stockLocationId: string;
  quantity: number;
}

export type ReservationOutcome =
  { ok: true; lines: LineAllocation[] } | { ok: false; shortPaths: string[]; lines: LineAllocation[] };

/**
 * Reserves stock for an order's lines: only lines of tracked variants reserve (the others are not in the answer).
 * Under the tenant's "refuse" policy a short line refuses the order and nothing is reserved (`shortPaths`, with the
 * allocation as the backorder policy would have made it, for the error's detail).
 */
export async function reserveStock(
  db: Queryable,
  tenantId: string,
  demands: readonly LineDemand[],
  preferredStockLocationId: string | undefined,
): Promise<ReservationOutcome> {
  if (demands.length === 0) return { ok: true, lines: [] };
  const stock = await lockTrackedStock(db, tenantId, [...new Set(demands.map((demand) => demand.variantId))]);
  const tracked = new Set(stock.trackedVariantIds);
  const trackedDemands = demands.filter((demand) => tracked.has(demand.variantId));
  if (trackedDemands.length === 0) return { ok: true, lines: [] };
  const available = stock.levels.map((level) => ({
    variantId: level.variantId,
    stockLocationId: level.stockLocationId,
    available: level.onHand - level.reserved,
  }));
  const outcome = allocateStock(trackedDemands, available, preferredStockLocationId, stock.shortagePolicy);
  if (!outcome.ok) {
    const asBackorders = allocateStock(trackedDemands, available, preferredStockLocationId, "backorder");
    return { ok: false, shortPaths: outcome.shortPaths, lines: asBackorders.ok ? asBackorders.lines : [] };
  }
  const levelIds = new Map(stock.levels.map((level) => [`${level.variantId}/${level.stockLocationId}`, level.id]));
  const changes = outcome.lines.flatMap((line) => {
    const levelId = line.stockLocationId && levelIds.get(`${line.variantId}/${line.stockLocationId}`);
    return levelId && line.reserved > 0 ? [{ levelId, change: line.reserved }] : [];
  });
  await changeReserved(db, tenantId, changes);
  return { ok: true, lines: outcome.lines };
}

/** Releases reservations (a canceled order's): their units are available again. */
export async function releaseStock(db: Queryable, tenantId: string, held: readonly HeldStock[]): Promise<void> {
  const holding = held.filter((entry) => entry.quantity > 0);
  const levels = await lockStockPairs(db, tenantId, holding);
  const changes = holding.flatMap((entry) => {
    const level = levels.find(
      (candidate) => candidate.variantId === entry.variantId && candidate.stockLocationId === entry.stockLocationId,
    );
    return level ? [{ levelId: level.id, change: -entry.quantity }] : [];
  });
  await changeReserved(db, tenantId, changes);
}

/**
 * Ships an order's lines from `from` (null: from where each is reserved) by rules/shipments.ts: on_hand goes down
 * with a fulfillment ledger row per level, naming the order; `reason` is kept on the rows. Refused, nothing
 * written, when a line's units are not there (`shortPaths`).
 */
export async function shipStock(
  db: Queryable,
  tenantId: string,
  order: { id: string; reason: string },
  lines: readonly Omit<ShipmentLine, "tracked">[],
  from: string | null,
): Promise<{ ok: true; lines: LineTaken[] } | { ok: false; shortPaths: string[] }> {
  if (lines.length === 0) return { ok: true, lines: [] };
  const pairs = lines.flatMap((line) => [
    ...(line.reservedAt ? [{ variantId: line.variantId, stockLocationId: line.reservedAt }] : []),
    ...(from ? [{ variantId: line.variantId, stockLocationId: from }] : []),
  ]);
  const levels = await lockStockPairs(db, tenantId, pairs);
  const tracked = await selectTrackedVariants(db, tenantId, [...new Set(lines.map((line) => line.variantId))]);
  const plan = planShipment(
    lines.map((line) => ({ ...line, tracked: tracked.has(line.variantId) })),
    levels,
    from,
  );
  if (!plan.ok) return plan;
  const releases: { levelId: string; change: number }[] = [];
  const shipped: OrderStockChange[] = [];
  for (const delta of plan.levels) {
    const level = levels.find(
      (candidate) => candidate.variantId === delta.variantId && candidate.stockLocationId === delta.stockLocationId,
    );
    if (!level) continue;
    if (delta.onHandChange === 0) releases.push({ levelId: level.id, change: delta.reservedChange });
    else shipped.push({ levelId: level.id, kind: "fulfillment", ...delta, reason: order.reason });
  }
  await changeReserved(db, tenantId, releases);
  await writeOrderStockChanges(db, tenantId, order.id, shipped);
  return { ok: true, lines: plan.lines };
}

/**
 * Puts returned units back on hand at the stock location they shipped from (a return ledger row each, naming the
 * order); units of variants not tracked now are not counted.
 */
export async function restockStock(
  db: Queryable,
  tenantId: string,
  order: { id: string; reason: string },
  units: readonly HeldStock[],
): Promise<void> {
  const tracked = await selectTrackedVariants(db, tenantId, [...new Set(units.map((unit) => unit.variantId))]);
  const counted = units
    .filter((unit) => unit.quantity > 0 && tracked.has(unit.variantId))
    .sort((a, b) =>
      a.variantId === b.variantId
        ? a.stockLocationId.localeCompare(b.stockLocationId)
        : a.variantId.localeCompare(b.variantId),
    );
  for (const unit of counted) {
    const level = await lockOrCreateLevel(db, tenantId, unit.variantId, unit.stockLocationId);
    await writeOrderStockChanges(db, tenantId, order.id, [
      { levelId: level.id, kind: "return", onHandChange: unit.quantity, reservedChange: 0, reason: order.reason },
    ]);
  }
}
