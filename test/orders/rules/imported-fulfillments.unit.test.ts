import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ImportedFulfillmentSchema, type ImportedFulfillment } from "../../../gen/orders/v1/orders_service_pb.js";
import {
  importedFulfillments,
  statusOfShipments,
  type ImportedFulfillmentsInput,
  type ImportLine,
} from "../../../src/orders/rules/imported-fulfillments.js";
import type { OrderStatusName } from "../../../src/orders/rules/order-lifecycle.js";

const lines: ImportLine[] = [
  { sku: "MUG", quantity: 3 },
  { sku: "CAP", quantity: 1 },
  { sku: "TEE", quantity: 2 },
  { sku: "TEE", quantity: 1 },
];
const placed = new Date("2022-11-08T19:33:50Z");
const now = new Date("2026-12-01T00:00:00Z");
const day = (n: number) => timestampFromDate(new Date(placed.getTime() + n * 86_400_000));

type LineRef = { lineIndex: number } | { sku: string };
function shipment(
  items: [LineRef, number][],
  extra: { ship?: number; deliver?: number; carrier?: string; trackingNumbers?: string[] } = {},
): ImportedFulfillment {
  return create(ImportedFulfillmentSchema, {
    lines: items.map(([ref, quantity]) => ({ ...ref, quantity })),
    carrier: extra.carrier ?? "UPS",
    trackingNumbers: extra.trackingNumbers ?? [],
    shipTime: day(extra.ship ?? 1),
    deliverTime: extra.deliver === undefined ? undefined : day(extra.deliver),
  });
}

const input = (
  status: OrderStatusName,
  fulfillments: ImportedFulfillment[],
  more: Partial<ImportedFulfillmentsInput> = {},
): ImportedFulfillmentsInput => ({ fulfillments, status, lines, placed, now, hasFulfillment: false, ...more });

const violationsOf = (result: ReturnType<typeof importedFulfillments>) =>
  result.ok ? [] : result.violations.map(({ field, reason }) => ({ field, reason }));

