import { audienceOfSubject, isWebhookEventType, reaches, subscribesTo, type WebhookEventType } from "./event-types.js";

/** An event as the dispatcher read it from a stream: what matching needs of it. */
export interface StreamEvent {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly tenantId: string;
  /** The NATS subject, which tells a test order's event from a live one's. */
  readonly subject: string;
  readonly time: Date;
}

/** An enabled endpoint, as matching sees it. */
export interface CandidateEndpoint {
  readonly id: string;
  readonly tenantId: string;
  readonly isTest: boolean;
  readonly eventTypes: readonly string[];
  readonly createdAt: Date;
}

/**
 * The endpoints an event is delivered to: the event's tenant's, subscribed to its type ("*" to all), of the
 * mode the event speaks to (a test order's event only to test endpoints, a live one's only to live endpoints,
 * a catalog event to both), and created before the event occurred (an endpoint never gets events from before
 * it existed, however late the dispatcher reads them).
 */
export function endpointsFor(event: StreamEvent, endpoints: readonly CandidateEndpoint[]): CandidateEndpoint[] {
  const audience = audienceOfSubject(event.subject);
  return endpoints.filter(
    (endpoint) =>
      endpoint.tenantId === event.tenantId &&
      subscribesTo(endpoint.eventTypes, event.type) &&
      reaches(audience, endpoint.isTest) &&
      endpoint.createdAt.getTime() <= event.time.getTime(),
  );
}

/**
 * The event a stream message carries, from its CloudEvents headers (platform/outbox/cloudevents.ts), or why it
 * is not one to deliver: a type no endpoint can subscribe to, or headers missing.
 */
export function streamEventOf(
  subject: string,
  headers: Readonly<Record<string, string>>,
): { ok: true; event: StreamEvent } | { ok: false; why: string } {
  const id = headers["ce-id"];
  const type = headers["ce-type"];
  const tenantId = headers["ce-tenantid"];
  const time = headers["ce-time"];
  if (id === undefined || type === undefined || tenantId === undefined || time === undefined) {
    return { ok: false, why: "CloudEvents headers missing" };
  }
  if (!isWebhookEventType(type)) return { ok: false, why: `event type ${type} is not delivered by webhooks` };
  const at = new Date(time);
  if (Number.isNaN(at.getTime())) return { ok: false, why: `ce-time ${time} is not a time` };
  return { ok: true, event: { id, type, tenantId, subject, time: at } };
}
