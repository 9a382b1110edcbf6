import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateStock, type LineDemand, type StockAvailability } from "../../src/inventory/rules/allocation.js";

const V = "variant-a";
const W = "variant-b";
const at = (stockLocationId: string, available: number, variantId = V): StockAvailability => ({
  variantId,
  stockLocationId,
  available,
});
const line = (path: string, quantity: number, variantId = V): LineDemand => ({ path, variantId, quantity });

describe("allocateStock", () => {
  it("takes a line from the preferred location when it covers the line", () => {
    const outcome = allocateStock([line("items[0]", 3)], [at("big", 50), at("home", 3)], "home", "refuse");
    expect(outcome).toEqual({
      ok: true,
      lines: [{ path: "items[0]", variantId: V, stockLocationId: "home", reserved: 3, backordered: 0 }],
    });
  });

  it("else from the location with the most available that covers it, ties by id", () => {
    const stock = [at("home", 1), at("l2", 9), at("l1", 9), at("l3", 8)];
    expect(allocateStock([line("items[0]", 2)], stock, "home", "refuse")).toMatchObject({
      lines: [{ stockLocationId: "l1", reserved: 2 }],
    });
    expect(allocateStock([line("items[0]", 9), line("items[1]", 9)], stock, "home", "refuse")).toMatchObject({
      lines: [{ stockLocationId: "l1" }, { stockLocationId: "l2" }],
    });
  });

  it("refuses naming every short line, lines of one variant sharing its stock", () => {
    const outcome = allocateStock(
      [line("items[0]", 2), line("items[1]", 1, W), line("items[2]", 2)],
      [at("a", 3), at("a", 1, W)],
      undefined,
      "refuse",
    );
    expect(outcome).toEqual({ ok: false, shortPaths: ["items[2]"] });
  });

  it("backorders what no location covers, reserving what the best location has", () => {
    const outcome = allocateStock(
      [line("items[0]", 5), line("items[1]", 2, W)],
      [at("a", 2), at("b", 3)],
      "a",
      "backorder",
    );
    expect(outcome).toEqual({
      ok: true,
      lines: [
        { path: "items[0]", variantId: V, stockLocationId: "a", reserved: 2, backordered: 3 },
        { path: "items[1]", variantId: W, stockLocationId: undefined, reserved: 0, backordered: 2 },
      ],
    });
  });

  const stockArb = fc
    .array(
      fc.record({
        variantId: fc.constantFrom(V, W),
        stockLocationId: fc.constantFrom("l1", "l2", "l3"),
        available: fc.integer({ min: 0, max: 20 }),
      }),
      { maxLength: 6 },
    )
    .map((entries) => {
      // One availability per variant and location, as the levels are.
      const seen = new Set<string>();
      return entries.filter((entry) => {
        const key = `${entry.variantId}/${entry.stockLocationId}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    });
  const linesArb = fc
    .array(fc.record({ variantId: fc.constantFrom(V, W), quantity: fc.integer({ min: 1, max: 15 }) }), {
      minLength: 1,
      maxLength: 6,
    })
    .map((demands) => demands.map((demand, index) => ({ ...demand, path: `items[${index}]` })));

  it("never reserves more than a location has, and reserved + backordered = ordered for every line", () => {
    fc.assert(
      fc.property(
        linesArb,
        stockArb,
        fc.constantFrom(undefined, "l1", "l2"),
        fc.constantFrom("refuse" as const, "backorder" as const),
        (lines, stock, preferred, policy) => {
          const outcome = allocateStock(lines, stock, preferred, policy);
          if (!outcome.ok) {
            expect(policy).toBe("refuse");
            expect(outcome.shortPaths.length).toBeGreaterThan(0);
            return;
          }
          outcome.lines.forEach((allocation, index) => {
            expect(allocation.reserved + allocation.backordered).toBe(lines[index]?.quantity);
            expect(allocation.reserved).toBeGreaterThanOrEqual(0);
            if (policy === "refuse") expect(allocation.backordered).toBe(0);
          });
          for (const entry of stock) {
            const taken = outcome.lines
              .filter((a) => a.variantId === entry.variantId && a.stockLocationId === entry.stockLocationId)
              .reduce((sum, a) => sum + a.reserved, 0);
            expect(taken).toBeLessThanOrEqual(entry.available);
          }
        },
      ),
    );
  });

  it("refuses only when the stock truly cannot serve a line from one location", () => {
    fc.assert(
      fc.property(linesArb, stockArb, (lines, stock) => {
        const backordered = allocateStock(lines, stock, undefined, "backorder");
        const refused = allocateStock(lines, stock, undefined, "refuse");
        const short = backordered.ok ? backordered.lines.filter((a) => a.backordered > 0).map((a) => a.path) : [];
        expect(refused.ok ? [] : refused.shortPaths).toEqual(short);
      }),
    );
  });
});
