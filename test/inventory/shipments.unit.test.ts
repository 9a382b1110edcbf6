import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planShipment, type LevelStock, type ShipmentLine } from "../../src/inventory/rules/shipments.js";

const V = "variant-a";
const level = (stockLocationId: string, onHand: number, reserved: number): LevelStock => ({
  variantId: V,
  stockLocationId,
  onHand,
  reserved,
});
const line = (overrides: Partial<ShipmentLine> = {}): ShipmentLine => ({
  path: "items[0]",
  variantId: V,
  quantity: 2,
  reservedAt: "home",
  reserved: 2,
  backordered: 0,
  tracked: true,
  ...overrides,
});

describe("planShipment", () => {
  it("ships reserved units from where they are reserved: on hand and reserved go down together", () => {
    expect(planShipment([line()], [level("home", 5, 2)], null)).toEqual({
      ok: true,
      levels: [{ variantId: V, stockLocationId: "home", onHandChange: -2, reservedChange: -2 }],
      lines: [{ path: "items[0]", reservedTaken: 2, backorderedTaken: 0 }],
    });
  });

  it("ships backordered units only from what is available there", () => {
    const backordered = line({ quantity: 3, reserved: 1, backordered: 2 });
    expect(planShipment([backordered], [level("home", 2, 1)], "home")).toEqual({
      ok: false,
      shortPaths: ["items[0]"],
    });
    expect(planShipment([backordered], [level("home", 3, 1)], "home")).toMatchObject({
      ok: true,
      levels: [{ onHandChange: -3, reservedChange: -1 }],
      lines: [{ reservedTaken: 1, backorderedTaken: 2 }],
    });
  });

  it("shipping from another location releases the reservation and takes what is available there", () => {
    expect(planShipment([line()], [level("home", 5, 2), level("far", 2, 0)], "far")).toMatchObject({
      ok: true,
      levels: [
        { stockLocationId: "home", onHandChange: 0, reservedChange: -2 },
        { stockLocationId: "far", onHandChange: -2, reservedChange: 0 },
      ],
    });
    expect(planShipment([line()], [level("home", 5, 2), level("far", 1, 0)], "far")).toEqual({
      ok: false,
      shortPaths: ["items[0]"],
    });
  });

  it("an untracked variant moves no stock and only releases what it still holds", () => {
    expect(planShipment([line({ tracked: false })], [level("home", 5, 2)], null)).toMatchObject({
      ok: true,
      levels: [{ stockLocationId: "home", onHandChange: 0, reservedChange: -2 }],
    });
    expect(planShipment([line({ tracked: false, reserved: 0, reservedAt: null })], [], null)).toMatchObject({
      ok: true,
      levels: [],
    });
  });

  it("a tracked line with nowhere to ship from is short", () => {
    expect(planShipment([line({ reserved: 0, reservedAt: null, backordered: 2 })], [], null)).toEqual({
      ok: false,
      shortPaths: ["items[0]"],
    });
  });

  it("never takes a level below its reservations, and keeps reserved within on hand (property)", () => {
    const locations = ["home", "far"];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            stockLocationId: fc.constantFrom(...locations),
            onHand: fc.integer({ min: 0, max: 10 }),
            reserved: fc.integer({ min: 0, max: 10 }),
          }),
          { maxLength: 2 },
        ),
        fc.array(
          fc.record({
            quantity: fc.integer({ min: 1, max: 6 }),
            reserved: fc.integer({ min: 0, max: 6 }),
            reservedAt: fc.constantFrom<string | null>("home", "far", null),
            tracked: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom<string | null>("home", "far", null),
        (rawLevels, rawLines, from) => {
          // Consistent input: a line's reservation is part of its level's, which is on hand.
          const seen = new Set<string>();
          const raw = rawLevels.filter((entry) => !seen.has(entry.stockLocationId) && seen.add(entry.stockLocationId));
          const lines = rawLines.map((entry, index) => {
            const at = raw.some((entry2) => entry2.stockLocationId === entry.reservedAt) ? entry.reservedAt : null;
            const reserved = at === null ? 0 : Math.min(entry.reserved, entry.quantity);
            return line({
              path: `items[${index}]`,
              quantity: entry.quantity,
              reserved,
              backordered: entry.quantity - reserved,
              reservedAt: at,
              tracked: entry.tracked,
            });
          });
          const levels = raw.map((entry) => {
            const held = lines
              .filter((held2) => held2.reservedAt === entry.stockLocationId)
              .reduce((sum, held2) => sum + held2.reserved, 0);
            const reserved = Math.max(entry.reserved, held);
            return level(entry.stockLocationId, Math.max(entry.onHand, reserved), reserved);
          });
          const plan = planShipment(lines, levels, from);
          if (!plan.ok) return;
          for (const current of levels) {
            const delta = plan.levels.find((entry) => entry.stockLocationId === current.stockLocationId);
            const onHand = current.onHand + (delta?.onHandChange ?? 0);
            const reserved = current.reserved + (delta?.reservedChange ?? 0);
            expect(reserved).toBeGreaterThanOrEqual(0);
            expect(onHand).toBeGreaterThanOrEqual(reserved);
          }
          lines.forEach((shipped, index) => {
            const taken = plan.lines[index];
            expect((taken?.reservedTaken ?? 0) + (taken?.backorderedTaken ?? 0)).toBe(shipped.quantity);
          });
        },
      ),
    );
  });
});
