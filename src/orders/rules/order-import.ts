import { randomUUID } from "node:crypto";
import { Channel, OrderStatus, PaymentStatus } from "../../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequest, OrderImport } from "../../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../../platform/auth/principal.js";
import { roleSatisfies } from "../../platform/auth/roles.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { ZERO, formatAmount, fractionDigits, isCanonicalAmount, parseAmount, type Decimal } from "../../money/money.js";
import { orderStatusName, paymentStatusName, type OrderStatusName, type PaymentStatusName } from "./order-lifecycle.js";
import type { PricedOrder } from "./checkout-rows.js";
import type { FulfillmentRecord } from "../entities/json-types.js";
import { ServiceError } from "../../platform/transport/service-error.js";
import { beforePlacedViolations, reportedTime } from "../client-times.js";
import { enumToColumn } from "../enum-columns.js";
import { fulfillmentToRecord } from "../history-mapper.js";
import type { NewHistoryEntryRow } from "../queries/insert-order.js";
import { importedFulfillments, type ImportLine, type ImportedShipment } from "./imported-fulfillments.js";

/**
 * The import rules: CreateOrder with channel CHANNEL_IMPORT brings in an order from another system,
 * optionally in the state it had there (import_details). Every other order starts placed and unpaid.
 */

/** The reason recorded on the history entries of an imported state. */
export const IMPORT_REASON = "import";

/** A history entry of the initial state, before it gets its id, position, key and time. */
export interface InitialHistoryEntry {
  kind: "status" | "payment";
  fromStatus: null;
  toStatus: OrderStatusName | null;
  fromPaymentStatus: null;
  toPaymentStatus: PaymentStatusName | null;
  amount: null;
  reason: string;
}

/** The state an order is created in, as stored. */
export interface InitialState {
  status: OrderStatusName;
  paymentStatus: PaymentStatusName;
  paidTotal: string;
  refundedTotal: string;
  fulfillment: FulfillmentRecord | null;
  /** An import's past shipments (rules/imported-fulfillments.ts), lines by position; none for other orders. */
  fulfillments: ImportedShipment[];
  placedAt: Date | null;
  history: InitialHistoryEntry[];
}

const PLACED_AND_UNPAID: Readonly<InitialState> = {
  status: "placed",
  paymentStatus: "unpaid",
  paidTotal: "0",
  refundedTotal: "0",
  fulfillment: null,
  fulfillments: [],
  placedAt: null,
  history: [],
};

/**
 * An import writes history and states no other call could reach, so it needs an admin key even
 * without import_details. Checked before any other work, like the method's own role.
 */
export function assertMayImport(principal: Principal, request: CreateOrderRequest): void {
  if (request.channel !== Channel.IMPORT || roleSatisfies(principal.role, "admin")) return;
  throw new ServiceError(
    "permission_denied",
    "ROLE_REQUIRED",
    "importing orders (channel CHANNEL_IMPORT) needs the admin role",
    [],
    {
      requiredRole: "admin",
      role: principal.role,
    },
  );
}

export type InitialStateResult = { ok: true; state: InitialState } | { ok: false; violations: FieldViolation[] };

/**
 * The state a new order starts in: placed and unpaid, or what import_details says. Pure; `now`
 * bounds placed_time. Totals were computed from the lines (`priced`); stated totals only confirm them. Shipments
 * name the order's `lines` (their resolved SKUs and quantities, in the request's order).
 */
