import { jetstream, jetstreamManager, JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { ORDERS_STREAM } from "../../src/platform/outbox/stream.js";

export interface StoredEvent {
  readonly subject: string;
  readonly seq: number;
  readonly data: Uint8Array;
  readonly headers: Record<string, string>;
}

/** Number of messages in the stream (ORDERS unless named) on subjects matching `filter` (0 while there is no stream). */
export async function countStored(nc: NatsConnection, filter: string, stream = ORDERS_STREAM): Promise<number> {
  const jsm = await jetstreamManager(nc);
  try {
    const info = await jsm.streams.info(stream, { subjects_filter: filter });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return 0;
    throw err;
  }
}

/** Every message in the stream (ORDERS unless named) on subjects matching `filter`, read with an ordered consumer. */
export async function readStored(nc: NatsConnection, filter: string, stream = ORDERS_STREAM): Promise<StoredEvent[]> {
  const expected = await countStored(nc, filter, stream);
  const stored: StoredEvent[] = [];
  if (expected === 0) return stored;
  const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: filter });
  const messages = await consumer.fetch({ max_messages: expected, expires: 5000 });
  for await (const message of messages) {
    const headers: Record<string, string> = {};
    for (const [key, values] of message.headers ?? []) headers[key] = values.join(",");
    stored.push({ subject: message.subject, seq: message.seq, data: message.data, headers });
    if (stored.length === expected) break;
  }
  return stored;
}
