import type { FieldViolation } from "../../money/field-violation.js";
import { lineIndexOf } from "./cart-draft.js";

/** Why a cart cannot be priced: a violation whose field is a path into the Cart ("lines[2].item.variant_id"). */
export type PricingProblem = FieldViolation;

/**
 * The problems of a changed cart that it did not have before the change: what the change caused, and so what
 * refuses it. A problem of a line is told by the line's id, not its index (removing a line moves the others), so a
 * line that was already unpriceable stays so without refusing an unrelated change (an archived product's line
 * does not block applying a coupon; removing that line is how the cart is mended).
 */
export function newProblems(
  before: { problems: readonly PricingProblem[]; lineIds: readonly string[] },
  after: { problems: readonly PricingProblem[]; lineIds: readonly string[] },
): PricingProblem[] {
  const known = new Set(before.problems.map((problem) => keyOf(problem, before.lineIds)));
  return after.problems.filter((problem) => !known.has(keyOf(problem, after.lineIds)));
}

function keyOf(problem: PricingProblem, lineIds: readonly string[]): string {
  const index = lineIndexOf(problem.field);
  const field =
    index === undefined ? problem.field : problem.field.replace(/^lines\[\d+\]/, `line:${lineIds[index] ?? index}`);
  return `${field} ${problem.reason}`;
}
