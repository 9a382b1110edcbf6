import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/** What an update_mask asks for: the updatable paths it names, each once, or what is wrong with it. */
export type MaskPaths<Path extends string> = { ok: true; paths: Path[] } | { ok: false; violations: FieldViolation[] };

/**
 * The paths of an update_mask (AIP-134), checked against the fields an Update method lets a client set:
 * each path once, in the order given; "*" names them all. An empty mask is REQUIRED at update_mask, any
 * other path NOT_UPDATABLE at update_mask.paths[i] (the description lists what may be named).
 */
export function updateMaskPaths<Path extends string>(
  given: readonly string[],
  updatable: readonly Path[],
): MaskPaths<Path> {
  if (given.length === 0) {
    return {
      ok: false,
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
          `"${path}" cannot be updated; updatable: ${updatable.join(", ")} (or "*" for all of them)`,
        ),
      );
    }
    for (const name of named) if (!paths.includes(name)) paths.push(name);
  });
  return violations.length > 0 ? { ok: false, violations } : { ok: true, paths };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id an Update method names must be a UUID (INVALID_UUID at `field`), or no row could ever match it. */
export function resourceIdViolations(field: string, id: string): FieldViolation[] {
  return UUID.test(id)
    ? []
    : [fieldViolation(field, "INVALID_UUID", "must be the id (UUID) of the resource to change")];
}
