import { describe, expect, it } from "vitest";
import { requiredViolations } from "../../../src/store/rules/required.js";

describe("requiredViolations", () => {
  it("reports REQUIRED for an absent value only", () => {
    expect(requiredViolations("sales_channel.name", true)).toEqual([]);
    expect(requiredViolations("sales_channel.name", false)).toEqual([
      { field: "sales_channel.name", reason: "REQUIRED", description: "is required" },
    ]);
  });
});
