import type { DescEnum } from "@bufbuild/protobuf";
import { OrderStatus, OrderStatusSchema, PaymentStatus, PaymentStatusSchema } from "../../gen/orders/v1/order_pb.js";
import type { LifecycleFailure } from "./rules/order-lifecycle.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { columnToEnum } from "./enum-columns.js";
import type { HoldRecord } from "./entities/json-types.js";
import type { LineAllocation, LineDemand } from "../inventory/public.js";
import { fieldViolation } from "../money/field-violation.js";

/** The errors of calls on an existing order, each with its stable ErrorInfo reason. */

/** Other tenants' orders look exactly like missing ones. */
export function orderNotFound(orderId: string): ServiceError {
  return new ServiceError("not_found", "ORDER_NOT_FOUND", `order ${orderId} was not found`, [], { orderId });
}

export function etagMismatch(orderId: string): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `order ${orderId} changed since the given etag was read; read it again`,
    [],
    {
      orderId,
    },
  );
}

/** FulfillOrder on a held order: why it is held and until when (RFC 3339), so the caller knows what to wait for. */
export function orderOnHold(order: { id: string; hold: HoldRecord | null | undefined }): ServiceError {
  const metadata: Record<string, string> = { holdReason: order.hold?.reason ?? "" };
  if (order.hold?.holdUntil !== undefined) metadata.holdUntil = order.hold.holdUntil;
  return new ServiceError(
    "failed_precondition",
    "ORDER_ON_HOLD",
    `order ${order.id} is on hold (${metadata.holdReason}); release it before fulfilling it`,
    [],
    metadata,
  );
}

/** DeliverOrder naming a fulfillment the order does not have. */
export function fulfillmentNotFound(orderId: string, fulfillmentId: string): ServiceError {
  return new ServiceError(
    "not_found",
    "FULFILLMENT_NOT_FOUND",
    `order ${orderId} has no fulfillment ${fulfillmentId}`,
    [],
    { orderId, fulfillmentId },
  );
}

/** DeliverOrder of a fulfillment that is delivered already. */
export function fulfillmentAlreadyDelivered(orderId: string, fulfillmentId: string): ServiceError {
  return new ServiceError(
    "failed_precondition",
    "FULFILLMENT_ALREADY_DELIVERED",
    `fulfillment ${fulfillmentId} of order ${orderId} is delivered already`,
    [],
    { fulfillmentId },
  );
}

/** DeliverOrder of every undelivered fulfillment when there is none. */
export function nothingToDeliver(orderId: string): ServiceError {
  return new ServiceError(
    "failed_precondition",
    "NOTHING_TO_DELIVER",
    `order ${orderId} has no fulfillment that is not delivered yet`,
    [],
    { orderId },
  );
}

/** ReceiveReturn naming a return the order does not have. */
export function returnNotFound(orderId: string, returnId: string): ServiceError {
  return new ServiceError("not_found", "RETURN_NOT_FOUND", `order ${orderId} has no return ${returnId}`, [], {
    orderId,
    returnId,
  });
}

/** ReceiveReturn of a return received already (and refunded). */
export function returnAlreadyReceived(orderId: string, returnId: string): ServiceError {
  return new ServiceError(
    "failed_precondition",
    "RETURN_ALREADY_RECEIVED",
    `return ${returnId} of order ${orderId} is received already`,
    [],
    { returnId },
  );
}

/** The order's statuses by their full contract names ("ORDER_STATUS_FULFILLED"), as JSON clients see them. */
export function currentStatusMetadata(order: { status: string; paymentStatus: string }): Record<string, string> {
  return {
    currentStatus: protoName(OrderStatusSchema, columnToEnum(OrderStatus, order.status)),
    currentPaymentStatus: protoName(PaymentStatusSchema, columnToEnum(PaymentStatus, order.paymentStatus)),
  };
}

function protoName(schema: DescEnum, value: number): string {
  const name = schema.value[value]?.name;
  if (name === undefined) throw new Error(`${schema.typeName} has no value ${value}`);
  return name;
}

/** Turns a refused lifecycle change into the error the contract documents for it. */
export function lifecycleError(
  failure: LifecycleFailure,
  order: { id: string; status: string; paymentStatus: string },
  action: string,
): ServiceError {
  switch (failure.kind) {
    case "invalid_transition":
      return new ServiceError(
        "failed_precondition",
        "INVALID_TRANSITION",
        `cannot ${action} order ${order.id} in status ${order.status}, payment status ${order.paymentStatus}`,
        [],
        currentStatusMetadata(order),
      );
    case "invalid_amount":
      return ServiceError.invalidArgument(failure.violations);
    case "payment_exceeds_balance":
      return new ServiceError(
        "failed_precondition",
        "PAYMENT_EXCEEDS_BALANCE",
        `the payment is more than the balance of ${failure.balance} still due`,
        [],
        { balance: failure.balance },
      );
    case "refund_exceeds_paid":
      return new ServiceError(
        "failed_precondition",
        "REFUND_EXCEEDS_PAID",
        `the refund is more than the ${failure.refundable} paid and not yet refunded`,
        [],
        { refundable: failure.refundable },
      );
    case "payment_not_found":
      return new ServiceError(
        "not_found",
        "PAYMENT_NOT_FOUND",
        `order ${order.id} has no payment ${failure.paymentId}`,
        [],
        { orderId: order.id, paymentId: failure.paymentId },
      );
    case "payment_not_authorized":
      return new ServiceError(
        "failed_precondition",
        "PAYMENT_NOT_AUTHORIZED",
        `cannot ${action} order ${order.id}: payment ${failure.paymentId} is ${failure.paymentState}, not authorized`,
        [],
        { paymentId: failure.paymentId, paymentState: failure.paymentState },
      );
  }
}

/** An order_number the request gives that another order of the tenant already has. */
export function orderNumberTaken(orderNumber: string): ServiceError {
  return new ServiceError("already_exists", "ORDER_NUMBER_TAKEN", `order number ${orderNumber} is already used`, [], {
    orderNumber,
  });
}

/** OUT_OF_STOCK: CreateOrder refused under the "refuse" shortage policy: each short line, with what one location could give. */
export function outOfStock(
  shortPaths: readonly string[],
  demands: readonly LineDemand[],
  asBackorders: readonly LineAllocation[],
): ServiceError {
  const violations = shortPaths.map((path) => {
    const demand = demands.find((entry) => entry.path === path);
    const best = asBackorders.find((entry) => entry.path === path)?.reserved ?? 0;
    return fieldViolation(
      path,
      "OUT_OF_STOCK",
      `${demand?.quantity ?? 0} requested, at most ${best} available at one stock location`,
    );
  });
  return new ServiceError(
    "failed_precondition",
    "OUT_OF_STOCK",
    `not enough stock for ${shortPaths.join(", ")}`,
    violations,
    { lines: shortPaths.join(",") },
  );
}

/** OUT_OF_STOCK: FulfillOrder of units not reserved at the shipment's stock location and not available there. */
export function outOfStockToShip(shortPaths: readonly string[], stockLocationId: string): ServiceError {
  return new ServiceError(
    "failed_precondition",
    "OUT_OF_STOCK",
    `not enough stock to ship ${shortPaths.join(", ")}${stockLocationId ? ` from stock location ${stockLocationId}` : ""}`,
    shortPaths.map((path) => fieldViolation(path, "OUT_OF_STOCK", "not available at the stock location")),
    { stockLocationId, lines: shortPaths.join(",") },
  );
}
