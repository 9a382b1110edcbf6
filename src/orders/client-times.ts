import { fieldViolation, type FieldViolation } from "../domain/field-violation.js";

/** Times a client sends may run this far ahead of our clock before we call them "in the future". */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A violation when `time` (a past event the client reports: shipped, delivered, placed) lies in the future. */
export function futureTimeViolations(field: string, time: Date | undefined | null, now: Date): FieldViolation[] {
  if (!time || time.getTime() <= now.getTime() + CLOCK_SKEW_MS) return [];
  return [fieldViolation(field, "IN_FUTURE", "must not be in the future")];
}
