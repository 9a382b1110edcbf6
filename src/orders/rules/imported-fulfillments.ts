import type { ImportedFulfillment } from "../../../gen/orders/v1/orders_service_pb.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { beforePlacedViolations, reportedTime } from "../client-times.js";
import type { OrderFulfillmentRecord } from "../entities/json-types.js";
import { fulfilmentFacts } from "./fulfillments.js";
import type { OrderStatusName } from "./order-lifecycle.js";

/**
 * The past shipments of an import (import_details.fulfillments), as pure rules: which lines and units they ship, and
 * whether the status the import states is the one FulfillOrder and DeliverOrder would have left the order in. No I/O,
 * no clock (`now` is given).
 */

/** What the rules need of an order line: its SKU (as resolved) and its quantity. */
export interface ImportLine {
  sku: string;
  quantity: number;
}

/** One shipment as it will be stored, its lines by position in the request's items (ids come with the rows). */
export interface ImportedShipment {
  lines: { position: number; quantity: number }[];
  carrier: string;
  service: string;
  trackingNumbers: string[];
  shipTime: Date;
  deliverTime?: Date;
}

export interface ImportedFulfillmentsInput {
  fulfillments: readonly ImportedFulfillment[];
  status: OrderStatusName;
  lines: readonly ImportLine[];
  /** When the order was placed; undefined when that is not known (an invalid placed_time). */
  placed: Date | undefined;
  now: Date;
  /** Whether import_details.fulfillment (the single shipment summary) is given too. */
  hasFulfillment: boolean;
}

/** The statuses an order with shipments can be imported in. */
const SHIPPING: ReadonlySet<OrderStatusName> = new Set(["partially_fulfilled", "fulfilled", "delivered"]);

const FIELD = "import_details.fulfillments";

/**
 * The shipments of an import, or the violations of the input (paths under import_details.fulfillments, or
 * import_details.status / import_details.fulfillment). Without shipments every status but partially_fulfilled stays
 * as before (a fulfilled order without shipments counts every unit as shipped, rules/fulfillments.ts).
 */
export function importedFulfillments(
  input: ImportedFulfillmentsInput,
): { ok: true; shipments: ImportedShipment[] } | { ok: false; violations: FieldViolation[] } {
  const { fulfillments, status } = input;
  if (fulfillments.length === 0) {
    if (status !== "partially_fulfilled") return { ok: true, shipments: [] };
    const required = "is required when the status is partially_fulfilled: the shipments say which units shipped";
    return { ok: false, violations: [fieldViolation(FIELD, "REQUIRED", required)] };
  }
  if (!SHIPPING.has(status)) {
    const notFulfilled = "is only allowed with status partially_fulfilled, fulfilled or delivered";
    return { ok: false, violations: [fieldViolation(FIELD, "NOT_FULFILLED", notFulfilled)] };
  }
  const violations: FieldViolation[] = [];
  if (input.hasFulfillment) {
    violations.push(
      fieldViolation(
        "import_details.fulfillment",
        "FULFILLMENT_CONFLICT",
        "must be absent when fulfillments are given: Order.fulfillment is then the first of them",
      ),
    );
  }
  const shipped = input.lines.map(() => 0);
  const shipments: ImportedShipment[] = [];
  let previousShip: Date | undefined;
  fulfillments.forEach((fulfillment, index) => {
    const at = `${FIELD}[${index}]`;
    const lines = shipmentLines(fulfillment, at, input.lines, shipped, violations);
    const times = shipmentTimes(fulfillment, at, input, previousShip);
    violations.push(...times.violations);
    if (times.shipTime) previousShip = times.shipTime;
    if (!times.shipTime) return;
    shipments.push({
      lines,
      carrier: fulfillment.carrier,
      service: fulfillment.service,
      trackingNumbers: [...fulfillment.trackingNumbers],
      shipTime: times.shipTime,
      ...(times.deliverTime ? { deliverTime: times.deliverTime } : {}),
    });
  });
  if (violations.length > 0) return { ok: false, violations };
  const expected = statusOfShipments(input.lines, shipments);
  if (expected !== status) {
    return {
      ok: false,
      violations: [
        fieldViolation(
          "import_details.status",
          "STATUS_MISMATCH",
          `must be ${expected}: ${coverage(input.lines, shipments)}`,
        ),
      ],
    };
  }
  return { ok: true, shipments };
}

/**
 * The status FulfillOrder and DeliverOrder leave an order with these shipments in (the same facts they decide on,
 * rules/fulfillments.ts): partially_fulfilled while some units are left, fulfilled once none is, delivered once every
 * shipment is delivered too.
 */
export function statusOfShipments(
  lines: readonly ImportLine[],
  shipments: readonly ImportedShipment[],
): OrderStatusName {
  const facts = fulfilmentFacts({
    status: "placed",
    lines: lines.map((line, position) => ({ id: String(position), quantity: line.quantity })),
    fulfillments: shipments.map((shipment, index) => shipmentRecord(shipment, String(index), String)),
  });
  if (!facts.allFulfilled) return facts.someFulfilled ? "partially_fulfilled" : "placed";
  return facts.allDelivered ? "delivered" : "fulfilled";
}

