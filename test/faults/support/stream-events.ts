import { fromBinary } from "@bufbuild/protobuf";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { OrderCreatedSchema } from "../../../gen/orders/v1/events_pb.js";
import { natsServers } from "../../../src/platform/config/config.js";
import { ORDERS_STREAM } from "../../../src/platform/outbox/stream.js";
import { countStored } from "../../support/stream-reader.js";
import type { OrderRow } from "./ledger.js";
import { scaled } from "./slowness.js";

/** One order.created message as JetStream stored it. */
export interface StreamedEvent {
  seq: number;
  orderId: string;
  /** Nats-Msg-Id, which is the outbox row id. */
  eventId: string;
}

/**
 * Every order.created message of a tenant in the ORDERS stream, read with an ordered consumer. `natsUrl` is one
 * server or a cluster's comma-separated seed list, as NATS_URL.
 */
export async function readOrderEvents(
  natsUrl: string,
  tenantId: string,
  timeoutMs = scaled(30_000),
): Promise<StreamedEvent[]> {
  const nc = await connect({ servers: natsServers(natsUrl) });
  try {
    const filter = `orders.${tenantId}.created`;
    const expected = await countStored(nc, filter);
    const events: StreamedEvent[] = [];
    if (expected === 0) return events;
    const consumer = await jetstream(nc).consumers.get(ORDERS_STREAM, { filter_subjects: filter });
    const messages = await consumer.consume({ max_messages: 1000 });
    const timer = setTimeout(
      () => messages.stop(new Error(`read ${events.length} of ${expected} events in ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      for await (const message of messages) {
        const order = fromBinary(OrderCreatedSchema, message.data).order;
        events.push({ seq: message.seq, orderId: order?.id ?? "", eventId: message.headers?.get("Nats-Msg-Id") ?? "" });
        if (events.length === expected) break;
      }
    } finally {
      clearTimeout(timer);
    }
    if (events.length !== expected) throw new Error(`read ${events.length} of ${expected} stored events`);
    return events;
  } finally {
    await nc.close();
  }
}

/** How the stream compares with the committed orders: exactly once means all three lists are empty. */
export interface Delivery {
  committed: number;
  inStream: number;
  /** Committed orders with no event in the stream. */
  missing: string[];
  /** Orders with more than one event in the stream. */
  duplicated: string[];
  /** Events for orders the database does not hold. */
  unknown: string[];
}

export function compareDelivery(orders: readonly OrderRow[], events: readonly StreamedEvent[]): Delivery {
  const perOrder = new Map<string, number>();
  for (const event of events) perOrder.set(event.orderId, (perOrder.get(event.orderId) ?? 0) + 1);
  const committed = new Set(orders.map((o) => o.id));
  return {
    committed: orders.length,
    inStream: events.length,
    missing: orders.filter((o) => !perOrder.has(o.id)).map((o) => o.id),
    duplicated: [...perOrder].filter(([, n]) => n > 1).map(([id]) => id),
    unknown: [...perOrder.keys()].filter((id) => !committed.has(id)),
  };
}
