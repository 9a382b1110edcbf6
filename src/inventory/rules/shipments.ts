/**
 * What a shipment (FulfillOrder) does to stock (issue 14 §1): a pure function over the locked levels, so the rule is
 * unit-tested without a database and the transaction only writes what this returns.
 *
 * Per line, in the shipment's order (lines of one variant share its stock):
 * - the shipped units take the line's reservation first (`fromReservation`, at most what it reserved);
 * - a tracked variant's units leave the shipment's stock location (`from`, else where the line is reserved):
 *   on_hand goes down by every shipped unit; units shipped from where they were reserved take the reservation with
 *   them, units reserved elsewhere are released there. What the reservation does not cover (backordered units, or
 *   everything when shipping from another location) must be available (on_hand - reserved) at `from`, else the line
 *   is short and the whole shipment refused;
 * - an untracked variant moves no stock: a reservation it still holds (tracking was turned off) is released.
 */

/** A line's units in the shipment, with what the line holds of stock. */
export interface ShipmentLine {
  /** Where the line is named in the request ("lines[0]", "items[2]"), for a refusal. */
  path: string;
  variantId: string;
  /** Units shipped, 1 or more. */
  quantity: number;
  /** Where the line's reservation is; null when it reserved nothing. */
  reservedAt: string | null;
  reserved: number;
  backordered: number;
  /** Whether the variant's stock is tracked now. */
  tracked: boolean;
}

/** A locked level. */
export interface LevelStock {
  variantId: string;
  stockLocationId: string;
  onHand: number;
  reserved: number;
}

/** A level's signed changes. */
export interface LevelDelta {
  variantId: string;
  stockLocationId: string;
  onHandChange: number;
  reservedChange: number;
}

/** What a line's shipment took from it: reserved units and backordered units. */
export interface LineTaken {
  path: string;
  reservedTaken: number;
  backorderedTaken: number;
}

export type ShipmentPlan = { ok: true; levels: LevelDelta[]; lines: LineTaken[] } | { ok: false; shortPaths: string[] };

const keyOf = (variantId: string, stockLocationId: string) => `${variantId}/${stockLocationId}`;

/** Plans a shipment from `from` (null: from where each line is reserved). */
export function planShipment(
  lines: readonly ShipmentLine[],
  levels: readonly LevelStock[],
  from: string | null,
): ShipmentPlan {
  const state = new Map(levels.map((level) => [keyOf(level.variantId, level.stockLocationId), { ...level }]));
  const deltas = new Map<string, LevelDelta>();
  const delta = (variantId: string, stockLocationId: string) => {
    const key = keyOf(variantId, stockLocationId);
    let entry = deltas.get(key);
    if (!entry) deltas.set(key, (entry = { variantId, stockLocationId, onHandChange: 0, reservedChange: 0 }));
    return entry;
  };
  const taken: LineTaken[] = [];
  const shortPaths: string[] = [];
  for (const line of lines) {
    const fromReservation = Math.min(line.quantity, line.reserved);
    const backorderedTaken = Math.min(line.backordered, line.quantity - fromReservation);
    taken.push({ path: line.path, reservedTaken: fromReservation, backorderedTaken });
    const shipFrom = from ?? line.reservedAt;
    const sameLocation = shipFrom !== null && shipFrom === line.reservedAt;
    // A reservation left behind (another location, or a variant no longer tracked) is released where it is.
    if (fromReservation > 0 && line.reservedAt !== null && (!sameLocation || !line.tracked)) {
      const reservedLevel = state.get(keyOf(line.variantId, line.reservedAt));
      if (reservedLevel) reservedLevel.reserved -= fromReservation;
      delta(line.variantId, line.reservedAt).reservedChange -= fromReservation;
    }
    if (!line.tracked) continue;
    const level = shipFrom === null ? undefined : state.get(keyOf(line.variantId, shipFrom));
    const needed = sameLocation ? line.quantity - fromReservation : line.quantity;
    if (!level || shipFrom === null || level.onHand - level.reserved < needed) {
      shortPaths.push(line.path);
      continue;
    }
    const consumed = sameLocation ? fromReservation : 0;
    level.onHand -= line.quantity;
    level.reserved -= consumed;
    const change = delta(line.variantId, shipFrom);
    change.onHandChange -= line.quantity;
    change.reservedChange -= consumed;
  }
  if (shortPaths.length > 0) return { ok: false, shortPaths };
  return { ok: true, levels: [...deltas.values()], lines: taken };
}
