import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { primaryAfter } from "../../../src/store/rules/primary-channel.js";

describe("primaryAfter", () => {
  it("makes a tenant's first channel primary, whatever it asks", () => {
    for (const wanted of [true, false, undefined]) {
      expect(primaryAfter(undefined, "a", wanted)).toEqual({ ok: true, primaryId: "a", demotedId: undefined });
    }
  });

  it("lets another channel take over, demoting the old primary, only when it asks", () => {
    expect(primaryAfter("a", "b", true)).toEqual({ ok: true, primaryId: "b", demotedId: "a" });
    expect(primaryAfter("a", "b", false)).toEqual({ ok: true, primaryId: "a", demotedId: undefined });
    expect(primaryAfter("a", "b", undefined)).toEqual({ ok: true, primaryId: "a", demotedId: undefined });
  });

  it("keeps the primary channel primary, and refuses to unset it", () => {
    expect(primaryAfter("a", "a", true)).toEqual({ ok: true, primaryId: "a", demotedId: undefined });
    expect(primaryAfter("a", "a", undefined)).toEqual({ ok: true, primaryId: "a", demotedId: undefined });
    expect(primaryAfter("a", "a", false)).toEqual({ ok: false, reason: "PRIMARY_CHANNEL_REQUIRED" });
  });

  it("keeps exactly one primary channel through any sequence of creates and updates", () => {
    const step = fc.record({
      create: fc.boolean(),
      pick: fc.nat(),
      wanted: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const primary = new Map<string, boolean>();
        let last: string | undefined;
        for (const { create, pick, wanted } of steps) {
          const ids = [...primary.keys()];
          const id = create || ids.length === 0 ? `c${primary.size}` : (ids[pick % ids.length] ?? "");
          const current = ids.find((candidate) => primary.get(candidate));
          const change = primaryAfter(current, id, wanted);
          if (!change.ok) {
            expect(current === id && wanted === false).toBe(true);
            continue;
          }
          if (change.demotedId !== undefined) primary.set(change.demotedId, false);
          primary.set(id, change.primaryId === id);
          if (wanted === true || current === undefined) last = id;
          expect([...primary.values()].filter(Boolean)).toHaveLength(1);
          expect(primary.get(last ?? "")).toBe(true);
        }
      }),
    );
  });
});
