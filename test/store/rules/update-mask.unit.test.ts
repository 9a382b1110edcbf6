import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { requiredViolations, resourceIdViolations, updateMaskPaths } from "../../../src/store/rules/update-mask.js";

const FIELDS = ["name", "address", "active"] as const;

describe("updateMaskPaths", () => {
  it("keeps the updatable paths named, each once, in the order given", () => {
    expect(updateMaskPaths(["active", "name", "active"], FIELDS)).toEqual({
      paths: ["active", "name"],
      violations: [],
    });
  });

  it('reads "*" as every updatable path', () => {
    expect(updateMaskPaths(["name", "*"], FIELDS)).toEqual({ paths: ["name", "address", "active"], violations: [] });
  });

  it("requires at least one path", () => {
    expect(updateMaskPaths([], FIELDS)).toMatchObject({
      paths: [],
      violations: [{ field: "update_mask", reason: "REQUIRED" }],
    });
  });

  it("refuses every other path at its index, and still returns the updatable ones", () => {
    expect(updateMaskPaths(["id", "name", "address.city", "etag", ""], FIELDS)).toMatchObject({
      paths: ["name"],
      violations: [
        { field: "update_mask.paths[0]", reason: "NOT_UPDATABLE" },
        { field: "update_mask.paths[2]", reason: "NOT_UPDATABLE" },
        { field: "update_mask.paths[3]", reason: "NOT_UPDATABLE" },
        { field: "update_mask.paths[4]", reason: "NOT_UPDATABLE" },
      ],
    });
  });

  it("returns only updatable paths, and refuses exactly the paths that are neither updatable nor *", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...FIELDS, "*"), fc.string())), (given) => {
        const { paths, violations } = updateMaskPaths(given, FIELDS);
        expect(new Set(paths).size).toBe(paths.length);
        expect(paths.every((path) => (FIELDS as readonly string[]).includes(path))).toBe(true);
        const refused = given.filter((path) => path !== "*" && !(FIELDS as readonly string[]).includes(path));
        expect(violations).toHaveLength(given.length === 0 ? 1 : refused.length);
      }),
    );
  });
});

describe("resourceIdViolations and requiredViolations", () => {
  it("accept a UUID in any case and refuse anything else", () => {
    expect(resourceIdViolations("market.id", "0190A2B4-7C3D-7E8F-9A0B-1C2D3E4F5A6B")).toEqual([]);
    for (const id of ["", "mkt_UkLWZg9DAJ", "0190a2b4-7c3d-7e8f-9a0b-1c2d3e4f5a6"]) {
      expect(resourceIdViolations("market.id", id)).toMatchObject([{ field: "market.id", reason: "INVALID_UUID" }]);
    }
  });

  it("report REQUIRED for an absent value only", () => {
    expect(requiredViolations("sales_channel.name", true)).toEqual([]);
    expect(requiredViolations("sales_channel.name", false)).toMatchObject([
      { field: "sales_channel.name", reason: "REQUIRED" },
    ]);
  });
});
