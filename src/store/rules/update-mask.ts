import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/** What an update_mask asks for: the updatable paths it names, each once, and what is wrong with it. */
export interface MaskPaths<Path extends string> {
  /** The updatable paths named, so their values can be checked even when another path is refused. */
  paths: Path[];
  violations: FieldViolation[];
}

/**
 * The paths of an update_mask (AIP-134), checked against the fields a resource lets an update set. "*"
 * names them all. Each path is kept once, in the order given. An empty mask is REQUIRED at update_mask;
 * any other path is NOT_UPDATABLE at update_mask.paths[i], listing what may be named.
 */
export function updateMaskPaths<Path extends string>(
  given: readonly string[],
  updatable: readonly Path[],
): MaskPaths<Path> {
  if (given.length === 0) {
    return {
      paths: [],
      violations: [fieldViolation("update_mask", "REQUIRED", "must name at least one field to change")],
    };
  }
  const violations: FieldViolation[] = [];
  const paths: Path[] = [];
  given.forEach((path, index) => {
    const named = path === "*" ? updatable : updatable.filter((candidate) => candidate === path);
    if (named.length === 0) {
      violations.push(
        fieldViolation(
          `update_mask.paths[${index}]`,
          "NOT_UPDATABLE",
          `"${path}" cannot be updated; updatable: ${updatable.join(", ")} (or "*" for all)`,
        ),
      );
    }
    for (const name of named) if (!paths.includes(name)) paths.push(name);
  });
  return { paths, violations };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id an update names must be a UUID (INVALID_UUID at `field`), or no row could ever match it. */
export function resourceIdViolations(field: string, id: string): FieldViolation[] {
  return UUID.test(id)
    ? []
    : [fieldViolation(field, "INVALID_UUID", "must be the id (UUID) of the resource to change")];
}

/** A field required on create (and when an update names it) that was left empty: REQUIRED at `field`. */
export function requiredViolations(field: string, present: boolean): FieldViolation[] {
  return present ? [] : [fieldViolation(field, "REQUIRED", "is required")];
}