/** A shipment as stored (orders.fulfillments), its lines' ids by `lineId(position)`; no stock location. */
export function shipmentRecord(
  shipment: ImportedShipment,
  id: string,
  lineId: (position: number) => string,
): OrderFulfillmentRecord {
  return {
    id,
    lines: shipment.lines.map(({ position, quantity }) => ({ lineId: lineId(position), quantity })),
    stockLocationId: "",
    carrier: shipment.carrier,
    service: shipment.service,
    trackingNumbers: [...shipment.trackingNumbers],
    shipTime: shipment.shipTime.toISOString(),
    ...(shipment.deliverTime ? { deliverTime: shipment.deliverTime.toISOString() } : {}),
  };
}

/** The lines of one shipment by position; `shipped` counts the units of each line shipped so far. */
function shipmentLines(
  fulfillment: ImportedFulfillment,
  at: string,
  lines: readonly ImportLine[],
  shipped: number[],
  violations: FieldViolation[],
): ImportedShipment["lines"] {
  const seen = new Set<number>();
  const result: ImportedShipment["lines"] = [];
  fulfillment.lines.forEach((line, index) => {
    const byIndex = line.lineIndex !== undefined;
    const path = `${at}.lines[${index}].${byIndex ? "line_index" : "sku"}`;
    const found = byIndex ? lineByIndex(line.lineIndex ?? -1, lines) : lineBySku(line.sku, lines);
    if (typeof found === "string") {
      violations.push(fieldViolation(path, found, refusal(found, byIndex)));
      return;
    }
    if (seen.has(found)) {
      violations.push(fieldViolation(path, "DUPLICATE_LINE", "names a line this shipment named before"));
      return;
    }
    seen.add(found);
    const left = (lines[found]?.quantity ?? 0) - (shipped[found] ?? 0);
    if (line.quantity > left) {
      violations.push(
        fieldViolation(
          `${at}.lines[${index}].quantity`,
          "QUANTITY_EXCEEDS_UNFULFILLED",
          `must be at most ${left}, the units of this line not shipped by earlier shipments`,
        ),
      );
      return;
    }
    shipped[found] = (shipped[found] ?? 0) + line.quantity;
    result.push({ position: found, quantity: line.quantity });
  });
  return result;
}

function lineByIndex(index: number, lines: readonly ImportLine[]): number | "LINE_NOT_FOUND" {
  return index >= 0 && index < lines.length ? index : "LINE_NOT_FOUND";
}

function lineBySku(sku: string, lines: readonly ImportLine[]): number | "LINE_NOT_FOUND" | "AMBIGUOUS_SKU" {
  const positions = lines.flatMap((line, position) => (line.sku === sku ? [position] : []));
  if (positions.length === 0) return "LINE_NOT_FOUND";
  if (positions.length > 1) return "AMBIGUOUS_SKU";
  return positions[0] ?? "LINE_NOT_FOUND";
}

function refusal(reason: "LINE_NOT_FOUND" | "AMBIGUOUS_SKU", byIndex: boolean): string {
  if (reason === "AMBIGUOUS_SKU") return "several lines have this SKU: name the line by line_index";
  return byIndex ? "is not the position of an item of the order" : "no line of the order has this SKU";
}

/** A shipment's times: valid reported times, not before the order was placed, shipped in order, delivered after. */
function shipmentTimes(
  fulfillment: ImportedFulfillment,
  at: string,
  input: ImportedFulfillmentsInput,
  previousShip: Date | undefined,
): { shipTime?: Date; deliverTime?: Date; violations: FieldViolation[] } {
  const shipField = `${at}.ship_time`;
  const deliverField = `${at}.deliver_time`;
  if (!fulfillment.shipTime) return { violations: [fieldViolation(shipField, "REQUIRED", "value is required")] };
  const ship = reportedTime(shipField, fulfillment.shipTime, input.now);
  const deliver = reportedTime(deliverField, fulfillment.deliverTime, input.now);
  const invalid = [...ship.violations, ...deliver.violations];
  if (invalid.length > 0 || !ship.date) return { violations: invalid };
  const violations = input.placed ? beforePlacedViolations(shipField, ship.date, input.placed) : [];
  if (previousShip && ship.date < previousShip) {
    violations.push(
      fieldViolation(shipField, "NOT_CHRONOLOGICAL", "must not be before the previous shipment's ship_time"),
    );
  }
  if (deliver.date && deliver.date < ship.date) {
    violations.push(fieldViolation(deliverField, "BEFORE_SHIPMENT", "must not be before ship_time"));
  }
  return { shipTime: ship.date, deliverTime: deliver.date, violations };
}

/** What the shipments cover, in words, for the status mismatch. */
function coverage(lines: readonly ImportLine[], shipments: readonly ImportedShipment[]): string {
  const units = lines.reduce((sum, line) => sum + line.quantity, 0);
  const shipped = shipments.reduce((sum, shipment) => sum + shipment.lines.reduce((s, l) => s + l.quantity, 0), 0);
  const delivered = shipments.filter((shipment) => shipment.deliverTime).length;
  return `the shipments ship ${shipped} of ${units} units, ${delivered} of ${shipments.length} delivered`;
}
