import { describe, expect, it } from "vitest";
import { cloudEventHeaders } from "../../../src/platform/outbox/cloudevents.js";
import type { OutboxEvent } from "../../../src/platform/outbox/outbox-event.js";

const event: OutboxEvent = {
  id: "0f8e2c55-6c1d-4e55-9a57-1b8f6c1f0b11",
  tenantId: "6f0c7a5e-3a7f-4bb4-9d0e-55c1a2c7d001",
  aggregateId: "a3c1e8f2-2d4b-4f5e-8a9b-0c1d2e3f4a5b",
  eventType: "order.created",
  subject: "orders.6f0c7a5e-3a7f-4bb4-9d0e-55c1a2c7d001.created",
  payload: new Uint8Array([1, 2, 3]),
  occurredAt: new Date("2026-03-04T05:06:07.089Z"),
  attempts: 0,
};

describe("cloudEventHeaders", () => {
  it("carries the CloudEvents attributes and the dedupe id", () => {
    const h = cloudEventHeaders(event);
    expect(Object.fromEntries([...h].map(([key, values]) => [key, values]))).toEqual({
      "Nats-Msg-Id": [event.id],
      "ce-specversion": ["1.0"],
      "ce-id": [event.id],
      "ce-type": ["order.created"],
      "ce-source": ["orderspine"],
      "ce-subject": [event.aggregateId],
      "ce-time": ["2026-03-04T05:06:07.089Z"],
      "ce-tenantid": [event.tenantId],
      "content-type": ["application/protobuf"],
    });
  });

  it("adds ce-sequence, zero-padded so that string order is numeric order, when the event has one", () => {
    expect(cloudEventHeaders({ ...event, aggregateSequence: 1 }).get("ce-sequence")).toBe("0000000001");
    const nine = cloudEventHeaders({ ...event, aggregateSequence: 9 }).get("ce-sequence");
    const ten = cloudEventHeaders({ ...event, aggregateSequence: 10 }).get("ce-sequence");
    expect(nine < ten).toBe(true);
    expect(cloudEventHeaders({ ...event, aggregateSequence: 2147483647 }).get("ce-sequence")).toBe("2147483647");
    expect(cloudEventHeaders({ ...event, aggregateSequence: null }).has("ce-sequence")).toBe(false);
  });

  it("carries the event's trace as the traceparent header and the CloudEvents traceparent extension", () => {
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const stored = cloudEventHeaders({ ...event, traceparent });
    expect([stored.get("traceparent"), stored.get("ce-traceparent")]).toEqual([traceparent, traceparent]);
    // The publish span's own context, when the relay traces, replaces the stored one.
    const publish = "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01";
    const published = cloudEventHeaders({ ...event, traceparent }, "orderspine", publish);
    expect([published.get("traceparent"), published.get("ce-traceparent")]).toEqual([publish, publish]);
    expect(cloudEventHeaders({ ...event, traceparent: null }).has("traceparent")).toBe(false);
    expect(cloudEventHeaders(event).has("ce-traceparent")).toBe(false);
  });

  it("uses the configured source", () => {
    expect(cloudEventHeaders(event, "orderspine-eu").get("ce-source")).toBe("orderspine-eu");
  });
});