export function initialOrderState(
  request: CreateOrderRequest,
  channel: Channel,
  priced: PricedOrder,
  now: Date,
  lines: readonly ImportLine[],
): InitialStateResult {
  const details = request.importDetails;
  if (!details) return { ok: true, state: { ...PLACED_AND_UNPAID, fulfillments: [], history: [] } };
  if (channel !== Channel.IMPORT) {
    return {
      ok: false,
      violations: [
        fieldViolation(
          "import_details",
          "IMPORT_ONLY",
          "only orders with channel CHANNEL_IMPORT can start in an imported state",
        ),
      ],
    };
  }
  const violations: FieldViolation[] = [];
  const field = (name: string) => `import_details.${name}`;
  const status =
    details.status === OrderStatus.UNSPECIFIED ? "placed" : orderStatusName(enumToColumn(OrderStatus, details.status));
  const paymentStatus =
    details.paymentStatus === PaymentStatus.UNSPECIFIED
      ? "unpaid"
      : paymentStatusName(enumToColumn(PaymentStatus, details.paymentStatus));

  // A hold needs its reason and end (Order.hold), a return which units (Order.returns), neither of which an import
  // states yet: import the order in a whole state, then change it. Shipments it states (import_details.fulfillments).
  if (NOT_IMPORTABLE.has(status)) {
    violations.push(
      fieldViolation(field("status"), "STATUS_NOT_IMPORTABLE", `an order cannot be imported in status ${status}`),
    );
  }
  const placed = reportedTime(field("placed_time"), details.placedTime, now);
  violations.push(...placed.violations);
  const placedAt = placed.date ?? null;

  const amount = (name: string, text: string | undefined) =>
    readAmount(field(name), text, priced.minorUnits, violations);
  const total = parseAmount(priced.total);
  const paid = amount("paid_total", details.paidTotal);
  const refunded = amount("refunded_total", details.refundedTotal);
  const totals = paymentTotals(paymentStatus, total, paid, refunded, violations);

  // Shipment and delivery are checked against the placed time only when that is a valid one.
  const placedOrNow = !details.placedTime ? now : placed.violations.length === 0 ? placed.date : undefined;
  violations.push(...fulfillmentViolations(details, status, placedOrNow, now));
  const shipments = importedFulfillments({
    fulfillments: details.fulfillments,
    status,
    lines,
    placed: placedOrNow,
    now,
    hasFulfillment: details.fulfillment !== undefined,
  });
  if (!shipments.ok) violations.push(...shipments.violations);
  violations.push(...statedTotalViolations(details, priced));
  if (violations.length > 0 || !totals || !shipments.ok) return { ok: false, violations };

  const history: InitialHistoryEntry[] = [];
  const entry = { fromStatus: null, fromPaymentStatus: null, amount: null, reason: IMPORT_REASON } as const;
  if (status !== "placed") history.push({ ...entry, kind: "status", toStatus: status, toPaymentStatus: null });
  if (paymentStatus !== "unpaid")
    history.push({ ...entry, kind: "payment", toStatus: null, toPaymentStatus: paymentStatus });
  return {
    ok: true,
    state: {
      status,
      paymentStatus,
      paidTotal: formatAmount(totals.paid, priced.minorUnits),
      refundedTotal: formatAmount(totals.refunded, priced.minorUnits),
      fulfillment: summaryOf(status, details, shipments.shipments),
      fulfillments: shipments.shipments,
      placedAt,
      history,
    },
  };
}

/** The history rows of an initial state, attributed to the key that created the order. */
export function initialHistoryRows(state: InitialState, apiKeyId: string, now: Date): NewHistoryEntryRow[] {
  return state.history.map((entry, position) => ({
    id: randomUUID(),
    position,
    ...entry,
    paymentMethod: null,
    gatewayReference: null,
    apiKeyId,
    createdAt: now,
  }));
}

const emptyFulfillment = { carrier: "", service: "", trackingNumber: "" };

/**
 * Order.fulfillment of an import: with shipments the first one's carrier, service, first tracking number and ship
 * time (as FulfillOrder keeps it), and the last delivery once the order is delivered (as DeliverOrder does); without,
 * what import_details.fulfillment says. A fulfilled order always has shipment details, if only empty ones.
 */
function summaryOf(
  status: OrderStatusName,
  details: OrderImport,
  shipments: readonly ImportedShipment[],
): FulfillmentRecord | null {
  const [first] = shipments;
  if (first) {
    const deliveries = shipments.flatMap((shipment) => (shipment.deliverTime ? [shipment.deliverTime.getTime()] : []));
    return fulfillmentToRecord({
      carrier: first.carrier,
      service: first.service,
      trackingNumber: first.trackingNumbers[0] ?? "",
      shipTime: first.shipTime,
      deliverTime: status === "delivered" ? new Date(Math.max(...deliveries)) : undefined,
    });
  }
  return status === "fulfilled" || status === "delivered"
    ? fulfillmentToRecord(details.fulfillment ?? emptyFulfillment)
    : null;
}

/** A stated amount: undefined when absent; invalid ones are reported and read as undefined too. */
function readAmount(
  field: string,
  text: string | undefined,
  minorUnits: number,
  violations: FieldViolation[],
): Decimal | undefined {
  if (text === undefined) return undefined;
  if (!isCanonicalAmount(text)) {
    violations.push(fieldViolation(field, "INVALID_DECIMAL", "must be a decimal string such as 12.50"));
    return undefined;
  }
  if (fractionDigits(text) > minorUnits) {
    violations.push(
      fieldViolation(
        field,
        "TOO_MANY_FRACTION_DIGITS",
        `must have at most ${minorUnits} fraction digits in this currency`,
      ),
    );
    return undefined;
  }
  return parseAmount(text);
}

const NOT_IMPORTABLE: ReadonlySet<OrderStatusName> = new Set(["on_hold", "partially_returned", "returned"]);

/**
 * paid_total and refunded_total that agree with the payment status, with the defaults the contract
 * documents; undefined (with violations) when they do not.
 */
