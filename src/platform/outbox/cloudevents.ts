import { headers, type MsgHdrs } from "@nats-io/transport-node";
import type { OutboxEvent } from "./outbox-event.js";

export const DEFAULT_EVENT_SOURCE = "orderspine";

/** int32 sequences have at most 10 digits; padded to that, string order is numeric order. */
const SEQUENCE_DIGITS = 10;

/**
 * NATS headers for an outbox event in CloudEvents 1.0 binary content mode (NATS protocol binding): the payload stays
 * raw protobuf bytes and the event attributes travel as `ce-*` headers, so consumers can route and filter without
 * decoding the body. `Nats-Msg-Id` is the event id, which lets JetStream drop a re-publish of the same row.
 * `traceparent` is the publish span's (or, when this replica does not trace, the one stored with the row).
 */
export function cloudEventHeaders(
  event: OutboxEvent,
  source: string = DEFAULT_EVENT_SOURCE,
  traceparent: string | null = event.traceparent ?? null,
): MsgHdrs {
  const h = headers();
  h.set("Nats-Msg-Id", event.id);
  h.set("ce-specversion", "1.0");
  h.set("ce-id", event.id);
  h.set("ce-type", event.eventType);
  h.set("ce-source", source);
  h.set("ce-subject", event.aggregateId);
  h.set("ce-time", event.occurredAt.toISOString());
  // CloudEvents extension attribute names are lower-case alphanumerics only, hence "tenantid".
  h.set("ce-tenantid", event.tenantId);
  // The CloudEvents sequence extension asks for a lexicographically orderable string, which a bare
  // number is not ("10" < "9"), hence the leading zeros.
  if (event.aggregateSequence != null) {
    h.set("ce-sequence", String(event.aggregateSequence).padStart(SEQUENCE_DIGITS, "0"));
  }
  // The trace the event belongs to (docs/tracing.md): as the W3C header a NATS-aware tracer reads, and as the
  // CloudEvents Distributed Tracing extension, which travels with the event wherever it is forwarded.
  if (traceparent !== null) {
    h.set("traceparent", traceparent);
    h.set("ce-traceparent", traceparent);
  }
  h.set("content-type", "application/protobuf");
  return h;
}