describe("importedFulfillments", () => {
  it("takes a partial shipment by SKU and by index, lines by position, times as dates", () => {
    const result = importedFulfillments(
      input("partially_fulfilled", [
        shipment(
          [
            [{ sku: "MUG" }, 2],
            [{ lineIndex: 2 }, 1],
          ],
          { trackingNumbers: ["1Z1", "1Z2"] },
        ),
      ]),
    );
    expect(result).toEqual({
      ok: true,
      shipments: [
        {
          lines: [
            { position: 0, quantity: 2 },
            { position: 2, quantity: 1 },
          ],
          carrier: "UPS",
          service: "",
          trackingNumbers: ["1Z1", "1Z2"],
          shipTime: new Date("2022-11-09T19:33:50Z"),
        },
      ],
    });
  });

  it("takes every unit shipped as fulfilled, and delivered once every shipment is delivered", () => {
    const all = (deliverSecond?: number) => [
      shipment(
        [
          [{ sku: "MUG" }, 3],
          [{ sku: "CAP" }, 1],
        ],
        { ship: 1, deliver: 2 },
      ),
      shipment(
        [
          [{ lineIndex: 2 }, 2],
          [{ lineIndex: 3 }, 1],
        ],
        { ship: 3, deliver: deliverSecond },
      ),
    ];
    expect(importedFulfillments(input("fulfilled", all())).ok).toBe(true);
    expect(importedFulfillments(input("delivered", all(4))).ok).toBe(true);
  });

  it("without shipments keeps the whole-order statuses as they were, and requires them for partially_fulfilled", () => {
    for (const status of ["placed", "fulfilled", "delivered", "canceled"] as const) {
      expect(importedFulfillments(input(status, []))).toEqual({ ok: true, shipments: [] });
    }
    expect(violationsOf(importedFulfillments(input("partially_fulfilled", [])))).toEqual([
      { field: "import_details.fulfillments", reason: "REQUIRED" },
    ]);
  });

  it.each([
    ["placed", "NOT_FULFILLED"],
    ["canceled", "NOT_FULFILLED"],
    ["on_hold", "NOT_FULFILLED"],
  ] as const)("refuses shipments with status %s", (status, reason) => {
    expect(violationsOf(importedFulfillments(input(status, [shipment([[{ sku: "MUG" }, 1]])])))).toEqual([
      { field: "import_details.fulfillments", reason },
    ]);
  });

  it("refuses shipments together with the single fulfillment", () => {
    const result = importedFulfillments(
      input("partially_fulfilled", [shipment([[{ sku: "MUG" }, 1]])], { hasFulfillment: true }),
    );
    expect(violationsOf(result)).toEqual([{ field: "import_details.fulfillment", reason: "FULFILLMENT_CONFLICT" }]);
  });

  it("refuses unknown, ambiguous and repeated lines at their exact paths", () => {
    const result = importedFulfillments(
      input("partially_fulfilled", [
        shipment([[{ sku: "MUG" }, 1]]),
        shipment([
          [{ lineIndex: 4 }, 1],
          [{ sku: "NOPE" }, 1],
          [{ sku: "TEE" }, 1],
          [{ lineIndex: 1 }, 1],
          [{ sku: "CAP" }, 1],
        ]),
      ]),
    );
    expect(violationsOf(result)).toEqual([
      { field: "import_details.fulfillments[1].lines[0].line_index", reason: "LINE_NOT_FOUND" },
      { field: "import_details.fulfillments[1].lines[1].sku", reason: "LINE_NOT_FOUND" },
      { field: "import_details.fulfillments[1].lines[2].sku", reason: "AMBIGUOUS_SKU" },
      { field: "import_details.fulfillments[1].lines[4].sku", reason: "DUPLICATE_LINE" },
    ]);
  });

  it("refuses more units of a line than earlier shipments left of it", () => {
    const result = importedFulfillments(
      input("partially_fulfilled", [shipment([[{ sku: "MUG" }, 2]]), shipment([[{ lineIndex: 0 }, 2]], { ship: 2 })]),
    );
    expect(result).toMatchObject({
      ok: false,
      violations: [
        {
          field: "import_details.fulfillments[1].lines[0].quantity",
          reason: "QUANTITY_EXCEEDS_UNFULFILLED",
          description: "must be at most 1, the units of this line not shipped by earlier shipments",
        },
      ],
    });
  });

  const everything = (deliver?: number) =>
    shipment(
      [
        [{ sku: "MUG" }, 3],
        [{ sku: "CAP" }, 1],
        [{ lineIndex: 2 }, 2],
        [{ lineIndex: 3 }, 1],
      ],
      { deliver },
    );
  it.each([
    ["partially_fulfilled", "fulfilled", [everything()]],
    ["partially_fulfilled", "delivered", [everything(2)]],
    ["fulfilled", "partially_fulfilled", [shipment([[{ sku: "CAP" }, 1]])]],
    ["fulfilled", "delivered", [everything(2)]],
    ["delivered", "fulfilled", [everything()]],
    ["delivered", "partially_fulfilled", [shipment([[{ sku: "MUG" }, 1]], { deliver: 2 })]],
  ] as const)("refuses status %s when the shipments make it %s", (status, expected, fulfillments) => {
    const result = importedFulfillments(input(status, [...fulfillments]));
    expect(violationsOf(result)).toEqual([{ field: "import_details.status", reason: "STATUS_MISMATCH" }]);
    const [violation] = result.ok ? [] : result.violations;
    expect(violation?.description.startsWith(`must be ${expected}: the shipments ship`)).toBe(true);
  });

  it("refuses times out of order, before placing, in the future, and a delivery before its shipment", () => {
    const future = timestampFromDate(new Date(now.getTime() + 3_600_000));
    const result = importedFulfillments(
      input("partially_fulfilled", [
        shipment([[{ sku: "MUG" }, 1]], { ship: 3 }),
        shipment([[{ sku: "MUG" }, 1]], { ship: 2, deliver: 1 }),
        shipment([[{ sku: "MUG" }, 1]], { ship: -1 }),
        create(ImportedFulfillmentSchema, { lines: [{ sku: "CAP", quantity: 1 }], shipTime: future }),
        create(ImportedFulfillmentSchema, { lines: [{ lineIndex: 2, quantity: 1 }] }),
      ]),
    );
    expect(violationsOf(result)).toEqual([
      { field: "import_details.fulfillments[1].ship_time", reason: "NOT_CHRONOLOGICAL" },
      { field: "import_details.fulfillments[1].deliver_time", reason: "BEFORE_SHIPMENT" },
      { field: "import_details.fulfillments[2].ship_time", reason: "BEFORE_PLACED" },
      { field: "import_details.fulfillments[2].ship_time", reason: "NOT_CHRONOLOGICAL" },
      { field: "import_details.fulfillments[3].ship_time", reason: "IN_FUTURE" },
      { field: "import_details.fulfillments[4].ship_time", reason: "REQUIRED" },
    ]);
  });
});

