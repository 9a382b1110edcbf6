import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { randomUUID } from "node:crypto";
import { OrderCreatedSchema } from "../../gen/orders/v1/events_pb.js";
import type { Order as OrderMessage } from "../../gen/orders/v1/order_pb.js";
import { orderEventSubject } from "../events/stream.js";
import type { NewOutboxEventRow } from "./order-insert.js";

/**
 * The outbox row of a new order: inserted by the order's own statement (order-insert.ts), so the
 * event exists exactly when the order does. Nothing is published here — the relay
 * (events/outbox-relay.ts) does that after commit.
 */
export function orderCreatedEvent(tenantId: string, order: OrderMessage, occurredAt: Date): NewOutboxEventRow {
  const eventId = randomUUID();
  const payload = create(OrderCreatedSchema, {
    eventId,
    tenantId,
    occurTime: timestampFromDate(occurredAt),
    order,
  });
  return {
    id: eventId,
    tenantId,
    aggregateType: "order",
    aggregateId: order.id,
    eventType: "order.created",
    subject: orderEventSubject(tenantId, "order.created"),
    payload: toBinary(OrderCreatedSchema, payload),
    occurredAt,
  };
}
