import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyLevelRequest, MAX_ON_HAND } from "../../src/inventory/rules/level-changes.js";

const onHand = fc.integer({ min: 0, max: MAX_ON_HAND });

describe("applyLevelRequest", () => {
  it("a set records the difference to what was on hand", () => {
    expect(applyLevelRequest(7, { kind: "set", onHand: 4 })).toEqual({ ok: true, onHandAfter: 4, quantityChange: -3 });
    expect(applyLevelRequest(4, { kind: "set", onHand: 4 })).toEqual({ ok: true, onHandAfter: 4, quantityChange: 0 });
  });

  it("an adjustment below 0 or above the limit is refused", () => {
    expect(applyLevelRequest(3, { kind: "adjust", quantityChange: -4 })).toEqual({
      ok: false,
      reason: "INSUFFICIENT_STOCK",
    });
    expect(applyLevelRequest(3, { kind: "adjust", quantityChange: -3 })).toEqual({
      ok: true,
      onHandAfter: 0,
      quantityChange: -3,
    });
    expect(applyLevelRequest(MAX_ON_HAND, { kind: "adjust", quantityChange: 1 })).toEqual({
      ok: false,
      reason: "ON_HAND_LIMIT",
    });
  });

  it("never leaves on hand outside 0..MAX_ON_HAND, and before + change = after", () => {
    fc.assert(
      fc.property(
        onHand,
        fc.oneof(
          onHand.map((target) => ({ kind: "set" as const, onHand: target })),
          fc
            .integer({ min: -MAX_ON_HAND, max: MAX_ON_HAND })
            .map((change) => ({ kind: "adjust" as const, quantityChange: change })),
        ),
        (before, request) => {
          const outcome = applyLevelRequest(before, request);
          if (!outcome.ok) return request.kind === "adjust";
          return (
            outcome.onHandAfter >= 0 &&
            outcome.onHandAfter <= MAX_ON_HAND &&
            before + outcome.quantityChange === outcome.onHandAfter
          );
        },
      ),
    );
  });
});
