/**
 * One row of `outbox_events` as the relay reads it: an event that the order transaction committed and that still
 * has to reach JetStream. The id is the event id, the NATS `Nats-Msg-Id` and the CloudEvents `ce-id` at once, so a
 * re-publish of the same row is recognised as a duplicate by the stream.
 */
export interface OutboxEvent {
  readonly id: string;
  readonly tenantId: string;
  readonly aggregateId: string;
  /**
   * Position of the event among its order's events, from 1 (order.created) without gaps; becomes the
   * CloudEvents `ce-sequence` header. Null or absent for an event outside such a sequence.
   */
  readonly aggregateSequence?: number | null;
  /** e.g. "order.created" */
  readonly eventType: string;
  /** NATS subject written by the order transaction, e.g. "orders.<tenant_id>.created" */
  readonly subject: string;
  /** Binary protobuf, published byte for byte. */
  readonly payload: Uint8Array;
  readonly occurredAt: Date;
  /** Failed publish attempts so far. */
  readonly attempts: number;
  /** The W3C trace context of the call that wrote it, which the publish continues; null or absent when none. */
  readonly traceparent?: string | null;
}
