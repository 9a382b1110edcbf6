import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import type { HoldRecord } from "../entities/json-types.js";

/**
 * Holds (issue 14 §2), as pure rules: when an order opens on hold, what a hold given to HoldOrder must be, and
 * which holds have ended by themselves. The status change itself is a row of STATUS_TRANSITIONS
 * (order-lifecycle.ts); these rules decide the Order.hold that goes with it.
 */

/** The reason of the hold a hold_until_date puts an order in at creation. */
export const HOLD_UNTIL_DATE_REASON = "hold_until_date";

/** The reason of the history entry of a hold housekeeping ended. */
export const HOLD_EXPIRED_REASON = "hold_until passed";

/**
 * The hold a new order opens in: one until the start (00:00 UTC) of its hold_until_date ("YYYY-MM-DD") when that
 * day is after the day of creation (UTC), else none, and never for an import (it states its own status).
 */
export function holdAtCreation(
  holdUntilDate: string | null,
  status: string,
  now: Date,
): { status: "on_hold"; hold: HoldRecord } | null {
  if (holdUntilDate === null || status !== "placed") return null;
  const until = new Date(`${holdUntilDate}T00:00:00.000Z`);
  if (Number.isNaN(until.getTime()) || holdUntilDate <= now.toISOString().slice(0, 10)) return null;
  return {
    status: "on_hold",
    hold: { reason: HOLD_UNTIL_DATE_REASON, holdTime: now.toISOString(), holdUntil: until.toISOString() },
  };
}

/** The hold HoldOrder records, or why `holdUntil` cannot end it: a hold that ends must end after now. */
export function newHold(
  reason: string,
  holdUntil: Date | undefined,
  now: Date,
): { ok: true; hold: HoldRecord } | { ok: false; violations: FieldViolation[] } {
  if (holdUntil !== undefined && holdUntil.getTime() <= now.getTime()) {
    return {
      ok: false,
      violations: [fieldViolation("hold_until", "HOLD_UNTIL_NOT_FUTURE", "must be after the time of the call")],
    };
  }
  const hold: HoldRecord = { reason, holdTime: now.toISOString() };
  if (holdUntil !== undefined) hold.holdUntil = holdUntil.toISOString();
  return { ok: true, hold };
}

/** Whether a hold has ended by itself at `now`: it has a hold_until and that time has come. */
export function holdExpired(hold: HoldRecord | null | undefined, now: Date): boolean {
  return hold?.holdUntil !== undefined && new Date(hold.holdUntil).getTime() <= now.getTime();
}
