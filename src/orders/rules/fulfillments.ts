import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import type { FulfillmentLineRecord, OrderFulfillmentRecord, ReturnRecord } from "../entities/json-types.js";
import type { OrderStatusName, StatusFacts } from "./order-lifecycle.js";

/**
 * Partial fulfilment (issue 14 §3), as pure rules: which units of an order are fulfilled, which a FulfillOrder ships,
 * and the facts the status rules decide on (order-lifecycle.ts). No I/O, no clock.
 */

/** What the rules need of a line: its id and how many units it has. */
export interface UnitLine {
  id: string;
  quantity: number;
}

/** What the rules need of an order: its status, lines and fulfillments. */
export interface FulfilmentState {
  status: OrderStatusName;
  lines: readonly UnitLine[];
  fulfillments: readonly OrderFulfillmentRecord[];
  /** Absent: none. */
  returns?: readonly ReturnRecord[];
}

/** Statuses an order only reaches with every unit shipped. */
const SHIPPED: ReadonlySet<OrderStatusName> = new Set(["fulfilled", "delivered", "partially_returned", "returned"]);

/**
 * How many units of each line are fulfilled. An order fulfilled before fulfillments were kept (or imported fulfilled)
 * has none listed: every unit of it counts as fulfilled.
 */
export function fulfilledQuantities(state: FulfilmentState): Map<string, number> {
  const fulfilled = new Map(state.lines.map((line) => [line.id, 0]));
  if (state.fulfillments.length === 0 && SHIPPED.has(state.status)) {
    for (const line of state.lines) fulfilled.set(line.id, line.quantity);
    return fulfilled;
  }
  for (const fulfillment of state.fulfillments) {
    for (const { lineId, quantity } of fulfillment.lines)
      fulfilled.set(lineId, (fulfilled.get(lineId) ?? 0) + quantity);
  }
  return fulfilled;
}

/** The facts of an order's units and shipments, for the status rules. */
export function fulfilmentFacts(state: FulfilmentState): StatusFacts {
  const fulfilled = fulfilledQuantities(state);
  const units = state.lines.reduce((sum, line) => sum + line.quantity, 0);
  const shipped = [...fulfilled.values()].reduce((sum, quantity) => sum + quantity, 0);
  return {
    someFulfilled: shipped > 0,
    allFulfilled: shipped >= units,
    allDelivered: state.fulfillments.every((fulfillment) => fulfillment.deliverTime !== undefined),
    allReturned: everythingReturned(state, state.returns ?? []),
  };
}

/**
 * The units a FulfillOrder ships: those `requested` (each line once, at most what is left of it), or every unit left
 * when it names none. Violations name the request's fields (lines[i].line_id, lines[i].quantity).
 */
export function unitsToFulfil(
  state: FulfilmentState,
  requested: readonly { lineId: string; quantity: number }[],
): { ok: true; lines: FulfillmentLineRecord[] } | { ok: false; violations: FieldViolation[] } {
  const fulfilled = fulfilledQuantities(state);
  const left = (line: UnitLine) => line.quantity - (fulfilled.get(line.id) ?? 0);
  if (requested.length === 0) {
    const lines = state.lines
      .filter((line) => left(line) > 0)
      .map((line) => ({ lineId: line.id, quantity: left(line) }));
    return { ok: true, lines };
  }
  const violations: FieldViolation[] = [];
  const seen = new Set<string>();
  requested.forEach(({ lineId, quantity }, index) => {
    const line = state.lines.find((candidate) => candidate.id === lineId);
    if (!line) {
      violations.push(fieldViolation(`lines[${index}].line_id`, "LINE_NOT_FOUND", `the order has no line ${lineId}`));
    } else if (seen.has(lineId)) {
      violations.push(fieldViolation(`lines[${index}].line_id`, "DUPLICATE_LINE", "names a line named before"));
    } else if (quantity > left(line)) {
      violations.push(
        fieldViolation(
          `lines[${index}].quantity`,
          "QUANTITY_EXCEEDS_UNFULFILLED",
          `must be at most ${left(line)}, the units of this line not yet fulfilled`,
        ),
      );
    }
    seen.add(lineId);
  });
  if (violations.length > 0) return { ok: false, violations };
  return { ok: true, lines: requested.map(({ lineId, quantity }) => ({ lineId, quantity })) };
}

/** Whether every unit of the order came back: the received returns hold all of each line. */
function everythingReturned(state: FulfilmentState, returns: readonly ReturnRecord[]): boolean {
  const received = new Map<string, number>();
  for (const { state: returnState, lines } of returns) {
    if (returnState !== "RETURN_STATE_RECEIVED") continue;
    for (const { lineId, quantity } of lines) received.set(lineId, (received.get(lineId) ?? 0) + quantity);
  }
  return state.lines.every((line) => (received.get(line.id) ?? 0) >= line.quantity);
}
