import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { EntityManager } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import { OrderCreatedSchema } from "../../gen/orders/v1/events_pb.js";
import type { Order as OrderMessage } from "../../gen/orders/v1/order_pb.js";
import { orderEventSubject } from "../events/stream.js";
import { OutboxEvent } from "../persistence/entities/outbox-event.js";

/**
 * Where the outbox row is written: staged in the order's own unit of work, so
 * the event exists exactly when the order does. Nothing is published here —
 * the relay (events/outbox-relay.ts) does that after commit.
 */
export function stageOrderCreated(em: EntityManager, tenantId: string, order: OrderMessage, occurredAt: Date): OutboxEvent {
  const eventId = randomUUID();
  const payload = create(OrderCreatedSchema, {
    eventId,
    tenantId,
    occurTime: timestampFromDate(occurredAt),
    order,
  });
  return em.create(OutboxEvent, {
    id: eventId,
    tenantId,
    aggregateType: "order",
    aggregateId: order.id,
    eventType: "order.created",
    subject: orderEventSubject(tenantId, "order.created"),
    payload: toBinary(OrderCreatedSchema, payload),
    occurredAt,
    nextAttemptAt: occurredAt,
  });
}

/** Wakes relays on every replica once the transaction commits (NOTIFY is delivered on commit only). */
export async function notifyOutbox(em: EntityManager): Promise<void> {
  await em.execute("select pg_notify('orderspine_outbox', '')");
}
