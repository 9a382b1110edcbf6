import { create, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate, type FieldMask } from "@bufbuild/protobuf/wkt";
import type { EntityManager } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import {
  OrderCanceledSchema,
  OrderCreatedSchema,
  OrderDeliveredSchema,
  OrderFulfilledSchema,
  OrderHeldSchema,
  OrderPaidSchema,
  OrderPaymentVoidedSchema,
  OrderRefundedSchema,
  OrderReleasedSchema,
  OrderReturnReceivedSchema,
  OrderReturnRequestedSchema,
  OrderUpdatedSchema,
} from "../../gen/orders/v1/events_pb.js";
import type {
  OrderFulfillment,
  OrderHistoryEntry,
  OrderHold,
  OrderReturn,
  Order as OrderMessage,
} from "../../gen/orders/v1/order_pb.js";
import { writeOutboxEvent, type NewOutboxEventRow } from "../platform/outbox/outbox-store.js";
import { traceparentOf } from "../platform/tracing.js";
import { orderEventSubject } from "../platform/outbox/stream.js";

/** Events that record one status or payment change; their payload carries the history entry. */
export type OrderChangeEventType =
  | "order.fulfilled"
  | "order.delivered"
  | "order.canceled"
  | "order.paid"
  | "order.refunded"
  | "order.payment_voided"
  | "order.held"
  | "order.released"
  | "order.return_requested"
  | "order.return_received";

/**
 * What some change events carry besides the order and the history entry: order.released the hold that ended,
 * order.fulfilled the new fulfillment, order.delivered the fulfillments delivered, the return events the return.
 */
export interface ChangeDetails {
  hold?: OrderHold;
  fulfillment?: OrderFulfillment;
  fulfillments?: OrderFulfillment[];
  orderReturn?: OrderReturn;
}

/** What happened to the order, with what each kind of event carries besides the order itself. */
export type OrderEvent =
  | { type: "order.created" }
  | { type: OrderChangeEventType; change: OrderHistoryEntry; details?: ChangeDetails }
  | { type: "order.updated"; updateMask: FieldMask };

/**
 * Where every order event's outbox row is made: one row per change, written in the change's own
 * transaction, so the event exists exactly when the change does. Nothing is published here — the
 * relay (platform/outbox/outbox-relay.ts) does that after commit.
 *
 * The event's per-order sequence is the order's event_sequence, which the change has already
 * advanced (order.created is 1): the payload's `sequence`, the row's aggregate_sequence and the
 * `ce-sequence` header all carry it.
 */
export function orderEventRow(
  tenantId: string,
  order: OrderMessage,
  event: OrderEvent,
  occurredAt: Date,
): NewOutboxEventRow {
  const eventId = randomUUID();
  const common = { eventId, tenantId, occurTime: timestampFromDate(occurredAt), order, sequence: order.eventSequence };
  return {
    id: eventId,
    tenantId,
    aggregateType: "order",
    aggregateId: order.id,
    aggregateSequence: order.eventSequence,
    eventType: event.type,
    // A test order's events go apart, to orders.test.<tenant>.<event> (docs/test-mode.md).
    subject: orderEventSubject(tenantId, event.type, order.isTest ? "test" : "live"),
    payload: payloadOf(event, common),
    occurredAt,
    // Taken here, in the call's context, whichever statement later writes the row (docs/tracing.md).
    traceparent: traceparentOf(),
  };
}

/** The outbox row of a new order, inserted by the order's own statement (queries/insert-order.ts). */
export function orderCreatedEvent(tenantId: string, order: OrderMessage, occurredAt: Date): NewOutboxEventRow {
  return orderEventRow(tenantId, order, { type: "order.created" }, occurredAt);
}

/**
 * Writes the event of a change to an existing order in the unit of work's transaction `em`, and wakes
 * the relays on every replica once that transaction commits (platform/outbox/outbox-store.ts).
 */
export async function stageOrderEvent(
  em: EntityManager,
  tenantId: string,
  order: OrderMessage,
  event: OrderEvent,
  occurredAt: Date,
): Promise<void> {
  await writeOutboxEvent(em, orderEventRow(tenantId, order, event, occurredAt));
}

interface CommonFields {
  eventId: string;
  tenantId: string;
  occurTime: ReturnType<typeof timestampFromDate>;
  order: OrderMessage;
  sequence: number;
}

function payloadOf(event: OrderEvent, common: CommonFields): Uint8Array {
  switch (event.type) {
    case "order.created":
      return encode(OrderCreatedSchema, common);
    case "order.fulfilled":
      return encode(OrderFulfilledSchema, { ...common, change: event.change, fulfillment: event.details?.fulfillment });
    case "order.delivered":
      return encode(OrderDeliveredSchema, {
        ...common,
        change: event.change,
        fulfillments: event.details?.fulfillments ?? [],
      });
    case "order.canceled":
      return encode(OrderCanceledSchema, { ...common, change: event.change });
    case "order.paid":
      return encode(OrderPaidSchema, { ...common, change: event.change });
    case "order.refunded":
      return encode(OrderRefundedSchema, { ...common, change: event.change });
    case "order.payment_voided":
      return encode(OrderPaymentVoidedSchema, { ...common, change: event.change });
    case "order.held":
      return encode(OrderHeldSchema, { ...common, change: event.change });
    case "order.released":
      return encode(OrderReleasedSchema, { ...common, change: event.change, hold: event.details?.hold });
    case "order.return_requested":
      return encode(OrderReturnRequestedSchema, {
        ...common,
        change: event.change,
        orderReturn: event.details?.orderReturn,
      });
    case "order.return_received":
      return encode(OrderReturnReceivedSchema, {
        ...common,
        change: event.change,
        orderReturn: event.details?.orderReturn,
      });
    case "order.updated":
      return encode(OrderUpdatedSchema, { ...common, updateMask: event.updateMask });
  }
}

function encode<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): Uint8Array {
  return toBinary(schema, create(schema, init));
}
