import { randomUUID } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectNats, type NatsHandle } from "../../../src/platform/outbox/nats.js";
import { OutboxRelay } from "../../../src/platform/outbox/outbox-relay.js";
import { ORDERS_STREAM } from "../../../src/platform/outbox/stream.js";
import {
  createScratchDatabase,
  insertOrderEvents,
  outboxState,
  type ScratchDatabase,
} from "./support/outbox-database.js";
import { PrivateNatsServer } from "../../support/nats-server.js";
import { RecordingLogger } from "./support/recording-logger.js";
import { countStored, readStored } from "../../support/stream-reader.js";
import { waitFor } from "../../support/wait-for.js";

// NATS outages, on a NATS server and a database of their own: a relay that cannot publish pushes every due row it
// claims into the future, which must not happen to other test files' rows.
describe("OutboxRelay when NATS is unavailable", () => {
  let server: PrivateNatsServer;
  let db: ScratchDatabase;
  let nats: NatsHandle;
  let logger: RecordingLogger;
  const relays: OutboxRelay[] = [];

  const startRelay = (publishTimeoutMs = 500): OutboxRelay => {
    const relay = new OutboxRelay({
      databaseUrl: db.url,
      nats: () => nats.current(),
      logger,
      pollIntervalMs: 100,
      initialBackoffMs: 100,
      maxBackoffMs: 400,
      publishTimeoutMs,
    });
    relays.push(relay);
    relay.start();
    return relay;
  };

  /** Every event of the tenant in the stream, checked to be exactly the inserted ones, each once. */
  const expectStoredOnce = async (tenantId: string, ids: readonly string[]): Promise<void> => {
    const nc = await connect({ servers: server.url });
    try {
      const stored = await readStored(nc, `orders.${tenantId}.>`);
      expect(stored).toHaveLength(ids.length);
      expect(new Set(stored.map((message) => message.headers["Nats-Msg-Id"]))).toEqual(new Set(ids));
    } finally {
      await nc.close();
    }
  };

  beforeEach(async () => {
    server = await PrivateNatsServer.start();
    db = await createScratchDatabase();
    await db.migrate();
    logger = new RecordingLogger();
    nats = connectNats(server.url, logger, { retryIntervalMs: 100 });
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await nats.close();
    await db.close();
    await server.dispose();
  });

  it("keeps events while NATS is down and publishes each once when it returns", async () => {
    const relay = startRelay();
    const warmUp = randomUUID();
    await insertOrderEvents(db.pool, warmUp, 1);
    await waitFor("the warm-up event", async () => (await relay.pendingCount()) === 0);

    await server.stop();
    const tenantId = randomUUID();
    const events = await insertOrderEvents(db.pool, tenantId, 20);
    await waitFor("failed attempts on every event", async () =>
      (await outboxState(db.pool, tenantId)).every((row) => !row.published && row.attempts > 0),
    );
    expect(await relay.pendingCount(tenantId)).toBe(20);
    const rows = await outboxState(db.pool, tenantId);
    expect(rows.every((row) => row.lastError === "Error: NATS is not connected")).toBe(true);
    expect(logger.messages("warn")).toContain("events not published yet; will retry");

    await server.resume();
    await waitFor("all events published", async () => (await relay.pendingCount()) === 0, 15_000);
    await expectStoredOnce(
      tenantId,
      events.map((event) => event.id),
    );
  });

  it("creates the stream itself when NATS first comes up after the service", async () => {
    await nats.close();
    await server.dispose();
    server = await PrivateNatsServer.start();
    await server.stop();
    nats = connectNats(server.url, logger, { retryIntervalMs: 100 });

    const relay = startRelay();
    const tenantId = randomUUID();
    const events = await insertOrderEvents(db.pool, tenantId, 5);
    await waitFor("failed attempts", async () =>
      (await outboxState(db.pool, tenantId)).every((row) => row.attempts > 0),
    );

    await server.resume();
    await waitFor("all events published", async () => (await relay.pendingCount()) === 0, 15_000);
    await expectStoredOnce(
      tenantId,
      events.map((event) => event.id),
    );
  });

  it("creates the stream on connecting, before any event, so consumers can subscribe at once", async () => {
    startRelay();
    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      await waitFor(
        "the ORDERS stream",
        () =>
          jsm.streams.info(ORDERS_STREAM).then(
            () => true,
            () => false,
          ),
        5_000,
      );
      expect(await relays[0]?.pendingCount()).toBe(0);
    } finally {
      await nc.close();
    }
  });

  it("on stop, finishes the batch waiting for a hung NATS, and the late-stored messages stay single", async () => {
    const first = startRelay(1500);
    const warmUp = randomUUID();
    await insertOrderEvents(db.pool, warmUp, 1);
    await waitFor("the warm-up event", async () => (await first.pendingCount()) === 0);

    server.pause();
    const tenantId = randomUUID();
    const events = await insertOrderEvents(db.pool, tenantId, 5);
    // The relay holds the row locks while it waits for the acks.
    await waitFor("the batch in flight", async () => {
      const { rowCount } = await db.pool.query(
        "select id from outbox_events where tenant_id = $1 for update skip locked",
        [tenantId],
      );
      return rowCount === 0;
    });

    const stopping = Date.now();
    await first.stop();
    expect(Date.now() - stopping).toBeGreaterThan(300);
    const rows = await outboxState(db.pool, tenantId);
    expect(rows.every((row) => !row.published && row.attempts === 1 && /timeout/i.test(row.lastError ?? ""))).toBe(
      true,
    );

    // The server now stores the publishes it received while frozen: messages in the stream whose rows say
    // "unpublished", as after a crash between ack and commit. The retries must be recognised as duplicates.
    server.unpause();
    const nc = await connect({ servers: server.url });
    await waitFor("the late-stored messages", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 5);
    await nc.close();
    const second = startRelay();
    await waitFor("all events published", async () => (await second.pendingCount()) === 0, 15_000);
    await expectStoredOnce(
      tenantId,
      events.map((event) => event.id),
    );
  });
});
