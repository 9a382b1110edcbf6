import { describe, expect, it } from "vitest";
import { holdAtCreation, holdExpired, newHold } from "../../../src/orders/rules/holds.js";

const now = new Date("2026-12-03T10:00:00.000Z");

describe("holdAtCreation", () => {
  it("holds a placed order until the start of a later day", () => {
    expect(holdAtCreation("2026-12-05", "placed", now)).toEqual({
      status: "on_hold",
      hold: { reason: "hold_until_date", holdTime: now.toISOString(), holdUntil: "2026-12-05T00:00:00.000Z" },
    });
  });

  it.each([
    ["today", "2026-12-03", "placed"],
    ["a past day", "2024-01-18", "placed"],
    ["no day", null, "placed"],
    ["an imported status", "2026-12-05", "fulfilled"],
  ])("does not hold for %s", (_name, day, status) => {
    expect(holdAtCreation(day, status, now)).toBeNull();
  });
});

describe("newHold", () => {
  it("keeps the reason and the end", () => {
    const until = new Date(now.getTime() + 1);
    expect(newHold("credit check", until, now)).toEqual({
      ok: true,
      hold: { reason: "credit check", holdTime: now.toISOString(), holdUntil: until.toISOString() },
    });
  });

  it("without an end has none", () => {
    expect(newHold("credit check", undefined, now)).toEqual({
      ok: true,
      hold: { reason: "credit check", holdTime: now.toISOString() },
    });
  });

  it("refuses an end that is not after now", () => {
    expect(newHold("x", now, now)).toMatchObject({
      ok: false,
      violations: [{ field: "hold_until", reason: "HOLD_UNTIL_NOT_FUTURE" }],
    });
  });
});

describe("holdExpired", () => {
  it("only a hold with an end that has come", () => {
    expect(holdExpired({ reason: "r", holdTime: "", holdUntil: now.toISOString() }, now)).toBe(true);
    expect(holdExpired({ reason: "r", holdTime: "", holdUntil: "2026-12-03T10:00:00.001Z" }, now)).toBe(false);
    expect(holdExpired({ reason: "r", holdTime: "" }, now)).toBe(false);
    expect(holdExpired(null, now)).toBe(false);
  });
});
