import { describe, expect, it } from "vitest";
import { resourceIdViolations, updateMaskPaths } from "../../../src/platform/transport/update-mask.js";

const UPDATABLE = ["name", "tax_id", "metadata"] as const;

describe("updateMaskPaths", () => {
  it("keeps each named path once, in the order given", () => {
    expect(updateMaskPaths(["metadata", "name", "metadata"], UPDATABLE)).toEqual({
      ok: true,
      paths: ["metadata", "name"],
    });
  });

  it("reads * as every updatable path", () => {
    expect(updateMaskPaths(["*"], UPDATABLE)).toEqual({ ok: true, paths: ["name", "tax_id", "metadata"] });
  });

  it("refuses an empty mask at update_mask", () => {
    expect(updateMaskPaths([], UPDATABLE)).toMatchObject({
      ok: false,
      violations: [{ field: "update_mask", reason: "REQUIRED" }],
    });
  });

  it("names every path that cannot be set, by its index", () => {
    const result = updateMaskPaths(["name", "id", "create_time"], UPDATABLE);
    expect(result).toMatchObject({
      ok: false,
      violations: [
        { field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" },
        { field: "update_mask.paths[2]", reason: "NOT_UPDATABLE" },
      ],
    });
    expect(result.ok || result.violations[0]?.description).toContain("name, tax_id, metadata");
  });
});

describe("resourceIdViolations", () => {
  it("accepts a UUID in either case and refuses anything else", () => {
    expect(resourceIdViolations("company.id", "8E1F96C3-0000-4000-8000-000000000001")).toEqual([]);
    expect(resourceIdViolations("company.id", "")).toMatchObject([{ field: "company.id", reason: "INVALID_UUID" }]);
    expect(resourceIdViolations("company.id", "not-a-uuid")).toHaveLength(1);
  });
});
