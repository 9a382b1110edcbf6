/** What a request asks of a level's on_hand: a counted quantity (SetInventoryLevel) or a change (AdjustInventoryLevel). */
export type LevelRequest = { kind: "set"; onHand: number } | { kind: "adjust"; quantityChange: number };

/** The outcome of a request against what is on hand: the new on_hand and the signed change, or a refusal. */
export type LevelOutcome =
  | { ok: true; onHandAfter: number; quantityChange: number }
  | { ok: false; reason: "INSUFFICIENT_STOCK" | "ON_HAND_LIMIT" };

/** The most units a level holds (the contract's limit of SetInventoryLevelRequest.on_hand). */
export const MAX_ON_HAND = 1_000_000_000;

/**
 * Applies a request to `onHand` (0 or more) of which orders reserved `reserved`. A set records the difference as its
 * change (0 when the count matches); a request that would take on_hand below what orders reserved (so below 0
 * too: INSUFFICIENT_STOCK) or above MAX_ON_HAND (ON_HAND_LIMIT) is refused, nothing changes. Reserved units are
 * promised to orders: they leave with shipments, or come free when their orders are canceled.
 */
export function applyLevelRequest(onHand: number, request: LevelRequest, reserved = 0): LevelOutcome {
  if (request.kind === "set") {
    if (request.onHand < reserved) return { ok: false, reason: "INSUFFICIENT_STOCK" };
    return { ok: true, onHandAfter: request.onHand, quantityChange: request.onHand - onHand };
  }
  const onHandAfter = onHand + request.quantityChange;
  if (onHandAfter < reserved) return { ok: false, reason: "INSUFFICIENT_STOCK" };
  if (onHandAfter > MAX_ON_HAND) return { ok: false, reason: "ON_HAND_LIMIT" };
  return { ok: true, onHandAfter, quantityChange: request.quantityChange };
}
