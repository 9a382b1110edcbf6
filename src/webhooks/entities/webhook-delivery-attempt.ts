import { defineEntity, p } from "@mikro-orm/core";
import { uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { WebhookDelivery } from "./webhook-delivery.js";

/**
 * `webhook_delivery_attempts`: one POST of a delivery, written with the delivery's new state in one
 * statement, never changed. `response_code` 0 is no answer; `response_body` the first 1024 bytes of
 * the answer (the worker reads at most 64 KiB). Deleted with its delivery.
 */
export const WebhookDeliveryAttemptSchema = defineEntity({
  name: "WebhookDeliveryAttempt",
  tableName: "webhook_delivery_attempts",
  properties: {
    ...uuidPrimaryKey,
    delivery: () => p.manyToOne(WebhookDelivery).deleteRule("cascade").index(false),
    attemptNumber: p.integer(),
    attemptedAt: p.datetime(),
    durationMs: p.integer(),
    responseCode: p.integer(),
    succeeded: p.boolean(),
    error: p.text(),
    responseBody: p.text(),
  },
  uniques: [
    {
      name: "webhook_delivery_attempts_delivery_id_attempt_number_unique",
      properties: ["delivery", "attemptNumber"],
    },
  ],
});

export class WebhookDeliveryAttempt extends WebhookDeliveryAttemptSchema.class {}

WebhookDeliveryAttemptSchema.setClass(WebhookDeliveryAttempt);
