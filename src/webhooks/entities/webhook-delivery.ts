import { defineEntity, p } from "@mikro-orm/core";
import { timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { WebhookEndpoint } from "./webhook-endpoint.js";

/** Where a delivery stands: `pending` until an attempt succeeds or the worker gives up. */
export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type WebhookDeliveryStatusName = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * `webhook_deliveries`: one event for one endpoint, queued once (unique per endpoint and event, so the
 * dispatcher reading an event twice inserts nothing the second time) with the exact `body` every
 * attempt signs and sends. The worker claims a due row (`next_attempt_at` passed, `lease_until` unset
 * or passed) with FOR UPDATE SKIP LOCKED and leases it for the length of one attempt, so two replicas
 * never send it at once; a replica that dies mid-attempt leaves a lease that simply runs out.
 * Deleted with its endpoint. `traceparent` is the published message's trace context (docs/tracing.md), which
 * each attempt's span continues; null for an event that carried none.
 */
export const WebhookDeliverySchema = defineEntity({
  name: "WebhookDelivery",
  tableName: "webhook_deliveries",
  properties: {
    ...uuidPrimaryKey,
    tenantId: p.uuid(),
    endpoint: () => p.manyToOne(WebhookEndpoint).deleteRule("cascade").index(false),
    eventId: p.uuid(),
    eventType: p.text(),
    isTestEvent: p.boolean(),
    eventTime: p.datetime(),
    body: p.text(),
    status: p.text(),
    attemptCount: p.integer(),
    nextAttemptAt: p.datetime().nullable(),
    leaseUntil: p.datetime().nullable(),
    traceparent: p.text().nullable(),
    ...timestamps,
  },
  checks: [{ name: "webhook_deliveries_status_check", expression: "status in ('pending', 'succeeded', 'failed')" }],
  uniques: [{ name: "webhook_deliveries_endpoint_id_event_id_unique", properties: ["endpoint", "eventId"] }],
  indexes: [
    // ListWebhookDeliveries: an endpoint's deliveries newest first, `id` breaking ties.
    {
      name: "webhook_deliveries_endpoint_id_created_at_id_index",
      expression:
        "create index webhook_deliveries_endpoint_id_created_at_id_index on webhook_deliveries (endpoint_id, created_at desc, id desc)",
    },
    // Housekeeping: the finished rows by their last change, the oldest deleted first.
    {
      name: "webhook_deliveries_finished_index",
      expression:
        "create index webhook_deliveries_finished_index on webhook_deliveries (updated_at) where status <> 'pending'",
    },
    // The worker's claim: the pending rows by due time, and nothing else.
    {
      name: "webhook_deliveries_due_index",
      expression:
        "create index webhook_deliveries_due_index on webhook_deliveries (next_attempt_at) where status = 'pending'",
    },
  ],
});

export class WebhookDelivery extends WebhookDeliverySchema.class {}

WebhookDeliverySchema.setClass(WebhookDelivery);
