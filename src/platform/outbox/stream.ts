import {
  JetStreamApiCodes,
  JetStreamApiError,
  StorageType,
  type JetStreamManager,
  type StreamInfo,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";

export const ORDERS_STREAM = "ORDERS";
export const ORDERS_SUBJECTS = "orders.>";

/**
 * A JetStream stream the relay publishes to: its name and the one subject wildcard it captures
 * (`<root>.>`). A capability whose events belong in a stream of their own declares it and src/app.ts
 * hands it to the relay, which makes sure it exists like ORDERS.
 */
export interface StreamDefinition {
  readonly name: string;
  readonly subjects: string;
}

export const ORDERS_STREAM_DEFINITION: StreamDefinition = { name: ORDERS_STREAM, subjects: ORDERS_SUBJECTS };

/**
 * JetStream drops a message whose `Nats-Msg-Id` it has seen within this window. The relay relies on that when a
 * publish reached the stream but the `published_at` update did not commit (crash, lost connection, publish timeout
 * after the server stored the message): the row is published again later and must be recognised as a duplicate.
 * So the window must be longer than the longest gap between two attempts of one row — the relay's backoff cap
 * (30 s by default) plus the time a crashed relay needs to come back. One hour covers restarts and deploys with a
 * wide margin while keeping the server's dedupe table small.
 */
export const DEFAULT_DUPLICATE_WINDOW_MS = 60 * 60 * 1000;

export interface OrdersStreamOptions {
  /** Milliseconds; see DEFAULT_DUPLICATE_WINDOW_MS for why it must exceed the relay's retry horizon. */
  readonly duplicateWindowMs?: number;
  /**
   * How many servers of a NATS cluster keep a copy (STREAM_REPLICAS; 1 by default, what a single server
   * allows). At least this many: a stream with fewer is raised to it, one with more is left as an operator made
   * it, so a replica started with the default never shrinks an R3 stream.
   */
  readonly replicas?: number;
}

const EVENT_TYPE_PREFIX = "order.";
// A subject token must not be empty and must not contain wildcards, separators or whitespace.
const SUBJECT_TOKEN = /^[^\s.*>]+$/;

/** Whose order an event is about: a live order, or a test order (placed with an `sk_test_` key). */
export type OrderEventMode = "live" | "test";

/** The subject token that puts test orders' events apart; tenant ids are UUIDs, so no tenant is named so. */
export const TEST_MODE_TOKEN = "test";

/**
 * The subject an order event is published on, e.g. 'order.created' ->
 * - live order: `orders.<tenant_id>.created`
 * - test order: `orders.test.<tenant_id>.created`
 * The tenant comes first so a consumer can take one tenant (`orders.<tenant>.>`) or one kind of event across
 * tenants (`orders.*.created`); both, and `orders.*.*` (every live event), match three tokens, so none of them
 * receives a test order's event, which has four. `orders.test.>` takes the test events. An event's name is ONE
 * token (no dots), which is what keeps `orders.*.*` the whole live stream (docs/test-mode.md).
 */
export function orderEventSubject(tenantId: string, eventType: string, mode: OrderEventMode): string {
  if (!SUBJECT_TOKEN.test(tenantId)) {
    throw new Error(`tenant id ${JSON.stringify(tenantId)} cannot be a NATS subject token`);
  }
  if (tenantId === TEST_MODE_TOKEN) throw new Error(`tenant id "${TEST_MODE_TOKEN}" is the test mode's subject token`);
  const event = eventType.startsWith(EVENT_TYPE_PREFIX) ? eventType.slice(EVENT_TYPE_PREFIX.length) : "";
  if (!SUBJECT_TOKEN.test(event)) {
    throw new Error(`event type ${JSON.stringify(eventType)} is not of the form "order.<event>", <event> one token`);
  }
  return mode === "test" ? `orders.${TEST_MODE_TOKEN}.${tenantId}.${event}` : `orders.${tenantId}.${event}`;
}

/**
 * The subject of an event in a stream of `<root>.>`: `<root>.<tenant_id>.<event>`, e.g. ('catalog', t,
 * 'product.created') -> 'catalog.<t>.product.created'. The tenant comes first, as in orderEventSubject.
 */
export function streamEventSubject(root: string, tenantId: string, event: string): string {
  if (!SUBJECT_TOKEN.test(tenantId)) {
    throw new Error(`tenant id ${JSON.stringify(tenantId)} cannot be a NATS subject token`);
  }
  if (![root, ...event.split(".")].every((token) => SUBJECT_TOKEN.test(token))) {
    throw new Error(`${JSON.stringify(`${root}.<tenant>.${event}`)} is not a NATS subject of literal tokens`);
  }
  return `${root}.${tenantId}.${event}`;
}

/**
 * Creates the ORDERS stream if it is missing and brings its subjects, duplicate window and replicas back to what the
 * relay needs if someone changed them. Safe to call from several replicas at once and on every (re)connection.
 */
export function ensureOrdersStream(jsm: JetStreamManager, options: OrdersStreamOptions = {}): Promise<StreamInfo> {
  return ensureStream(jsm, ORDERS_STREAM_DEFINITION, options);
}

/** ensureOrdersStream for any stream the relay publishes to: the same storage, duplicate window and repairs. */
export async function ensureStream(
  jsm: JetStreamManager,
  stream: StreamDefinition,
  options: OrdersStreamOptions = {},
): Promise<StreamInfo> {
  const replicas = options.replicas ?? 1;
  const wanted = {
    subjects: [stream.subjects],
    duplicate_window: nanos(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
  };
  let current = await findStream(jsm, stream.name);
  if (current === null) {
    try {
      return await jsm.streams.add({
        name: stream.name,
        storage: StorageType.File,
        num_replicas: replicas,
        ...wanted,
      });
    } catch (err) {
      // Another replica may have created it between our lookup and our add; then check its config below.
      current = await findStream(jsm, stream.name);
      if (current === null) throw err;
    }
  }
  if (current.config.storage !== StorageType.File) {
    // JetStream cannot change the storage of an existing stream; moving the events is an operator's decision.
    throw new Error(`stream ${stream.name} uses ${current.config.storage} storage, expected file storage`);
  }
  const drifted =
    current.config.duplicate_window !== wanted.duplicate_window ||
    current.config.subjects.length !== 1 ||
    current.config.subjects[0] !== stream.subjects ||
    current.config.num_replicas < replicas;
  if (!drifted) return current;
  // The client merges this into the stream's current configuration; the copies are only ever raised here.
  return await jsm.streams.update(stream.name, {
    ...wanted,
    num_replicas: Math.max(current.config.num_replicas, replicas),
  });
}

async function findStream(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return null;
    throw err;
  }
}