/** Random shipments of random lines: each line shipped at most its quantity, any of them delivered. */
const scenario = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }).chain((quantities) =>
  fc.record({
    quantities: fc.constant(quantities),
    shipments: fc.array(
      fc.record({
        shipped: fc.tuple(...quantities.map((q) => fc.integer({ min: 0, max: q }))),
        delivered: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
);

describe("importedFulfillments properties", () => {
  it("accepts exactly the one status the shipments lead to, and never ships more of a line than it has", () => {
    fc.assert(
      fc.property(scenario, ({ quantities, shipments }) => {
        const orderLines = quantities.map((quantity, position) => ({ sku: `S${position}`, quantity }));
        const fulfillments = shipments
          .map(({ shipped, delivered }, index) => ({
            items: shipped.flatMap((quantity, lineIndex): [LineRef, number][] =>
              quantity > 0 ? [[{ lineIndex }, quantity]] : [],
            ),
            options: { ship: index + 1, deliver: delivered ? index + 2 : undefined },
          }))
          .filter(({ items }) => items.length > 0)
          .map(({ items, options }) => shipment(items, options));
        const statuses = ["placed", "partially_fulfilled", "fulfilled", "delivered"] as const;
        const accepted = statuses.filter(
          (status) => importedFulfillments({ ...input(status, fulfillments), lines: orderLines }).ok,
        );
        const shippedOf = (position: number) =>
          fulfillments.reduce(
            (sum, f) => sum + f.lines.filter((l) => l.lineIndex === position).reduce((s, l) => s + l.quantity, 0),
            0,
          );
        const overshipped = quantities.some((quantity, position) => shippedOf(position) > quantity);
        if (overshipped || fulfillments.length === 0) {
          // Too many units are refused whatever the status; no shipment at all is importable only whole.
          expect(accepted.includes("partially_fulfilled")).toBe(false);
          if (overshipped) expect(accepted.filter((s) => s !== "placed")).toEqual([]);
          return;
        }
        const units = quantities.reduce((a, b) => a + b, 0);
        const shipped = quantities.reduce((sum, _, position) => sum + shippedOf(position), 0);
        const allDelivered = fulfillments.every((f) => f.deliverTime !== undefined);
        const expected = shipped < units ? "partially_fulfilled" : allDelivered ? "delivered" : "fulfilled";
        expect(accepted).toEqual([expected]);
      }),
    );
  });

  it("statusOfShipments: partially_fulfilled iff some but not all units shipped", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), (quantities) => {
        const orderLines = quantities.map((quantity) => ({ sku: "", quantity }));
        const one = { lines: [{ position: 0, quantity: 1 }], carrier: "", service: "", trackingNumbers: [] };
        const shipTime = new Date(0);
        const status = statusOfShipments(orderLines, [{ ...one, shipTime }]);
        const onlyUnit = quantities.length === 1 && quantities[0] === 1;
        expect(status).toBe(onlyUnit ? "fulfilled" : "partially_fulfilled");
        expect(statusOfShipments(orderLines, [])).toBe("placed");
      }),
    );
  });
});
