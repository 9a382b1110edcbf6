import type pg from "pg";
import { describeError, type EventsLogger } from "../platform/logging.js";
import type { StreamMessage } from "../platform/outbox/stream-consumer.js";
import { wellFormedTraceparent } from "../platform/tracing.js";
import { insertDeliveries, selectEnabledEndpoints, type NewDelivery } from "./queries.js";
import { endpointsFor, streamEventOf } from "./rules/dispatch.js";
import { audienceOfSubject } from "./rules/event-types.js";
import { eventBody } from "./rules/event-body.js";

export interface DispatcherOptions {
  readonly pool: () => Promise<pg.Pool>;
  readonly logger: EventsLogger;
  /** CloudEvents `source` when a message has no ce-source header. */
  readonly defaultSource: string;
  /** Called when deliveries were queued: wakes the delivery worker. */
  readonly onQueued: () => void;
}

/**
 * Turns a batch of stream messages into queued deliveries: one statement reads the enabled endpoints of the
 * batch's tenants, the rules pick each event's endpoints, one statement queues a delivery per (endpoint, event)
 * with ON CONFLICT DO NOTHING. The StreamConsumer acks the batch only after that committed, so a crash between
 * the two queues nothing twice and loses nothing. A message that is no event to deliver is skipped (acked).
 */
export function webhookDispatcher(options: DispatcherOptions): (messages: readonly StreamMessage[]) => Promise<void> {
  return async (messages) => {
    const events = messages.flatMap((message) => {
      const parsed = streamEventOf(message.subject, message.headers);
      return parsed.ok ? [{ message, event: parsed.event }] : [];
    });
    if (events.length === 0) return;
    const pool = await options.pool();
    const endpoints = await selectEnabledEndpoints(pool, [...new Set(events.map(({ event }) => event.tenantId))]);
    if (endpoints.length === 0) return;
    const deliveries: NewDelivery[] = [];
    for (const { message, event } of events) {
      const targets = endpointsFor(event, endpoints);
      if (targets.length === 0) continue;
      let body: string;
      try {
        body = eventBody(
          {
            id: event.id,
            type: event.type,
            source: message.headers["ce-source"] ?? options.defaultSource,
            subject: message.headers["ce-subject"] ?? "",
            time: message.headers["ce-time"] ?? event.time.toISOString(),
            tenantId: event.tenantId,
            sequence: message.headers["ce-sequence"],
            testmode: audienceOfSubject(message.subject) === "test",
          },
          message.data,
        );
      } catch (err) {
        // A payload that does not decode will not decode next time either: skip it rather than block the stream.
        options.logger.error({ err: describeError(err), eventId: event.id }, "event payload does not decode; skipped");
        continue;
      }
      for (const endpoint of targets) {
        deliveries.push({
          tenantId: event.tenantId,
          endpointId: endpoint.id,
          eventId: event.id,
          eventType: event.type,
          isTestEvent: false,
          eventTime: event.time,
          body,
          // The publish span's, which the delivery's attempts continue (docs/tracing.md).
          traceparent: wellFormedTraceparent(message.headers.traceparent),
        });
      }
    }
    const queued = await insertDeliveries(pool, deliveries, new Date());
    if (queued.length > 0) options.onQueued();
  };
}
