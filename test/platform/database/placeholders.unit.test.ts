import { describe, expect, it } from "vitest";
import { withPlaceholdersAs } from "../../../src/platform/database/query.js";

describe("withPlaceholdersAs", () => {
  it("replaces each placeholder by its expression, $10 as itself and not as $1 followed by 0", () => {
    const sql = "select $1::uuid, $2, $10, $1";
    const expressions = ["o.a", "o.b", "3", "4", "5", "6", "7", "8", "9", "o.j"];
    expect(withPlaceholdersAs(sql, expressions)).toBe("select (o.a)::uuid, (o.b), (o.j), (o.a)");
  });

  it("refuses a statement with a placeholder it has no expression for", () => {
    expect(() => withPlaceholdersAs("select $1, $3", ["a", "b"])).toThrow("no expression for $3");
  });
});
