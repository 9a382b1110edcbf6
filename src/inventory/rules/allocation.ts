/**
 * Where an order's tracked lines take their stock from (issue 14 §1, reservations): a pure function over what each
 * stock location has available, so the rule is unit-tested without a database and the order's transaction only
 * reads the levels (locked) and writes what this returns.
 *
 * The rule, line by line in the order's order (lines of one variant share its stock):
 * 1. A line is served from ONE location, so that it ships in one parcel: the order's preferred stock location when
 *    what it has available covers the line;
 * 2. else the location with the most available that covers the line (ties: by stock location id);
 * 3. else no location covers it: the line is short. Under the `refuse` policy the order is refused and every short
 *    line named; under `backorder` the line takes what the best location has (the preferred one when it has any,
 *    else the one with the most available, ties as above) and the rest is backordered.
 */

/** What a location has available of a variant: on hand less what other orders reserved, 0 or more. */
export interface StockAvailability {
  variantId: string;
  stockLocationId: string;
  available: number;
}

/** A tracked line of the order. */
export interface LineDemand {
  /** The line's path in the request, e.g. "items[2]", named when the line is short. */
  path: string;
  variantId: string;
  /** 1 or more. */
  quantity: number;
}

export const SHORTAGE_POLICIES = ["refuse", "backorder"] as const;
export type ShortagePolicy = (typeof SHORTAGE_POLICIES)[number];

/** What a line takes: `reserved` units at `stockLocationId` (undefined when none), and `backordered` units. */
export interface LineAllocation {
  path: string;
  variantId: string;
  stockLocationId: string | undefined;
  reserved: number;
  backordered: number;
}

export type AllocationOutcome =
  | { ok: true; lines: LineAllocation[] }
  /** Refused: the paths of the lines no single location covers, in the order's order. */
  | { ok: false; shortPaths: string[] };

function compareLocations(a: StockAvailability, b: StockAvailability): number {
  if (a.available !== b.available) return b.available - a.available;
  return a.stockLocationId < b.stockLocationId ? -1 : a.stockLocationId > b.stockLocationId ? 1 : 0;
}

/** Allocates every line (see the rule above). Never reserves more than a location has available. */
export function allocateStock(
  lines: readonly LineDemand[],
  stock: readonly StockAvailability[],
  preferredStockLocationId: string | undefined,
  policy: ShortagePolicy,
): AllocationOutcome {
  // What is left at each location as lines take from it.
  const left = stock.map((entry) => ({ ...entry, available: Math.max(0, entry.available) }));
  const allocations: LineAllocation[] = [];
  const shortPaths: string[] = [];
  for (const line of lines) {
    const candidates = left.filter((entry) => entry.variantId === line.variantId);
    const preferred = candidates.find((entry) => entry.stockLocationId === preferredStockLocationId);
    const ranked = [...candidates].sort(compareLocations);
    const covering =
      preferred && preferred.available >= line.quantity
        ? preferred
        : ranked.find((entry) => entry.available >= line.quantity);
    if (covering) {
      covering.available -= line.quantity;
      allocations.push({ ...lineOf(line), stockLocationId: covering.stockLocationId, reserved: line.quantity });
      continue;
    }
    shortPaths.push(line.path);
    const best = preferred && preferred.available > 0 ? preferred : ranked.find((entry) => entry.available > 0);
    const reserved = best ? best.available : 0;
    if (best) best.available = 0;
    allocations.push({
      ...lineOf(line),
      stockLocationId: best?.stockLocationId,
      reserved,
      backordered: line.quantity - reserved,
    });
  }
  if (policy === "refuse" && shortPaths.length > 0) return { ok: false, shortPaths };
  return { ok: true, lines: allocations };
}

function lineOf(line: LineDemand): Omit<LineAllocation, "stockLocationId" | "reserved"> {
  return { path: line.path, variantId: line.variantId, backordered: 0 };
}
