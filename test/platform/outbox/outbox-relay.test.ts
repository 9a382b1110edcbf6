import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { cloudEventHeaders } from "../../../src/platform/outbox/cloudevents.js";
import { OutboxRelay, type OutboxRelayOptions } from "../../../src/platform/outbox/outbox-relay.js";
import { ensureOrdersStream } from "../../../src/platform/outbox/stream.js";
import { ifSetUp } from "../../support/set-up.js";
import { insertOrderEvents, openSharedDatabase, outboxState, type TestDatabase } from "./support/outbox-database.js";
import { RecordingLogger } from "./support/recording-logger.js";
import { countStored, readStored } from "../../support/stream-reader.js";
import { waitFor } from "../../support/wait-for.js";

// The run's shared database and NATS server. Every test works on a fresh tenant and only looks at its rows and
// subjects. These relays may also publish other files' pending rows, exactly as a production replica would.
/** Lets a fresh relay connect, LISTEN and finish its start-up batches, so what follows is woken by the test. */
const settle = (): Promise<void> => sleep(300);

describe("OutboxRelay", () => {
  let db: TestDatabase;
  let nc: NatsConnection;
  const relays: OutboxRelay[] = [];

  const startRelay = (options: Partial<OutboxRelayOptions> = {}): OutboxRelay => {
    const relay = new OutboxRelay({ databaseUrl: db.url, nats: () => nc, logger: new RecordingLogger(), ...options });
    relays.push(relay);
    relay.start();
    return relay;
  };

  beforeAll(async () => {
    db = openSharedDatabase();
    nc = await connect({ servers: inject("natsUrl") });
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  });

  afterAll(async () => {
    await ifSetUp(nc)?.drain();
    await ifSetUp(db)?.close();
  });

  it("publishes committed events within a second, with CloudEvents headers and the payload bytes intact", async () => {
    const tenantId = randomUUID();
    // Polling is off in effect, so only the commit's pg_notify can wake the relay.
    const relay = startRelay({ pollIntervalMs: 60_000 });
    await settle();

    const started = Date.now();
    const events = await insertOrderEvents(db.pool, tenantId, 3);
    await waitFor("3 stored events", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 3, 1500);
    expect(Date.now() - started).toBeLessThan(1500);

    const stored = await readStored(nc, `orders.${tenantId}.>`);
    expect(stored.map((message) => message.headers["ce-id"])).toEqual(events.map((event) => event.id));
    for (const [index, event] of events.entries()) {
      const message = stored[index];
      expect(message?.subject).toBe(`orders.${tenantId}.created`);
      expect(Buffer.from(message?.data ?? [])).toEqual(event.payload);
      expect(message?.headers).toEqual({
        "Nats-Msg-Id": event.id,
        "ce-specversion": "1.0",
        "ce-id": event.id,
        "ce-type": "order.created",
        "ce-source": "orderspine",
        "ce-subject": event.orderId,
        "ce-time": event.occurredAt.toISOString(),
        "ce-tenantid": tenantId,
        "content-type": "application/protobuf",
      });
    }
    const rows = await outboxState(db.pool, tenantId);
    expect(rows.every((row) => row.published && row.attempts === 0 && row.lastError === null)).toBe(true);
    expect(await relay.pendingCount(tenantId)).toBe(0);
  });

  it("publishes on wake() when no notification arrives", async () => {
    const tenantId = randomUUID();
    const relay = startRelay({ pollIntervalMs: 60_000 });
    await settle();
    await insertOrderEvents(db.pool, tenantId, 2, false);
    expect(await relay.pendingCount(tenantId)).toBe(2);

    relay.wake();
    await waitFor("2 stored events", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 2, 1500);
  });

  it("falls back to polling when a notification is lost", async () => {
    const tenantId = randomUUID();
    startRelay({ pollIntervalMs: 200 });
    await insertOrderEvents(db.pool, tenantId, 2, false);
    await waitFor("2 stored events", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 2, 2000);
  });

  it("keeps going while batches are full", async () => {
    const tenantId = randomUUID();
    const relay = startRelay({ batchSize: 10, pollIntervalMs: 60_000 });
    await settle();
    await insertOrderEvents(db.pool, tenantId, 35);
    await waitFor("35 stored events", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 35, 3000);
    expect(await relay.pendingCount(tenantId)).toBe(0);
  });

  it("publishes every row exactly once when two relays share the database", async () => {
    const tenantId = randomUUID();
    // A core subscription sees every publish, including ones JetStream would drop as duplicates, so it proves
    // that no row was published by both relays.
    const seen: string[] = [];
    const subscription: Subscription = nc.subscribe(`orders.${tenantId}.>`, {
      callback: (_err, message) => {
        seen.push(message.headers?.get("ce-id") ?? "?");
      },
    });
    await nc.flush();
    try {
      startRelay({ batchSize: 5, pollIntervalMs: 50 });
      startRelay({ batchSize: 5, pollIntervalMs: 50 });
      const inserted = (
        await Promise.all(Array.from({ length: 10 }, () => insertOrderEvents(db.pool, tenantId, 20)))
      ).flat();

      await waitFor("200 stored events", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 200, 10_000);
      await nc.flush();
      expect(seen).toHaveLength(200);
      expect(new Set(seen)).toEqual(new Set(inserted.map((event) => event.id)));
      const stored = await readStored(nc, `orders.${tenantId}.>`);
      expect(new Set(stored.map((message) => message.headers["ce-id"])).size).toBe(200);
      expect((await outboxState(db.pool, tenantId)).every((row) => row.published && row.attempts === 0)).toBe(true);
    } finally {
      subscription.unsubscribe();
    }
  });

  it("stores an event once when its publish was acked but the commit never happened", async () => {
    const tenantId = randomUUID();
    const [event] = await insertOrderEvents(db.pool, tenantId, 1, false);
    if (event === undefined) throw new Error("no event inserted");
    // What a relay that crashed between the ack and its commit left behind: the message is in the stream, and
    // the row is still unpublished.
    await ensureOrdersStream(await jetstreamManager(nc));
    const first = await jetstream(nc).publish(event.subject, event.payload, {
      msgID: event.id,
      headers: cloudEventHeaders({
        ...event,
        aggregateId: event.orderId,
        eventType: "order.created",
        attempts: 0,
      }),
    });
    expect(first.duplicate).toBe(false);

    const relay = startRelay({ pollIntervalMs: 100 });
    await waitFor("the row to be published", async () => (await relay.pendingCount(tenantId)) === 0);

    expect(await countStored(nc, `orders.${tenantId}.>`)).toBe(1);
    const [stored] = await readStored(nc, `orders.${tenantId}.>`);
    expect(stored?.seq).toBe(first.seq);
  });
});
