import { create } from "@bufbuild/protobuf";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import {
  FulfillmentSchema,
  FulfillmentLineSchema,
  OrderFulfillmentSchema,
  OrderHoldSchema,
  OrderReturnSchema,
  ReturnLineSchema,
  ReturnState,
  HistoryEntryKind,
  OrderHistoryEntrySchema,
  OrderStatus,
  PaymentStatus,
  type Fulfillment,
  type OrderFulfillment,
  type OrderHold,
  type OrderReturn,
  type OrderHistoryEntry as HistoryEntryMessage,
} from "../../gen/orders/v1/order_pb.js";
import type { FulfillmentRecord, HoldRecord, OrderFulfillmentRecord, ReturnRecord } from "./entities/json-types.js";
import type { OrderHistoryEntry } from "./entities/order-history-entry.js";
import { columnToEnum } from "./enum-columns.js";
import { wireTimestamp } from "./timestamps.js";

/** A history entry as historyEntryToMessage reads it: an entity, or a row about to be inserted. */
export type HistoryEntryView = Pick<
  OrderHistoryEntry,
  | "kind"
  | "fromStatus"
  | "toStatus"
  | "fromPaymentStatus"
  | "toPaymentStatus"
  | "amount"
  | "reason"
  | "apiKeyId"
  | "createdAt"
> &
  Partial<Pick<OrderHistoryEntry, "paymentMethod" | "gatewayReference">>;

/** `formatAmount` of the order's currency, so amounts read like the order's other amounts. */
export function historyEntryToMessage(entry: HistoryEntryView, amount: (value: string) => string): HistoryEntryMessage {
  const status = (column: string | null | undefined) =>
    column == null ? OrderStatus.UNSPECIFIED : columnToEnum(OrderStatus, column);
  const payment = (column: string | null | undefined) =>
    column == null ? PaymentStatus.UNSPECIFIED : columnToEnum(PaymentStatus, column);
  const isStatus = entry.kind === "status";
  return create(OrderHistoryEntrySchema, {
    kind: isStatus ? HistoryEntryKind.STATUS : HistoryEntryKind.PAYMENT,
    fromStatus: isStatus ? status(entry.fromStatus) : OrderStatus.UNSPECIFIED,
    toStatus: isStatus ? status(entry.toStatus) : OrderStatus.UNSPECIFIED,
    fromPaymentStatus: isStatus ? PaymentStatus.UNSPECIFIED : payment(entry.fromPaymentStatus),
    toPaymentStatus: isStatus ? PaymentStatus.UNSPECIFIED : payment(entry.toPaymentStatus),
    amount: entry.amount == null ? "" : amount(entry.amount),
    reason: entry.reason ?? "",
    paymentMethod: entry.paymentMethod ?? "",
    gatewayReference: entry.gatewayReference ?? "",
    apiKeyId: entry.apiKeyId ?? "",
    changeTime: wireTimestamp(entry.createdAt),
  });
}

/**
 * The stored shipment details (jsonb with RFC 3339 times, or the expanded years of Date.toISOString for
 * times an older version let in, like "0000-12-31T23:59:59.000Z") and the contract's Fulfillment.
 */
export function fulfillmentToMessage(record: FulfillmentRecord | null | undefined): Fulfillment | undefined {
  if (!record) return undefined;
  const time = (text: string | undefined) => (text === undefined ? undefined : wireTimestamp(new Date(text)));
  return create(FulfillmentSchema, {
    carrier: record.carrier ?? "",
    service: record.service ?? "",
    trackingNumber: record.trackingNumber ?? "",
    shipTime: time(record.shipTime),
    deliverTime: time(record.deliverTime),
  });
}

export function fulfillmentToRecord(fulfillment: {
  carrier: string;
  service: string;
  trackingNumber: string;
  shipTime?: Timestamp | Date;
  deliverTime?: Timestamp | Date;
}): FulfillmentRecord {
  const record: FulfillmentRecord = {};
  if (fulfillment.carrier !== "") record.carrier = fulfillment.carrier;
  if (fulfillment.service !== "") record.service = fulfillment.service;
  if (fulfillment.trackingNumber !== "") record.trackingNumber = fulfillment.trackingNumber;
  const iso = (time: Timestamp | Date) => (time instanceof Date ? time : timestampDate(time)).toISOString();
  if (fulfillment.shipTime) record.shipTime = iso(fulfillment.shipTime);
  if (fulfillment.deliverTime) record.deliverTime = iso(fulfillment.deliverTime);
  return record;
}

/** The stored hold (orders.hold) as the contract's OrderHold; absent when the order is not held. */
export function holdToMessage(record: HoldRecord | null | undefined): OrderHold | undefined {
  if (!record) return undefined;
  return create(OrderHoldSchema, {
    reason: record.reason,
    holdTime: wireTimestamp(new Date(record.holdTime)),
    holdUntil: record.holdUntil === undefined ? undefined : wireTimestamp(new Date(record.holdUntil)),
  });
}

/** A stored shipment (orders.fulfillments) as the contract's OrderFulfillment. */
export function orderFulfillmentToMessage(record: OrderFulfillmentRecord): OrderFulfillment {
  return create(OrderFulfillmentSchema, {
    id: record.id,
    lines: record.lines.map((line) => create(FulfillmentLineSchema, line)),
    stockLocationId: record.stockLocationId,
    carrier: record.carrier,
    service: record.service,
    trackingNumbers: [...record.trackingNumbers],
    shipTime: wireTimestamp(new Date(record.shipTime)),
    deliverTime: record.deliverTime === undefined ? undefined : wireTimestamp(new Date(record.deliverTime)),
  });
}

/** A stored return (orders.returns) as the contract's OrderReturn, amounts formatted by `amount` (the currency's). */
export function orderReturnToMessage(record: ReturnRecord, amount: (value: string) => string): OrderReturn {
  return create(OrderReturnSchema, {
    id: record.id,
    state: record.state === "RETURN_STATE_RECEIVED" ? ReturnState.RECEIVED : ReturnState.REQUESTED,
    lines: record.lines.map((line) =>
      create(ReturnLineSchema, {
        lineId: line.lineId,
        quantity: line.quantity,
        amount: amount(line.amount),
        restock: line.restock,
      }),
    ),
    reason: record.reason,
    refundShipping: record.refundShipping,
    shippingAmount: amount(record.shippingAmount),
    refundAmount: amount(record.refundAmount),
    refundedAmount: record.refundedAmount === undefined ? "" : amount(record.refundedAmount),
    requestTime: wireTimestamp(new Date(record.requestTime)),
    receiveTime: record.receiveTime === undefined ? undefined : wireTimestamp(new Date(record.receiveTime)),
  });
}