function paymentTotals(
  paymentStatus: PaymentStatusName,
  total: Decimal,
  paid: Decimal | undefined,
  refunded: Decimal | undefined,
  violations: FieldViolation[],
): { paid: Decimal; refunded: Decimal } | undefined {
  const before = violations.length;
  const refuse = (name: string, reason: string, description: string) =>
    violations.push(fieldViolation(`import_details.${name}`, reason, description));
  const zeroOrAbsent = (name: string, value: Decimal | undefined) => {
    if (value && !value.isZero())
      refuse(name, "AMOUNT_NOT_ALLOWED", `must be absent or 0 when the payment status is ${paymentStatus}`);
  };

  let paidTotal = paid ?? ZERO;
  let refundedTotal = refunded ?? ZERO;
  switch (paymentStatus) {
    case "unpaid":
      zeroOrAbsent("paid_total", paid);
      zeroOrAbsent("refunded_total", refunded);
      break;
    case "partially_paid":
      if (!paid) refuse("paid_total", "REQUIRED", "is required when the payment status is partially_paid");
      else if (paid.isZero() || !paid.lessThan(total))
        refuse("paid_total", "OUT_OF_RANGE", "must be more than 0 and less than the total");
      zeroOrAbsent("refunded_total", refunded);
      break;
    case "paid":
      paidTotal = paid ?? total;
      if (!paidTotal.equals(total))
        refuse("paid_total", "OUT_OF_RANGE", "must equal the total when the payment status is paid");
      zeroOrAbsent("refunded_total", refunded);
      break;
    case "partially_refunded":
    case "refunded":
      paidTotal = paid ?? total;
      if (paidTotal.isZero() || paidTotal.greaterThan(total))
        refuse("paid_total", "OUT_OF_RANGE", "must be more than 0 and at most the total");
      if (paymentStatus === "refunded") {
        refundedTotal = refunded ?? paidTotal;
        if (!refundedTotal.equals(paidTotal))
          refuse("refunded_total", "OUT_OF_RANGE", "must equal paid_total when the payment status is refunded");
      } else if (!refunded) {
        refuse("refunded_total", "REQUIRED", "is required when the payment status is partially_refunded");
      } else if (refunded.isZero() || !refunded.lessThan(paidTotal)) {
        refuse("refunded_total", "OUT_OF_RANGE", "must be more than 0 and less than paid_total");
      }
      break;
    case "authorized":
      // An import carries no payments, so nothing would be authorized to capture or void.
      refuse(
        "payment_status",
        "PAYMENT_STATUS_NOT_IMPORTABLE",
        "cannot be authorized: an import carries no authorized payment to capture",
      );
      break;
  }
  return violations.length === before ? { paid: paidTotal, refunded: refundedTotal } : undefined;
}

/**
 * The shipment details of an import: only on a fulfilled (ship time) or delivered order, times as
 * every reported time (client-times.ts), none before the order was placed (`placed`; undefined when
 * that is not known), and the shipment not after the delivery.
 */
function fulfillmentViolations(
  details: OrderImport,
  status: OrderStatusName,
  placed: Date | undefined,
  now: Date,
): FieldViolation[] {
  const fulfillment = details.fulfillment;
  if (!fulfillment) return [];
  if (status !== "fulfilled" && status !== "delivered") {
    return [
      fieldViolation(
        "import_details.fulfillment",
        "NOT_FULFILLED",
        "is only allowed with status fulfilled or delivered",
      ),
    ];
  }
  if (status === "fulfilled" && fulfillment.deliverTime) {
    return [
      fieldViolation(
        "import_details.fulfillment.deliver_time",
        "NOT_DELIVERED",
        "is only allowed with status delivered",
      ),
    ];
  }
  const shipField = "import_details.fulfillment.ship_time";
  const deliverField = "import_details.fulfillment.deliver_time";
  const ship = reportedTime(shipField, fulfillment.shipTime, now);
  const deliver = reportedTime(deliverField, fulfillment.deliverTime, now);
  const times = [...ship.violations, ...deliver.violations];
  if (times.length > 0) return times;
  if (placed) {
    const early = [
      ...beforePlacedViolations(shipField, ship.date, placed),
      ...beforePlacedViolations(deliverField, deliver.date, placed),
    ];
    if (early.length > 0) return early;
  }
  if (ship.date && deliver.date && ship.date > deliver.date) {
    return [fieldViolation(shipField, "AFTER_DELIVERY", "must not be after deliver_time")];
  }
  return [];
}

/** Totals the other system states must be the ones computed from the lines, compared as decimals. */
function statedTotalViolations(details: OrderImport, priced: PricedOrder): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const check = (name: string, stated: string | undefined, computed: string) => {
    if (stated === undefined) return;
    if (!isCanonicalAmount(stated) || !parseAmount(stated).equals(parseAmount(computed))) {
      violations.push(
        fieldViolation(
          `import_details.${name}`,
          "TOTAL_MISMATCH",
          `states ${stated}, but the lines add up to ${computed}`,
        ),
      );
    }
  };
  check("expected_subtotal", details.expectedSubtotal, priced.subtotal);
  check("expected_total", details.expectedTotal, priced.total);
  return violations;
}
