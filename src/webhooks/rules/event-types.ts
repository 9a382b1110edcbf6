import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/**
 * The event types an endpoint may subscribe to: every order event and every catalog event the service
 * publishes (docs/events.md), by their CloudEvents type. Seed 003's "order.shipped" is order.fulfilled.
 */
export const WEBHOOK_EVENT_TYPES = [
  "order.created",
  "order.updated",
  "order.fulfilled",
  "order.delivered",
  "order.canceled",
  "order.paid",
  "order.refunded",
  "order.payment_voided",
  "order.held",
  "order.released",
  "order.return_requested",
  "order.return_received",
  "product.created",
  "product.updated",
  "product.archived",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Subscribes to every type, those added later included. */
export const EVERY_EVENT_TYPE = "*";

export function isWebhookEventType(type: string): type is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

/** Whether an endpoint subscribed to `subscribed` wants an event of type `eventType`. */
export function subscribesTo(subscribed: readonly string[], eventType: string): boolean {
  return subscribed.includes(EVERY_EVENT_TYPE) || subscribed.includes(eventType);
}

/**
 * The event types of an endpoint, checked (`field` is where the list is, e.g. "webhook_endpoint.event_types"):
 * at least one (REQUIRED), each a known type or "*" (UNKNOWN_EVENT_TYPE at `${field}[i]`). Uniqueness and
 * count are protovalidate's.
 */
export function eventTypeViolations(field: string, types: readonly string[]): FieldViolation[] {
  if (types.length === 0) return [fieldViolation(field, "REQUIRED", "must name at least one event type")];
  return types.flatMap((type, index) =>
    type === EVERY_EVENT_TYPE || isWebhookEventType(type)
      ? []
      : [
          fieldViolation(
            `${field}[${index}]`,
            "UNKNOWN_EVENT_TYPE",
            `"${type}" is not an event type; known: ${WEBHOOK_EVENT_TYPES.join(", ")}, or "*" for all`,
          ),
        ],
  );
}

/** Which mode's endpoints an event goes to: an order event to its order's mode, a catalog event to both. */
export type EventAudience = "live" | "test" | "both";

/**
 * The audience of an event read from a stream, from its subject: `orders.test.<tenant>.<event>` is a test
 * order's (docs/test-mode.md), any other `orders.` subject a live order's, and the catalog (shared by both
 * modes) speaks to both.
 */
export function audienceOfSubject(subject: string): EventAudience {
  if (subject.startsWith("orders.test.")) return "test";
  if (subject.startsWith("orders.")) return "live";
  return "both";
}

/** Whether an endpoint of mode `isTest` receives an event of `audience`. */
export function reaches(audience: EventAudience, isTest: boolean): boolean {
  return audience === "both" || (audience === "test") === isTest;
}
