import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { fieldViolation, type FieldViolation } from "../money/field-violation.js";
import { timestampViolations, type EarliestTime } from "./timestamps.js";

/**
 * The rules for times a client reports about an order (placed, shipped, delivered). They are past
 * events of a real order, so besides being times every encoding carries (timestamps.ts) they are:
 * - not before 1970-01-01T00:00:00Z: no order we import or record is older, and times before the Unix
 *   epoch are where other systems (unsigned epoch seconds) go wrong;
 * - not more than CLOCK_SKEW_MS in the future;
 * - for a shipment or delivery, not more than CLOCK_SKEW_MS before the order was placed.
 * The contract states the first rule too (`timestamp.gte` on those fields); the others need the clock
 * or the order.
 */

/** Times a client sends may run this far ahead of our clock (or behind the order's) before we refuse them. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The earliest time an order event may have. */
export const EARLIEST_ORDER_TIME: EarliestTime = { seconds: 0n, text: "1970-01-01T00:00:00Z" };

/** A reported time, read: its Date when it is a valid one, and what is wrong with it otherwise. */
export interface ReportedTime {
  date: Date | undefined;
  violations: FieldViolation[];
}

/**
 * Reads a time the client reports (absent: no date, no violations): a Timestamp from 1970 on that is
 * not in the future. The rules that need the order (beforePlacedViolations) come after.
 */
export function reportedTime(field: string, time: Timestamp | undefined, now: Date): ReportedTime {
  if (!time) return { date: undefined, violations: [] };
  const invalid = timestampViolations(field, time, EARLIEST_ORDER_TIME);
  if (invalid.length > 0) return { date: undefined, violations: invalid };
  const date = timestampDate(time);
  return { date, violations: futureTimeViolations(field, date, now) };
}

/** A violation when `time` (a past event the client reports: shipped, delivered, placed) lies in the future. */
export function futureTimeViolations(field: string, time: Date | undefined | null, now: Date): FieldViolation[] {
  if (!time || time.getTime() <= now.getTime() + CLOCK_SKEW_MS) return [];
  return [fieldViolation(field, "IN_FUTURE", "must not be in the future")];
}

/** A violation when `time` (a shipment or delivery) lies before the order was placed, beyond the clock skew. */
export function beforePlacedViolations(field: string, time: Date | undefined, placed: Date): FieldViolation[] {
  if (!time || time.getTime() >= placed.getTime() - CLOCK_SKEW_MS) return [];
  return [fieldViolation(field, "BEFORE_PLACED", `must not be before the order was placed (${placed.toISOString()})`)];
}
