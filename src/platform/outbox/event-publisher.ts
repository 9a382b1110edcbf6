import { jetstream, jetstreamManager, type JetStreamClient } from "@nats-io/jetstream";
import { SpanKind } from "@opentelemetry/api";
import type { NatsConnection } from "@nats-io/transport-node";
import { cloudEventHeaders } from "./cloudevents.js";
import { describeError } from "../logging.js";
import type { OutboxEvent } from "./outbox-event.js";
import { contextOfTraceparent, inSpan, outgoingTraceparent } from "../tracing.js";
import { ensureStream, ORDERS_STREAM_DEFINITION, type OrdersStreamOptions, type StreamDefinition } from "./stream.js";

export type PublishOutcome =
  | { readonly event: OutboxEvent; readonly acked: true }
  | { readonly event: OutboxEvent; readonly acked: false; readonly error: string };

export interface EventPublisherOptions {
  /** Returns the NATS connection while it is usable, null otherwise. */
  readonly nats: () => NatsConnection | null;
  readonly source: string;
  /** How long to wait for each publish ack. */
  readonly timeoutMs: number;
  readonly stream?: OrdersStreamOptions;
  /** Every stream the events go to; ORDERS alone when not given. */
  readonly streams?: readonly StreamDefinition[];
}

/**
 * Publishes outbox events to JetStream and reports, per event, whether the stream acknowledged it. It makes sure
 * its streams (ORDERS, and any other the application hands it) exist on every new connection (NATS may have come up empty after an outage) and again after a
 * failed batch (someone may have deleted it), so waiting events never depend on a manual step.
 */
export class EventPublisher {
  readonly #options: EventPublisherOptions;
  #readyFor: NatsConnection | null = null;
  #js: JetStreamClient | null = null;

  constructor(options: EventPublisherOptions) {
    this.#options = options;
  }

  async publishAll(events: readonly OutboxEvent[]): Promise<PublishOutcome[]> {
    let js: JetStreamClient;
    try {
      js = await this.#client();
    } catch (err) {
      return events.map((event) => ({ event, acked: false, error: describeError(err) }));
    }
    const { source, timeoutMs } = this.#options;
    const outcomes = await Promise.all(
      events.map(async (event): Promise<PublishOutcome> => {
        try {
          await publishSpan(event, async (traceparent) => {
            await js.publish(event.subject, event.payload, {
              msgID: event.id,
              headers: cloudEventHeaders(event, source, traceparent),
              timeout: timeoutMs,
            });
          });
          return { event, acked: true };
        } catch (err) {
          return { event, acked: false, error: describeError(err) };
        }
      }),
    );
    if (outcomes.some((outcome) => !outcome.acked)) this.#readyFor = null;
    return outcomes;
  }

  /**
   * Makes sure the stream exists for the current connection even before the first event, so a
   * consumer can subscribe to ORDERS as soon as the service is up. False while NATS is unusable.
   */
  async prepare(): Promise<boolean> {
    try {
      await this.#client();
      return true;
    } catch {
      return false;
    }
  }

  async #client(): Promise<JetStreamClient> {
    const nc = this.#options.nats();
    if (nc === null) throw new Error("NATS is not connected");
    if (this.#readyFor !== nc || this.#js === null) {
      const jsm = await jetstreamManager(nc, { timeout: this.#options.timeoutMs });
      for (const stream of this.#options.streams ?? [ORDERS_STREAM_DEFINITION]) {
        await ensureStream(jsm, stream, this.#options.stream);
      }
      this.#js = jetstream(nc, { timeout: this.#options.timeoutMs });
      this.#readyFor = nc;
    }
    return this.#js;
  }
}

/**
 * A publish as a PRODUCER span (messaging conventions) in the trace of the call that wrote the event, which the
 * message carries on as its traceparent; a root span for an event written outside any trace.
 */
function publishSpan(event: OutboxEvent, publish: (traceparent: string | null) => Promise<void>): Promise<void> {
  const inherited = event.traceparent ?? null;
  return inSpan(`publish ${event.eventType}`, (span) => publish(outgoingTraceparent(span, inherited)), {
    kind: SpanKind.PRODUCER,
    parent: contextOfTraceparent(inherited),
    attributes: {
      "messaging.system": "nats",
      "messaging.operation.name": "publish",
      "messaging.operation.type": "send",
      "messaging.destination.name": event.subject,
      "messaging.message.id": event.id,
      "cloudevents.event_id": event.id,
      "cloudevents.event_type": event.eventType,
    },
  });
}
