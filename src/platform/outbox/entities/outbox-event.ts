import { defineEntity, p } from "@mikro-orm/core";
import { uuidPrimaryKey } from "../../database/entity-properties.js";

/**
 * `outbox_events`: an event written in the same transaction as the change it describes and
 * published to NATS by the relay after commit. `id` is also the NATS `Nats-Msg-Id` and the
 * CloudEvents `ce-id`, so a republish after a crash is deduplicated downstream.
 * `aggregate_sequence` numbers the events of one aggregate (order) from 1 without gaps, so consumers
 * can order them (the CloudEvents `ce-sequence` header); null for an event that is not part of such
 * a sequence. `traceparent` is the W3C trace context of the call that wrote it (null when it traced nothing): the
 * relay's publish span continues that trace (docs/tracing.md).
 */
export const OutboxEventSchema = defineEntity({
  name: "OutboxEvent",
  tableName: "outbox_events",
  properties: {
    ...uuidPrimaryKey,
    tenantId: p.uuid(),
    aggregateType: p.text(),
    aggregateId: p.uuid(),
    aggregateSequence: p.integer().nullable(),
    eventType: p.text(),
    subject: p.text(),
    payload: p.uint8array(),
    occurredAt: p.datetime(),
    publishedAt: p.datetime().nullable(),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().defaultRaw("now()"),
    lastError: p.text().nullable(),
    traceparent: p.text().nullable(),
  },
  indexes: [
    {
      // the relay's work queue: only unpublished rows, due first
      name: "outbox_events_unpublished_index",
      properties: ["nextAttemptAt", "occurredAt"],
      where: "published_at is null",
    },
  ],
});

export class OutboxEvent extends OutboxEventSchema.class {
  isPublished(): boolean {
    return this.publishedAt != null;
  }
}

OutboxEventSchema.setClass(OutboxEvent);
