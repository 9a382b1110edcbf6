import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrderFulfillmentRecord } from "../../../src/orders/entities/json-types.js";
import {
  fulfilledQuantities,
  fulfilmentFacts,
  unitsToFulfil,
  type FulfilmentState,
} from "../../../src/orders/rules/fulfillments.js";

const lines = [
  { id: "a", quantity: 3 },
  { id: "b", quantity: 1 },
];

function shipment(items: [string, number][], delivered = false): OrderFulfillmentRecord {
  return {
    id: `f-${items.map(([id, n]) => `${id}${n}`).join("")}`,
    lines: items.map(([lineId, quantity]) => ({ lineId, quantity })),
    stockLocationId: "",
    carrier: "",
    service: "",
    trackingNumbers: [],
    shipTime: "2026-12-01T00:00:00.000Z",
    ...(delivered ? { deliverTime: "2026-12-02T00:00:00.000Z" } : {}),
  };
}

const state = (fulfillments: OrderFulfillmentRecord[], status: FulfilmentState["status"] = "placed") => ({
  status,
  lines,
  fulfillments,
});

describe("unitsToFulfil", () => {
  it("without lines ships every unit left", () => {
    expect(unitsToFulfil(state([shipment([["a", 1]])]), [])).toEqual({
      ok: true,
      lines: [
        { lineId: "a", quantity: 2 },
        { lineId: "b", quantity: 1 },
      ],
    });
  });

  it("ships what is named, at most what is left", () => {
    expect(unitsToFulfil(state([shipment([["a", 1]])]), [{ lineId: "a", quantity: 2 }])).toEqual({
      ok: true,
      lines: [{ lineId: "a", quantity: 2 }],
    });
  });

  it("refuses more than is left, an unknown line and a line named twice, each at its field", () => {
    const result = unitsToFulfil(state([shipment([["a", 2]])]), [
      { lineId: "a", quantity: 2 },
      { lineId: "x", quantity: 1 },
      { lineId: "b", quantity: 1 },
      { lineId: "b", quantity: 1 },
    ]);
    expect(result).toMatchObject({
      ok: false,
      violations: [
        { field: "lines[0].quantity", reason: "QUANTITY_EXCEEDS_UNFULFILLED" },
        { field: "lines[1].line_id", reason: "LINE_NOT_FOUND" },
        { field: "lines[3].line_id", reason: "DUPLICATE_LINE" },
      ],
    });
  });
});

describe("fulfilmentFacts", () => {
  it("nothing shipped, some shipped, everything shipped and delivered", () => {
    expect(fulfilmentFacts(state([]))).toEqual({
      someFulfilled: false,
      allFulfilled: false,
      allDelivered: true,
      allReturned: false,
    });
    expect(fulfilmentFacts(state([shipment([["a", 1]], true)]))).toEqual({
      someFulfilled: true,
      allFulfilled: false,
      allDelivered: true,
      allReturned: false,
    });
    expect(fulfilmentFacts(state([shipment([["a", 3]], true), shipment([["b", 1]])]))).toEqual({
      someFulfilled: true,
      allFulfilled: true,
      allDelivered: false,
      allReturned: false,
    });
  });

  it("an order fulfilled before fulfillments were kept has every unit fulfilled", () => {
    expect(fulfilledQuantities(state([], "fulfilled"))).toEqual(
      new Map([
        ["a", 3],
        ["b", 1],
      ]),
    );
    expect(fulfilmentFacts(state([], "delivered"))).toMatchObject({ allFulfilled: true, allDelivered: true });
  });

  it("shipping what is asked, again and again, never ships a unit twice and ends with everything shipped", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(4), fc.nat(4)), { maxLength: 8 }), (steps) => {
        let fulfillments: OrderFulfillmentRecord[] = [];
        for (const [useA, a, b] of steps) {
          const request = [
            ...(useA && a > 0 ? [{ lineId: "a", quantity: a }] : []),
            ...(b > 0 ? [{ lineId: "b", quantity: b }] : []),
          ];
          const result = unitsToFulfil(state(fulfillments), request);
          if (result.ok && result.lines.length > 0)
            fulfillments = [...fulfillments, shipment(result.lines.map((l) => [l.lineId, l.quantity]))];
        }
        const shipped = fulfilledQuantities(state(fulfillments));
        expect(shipped.get("a")).toBeLessThanOrEqual(3);
        expect(shipped.get("b")).toBeLessThanOrEqual(1);
        const rest = unitsToFulfil(state(fulfillments), []);
        if (!rest.ok) throw new Error("the rest is always shippable");
        const all = [...fulfillments, shipment(rest.lines.map((l) => [l.lineId, l.quantity]))];
        expect(fulfilmentFacts(state(all)).allFulfilled).toBe(true);
        expect(unitsToFulfil(state(all), [])).toEqual({ ok: true, lines: [] });
      }),
    );
  });
});
