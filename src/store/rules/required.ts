import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/** A field required on create (and when an update names it) that was left empty: REQUIRED at `field`. */
export function requiredViolations(field: string, present: boolean): FieldViolation[] {
  return present ? [] : [fieldViolation(field, "REQUIRED", "is required")];
}
