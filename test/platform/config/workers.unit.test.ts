import { describe, expect, it } from "vitest";
import { workers } from "../../../src/platform/config/config.js";

describe("WORKERS", () => {
  it("is 1 unset or empty, a whole number from 1, or the cores for auto", () => {
    expect(workers(undefined, 8)).toBe(1);
    expect(workers("", 8)).toBe(1);
    expect(workers("2", 8)).toBe(2);
    expect(workers("auto", 8)).toBe(8);
    expect(workers(" AUTO ", 3)).toBe(3);
  });

  it.each(["0", "-1", "1.5", "two", "1025"])("refuses %s", (raw) => {
    expect(() => workers(raw, 8)).toThrow(/WORKERS must be a whole number from 1 to 1024 or "auto"/);
  });
});
