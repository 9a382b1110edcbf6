import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import type { ReturnRecord } from "../entities/json-types.js";
import { fulfilledQuantities, type FulfilmentState } from "./fulfillments.js";

/**
 * Returns (issue 14 §4), as pure rules: which units may come back, which came back, and what a receipt may say. What
 * a return refunds is return-refunds.ts; the status changes are rows of STATUS_TRANSITIONS (order-lifecycle.ts).
 */

/** Units of each line in the given returns. */
function unitsIn(returns: readonly ReturnRecord[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const { lines } of returns) {
    for (const { lineId, quantity } of lines) units.set(lineId, (units.get(lineId) ?? 0) + quantity);
  }
  return units;
}

/** Units of each line in a return, requested or received: they cannot be returned again. */
export function returnedQuantities(returns: readonly ReturnRecord[]): Map<string, number> {
  return unitsIn(returns);
}

/**
 * The units a RequestReturn names, checked: each a line of the order, once, at most its shipped units not yet in a
 * return. Violations name the request's fields (lines[i].line_id, lines[i].quantity).
 */
export function unitsToReturn(
  state: FulfilmentState,
  returns: readonly ReturnRecord[],
  requested: readonly { lineId: string; quantity: number }[],
): FieldViolation[] {
  const shipped = fulfilledQuantities(state);
  const returned = returnedQuantities(returns);
  const violations: FieldViolation[] = [];
  const seen = new Set<string>();
  requested.forEach(({ lineId, quantity }, index) => {
    const left = (shipped.get(lineId) ?? 0) - (returned.get(lineId) ?? 0);
    if (!state.lines.some((line) => line.id === lineId)) {
      violations.push(fieldViolation(`lines[${index}].line_id`, "LINE_NOT_FOUND", `the order has no line ${lineId}`));
    } else if (seen.has(lineId)) {
      violations.push(fieldViolation(`lines[${index}].line_id`, "DUPLICATE_LINE", "names a line named before"));
    } else if (quantity > left) {
      violations.push(
        fieldViolation(
          `lines[${index}].quantity`,
          "QUANTITY_EXCEEDS_RETURNABLE",
          `must be at most ${left}, the units of this line shipped and not yet in a return`,
        ),
      );
    }
    seen.add(lineId);
  });
  return violations;
}

/** A ReceiveReturn's `lines` checked against the return: each one of its lines, once. */
export function receiptViolations(
  ret: ReturnRecord,
  lines: readonly { lineId: string; restock: boolean }[],
): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const seen = new Set<string>();
  lines.forEach(({ lineId }, index) => {
    if (!ret.lines.some((line) => line.lineId === lineId)) {
      violations.push(
        fieldViolation(`lines[${index}].line_id`, "RETURN_LINE_NOT_FOUND", `the return has no line ${lineId}`),
      );
    } else if (seen.has(lineId)) {
      violations.push(fieldViolation(`lines[${index}].line_id`, "DUPLICATE_LINE", "names a line named before"));
    }
    seen.add(lineId);
  });
  return violations;
}
