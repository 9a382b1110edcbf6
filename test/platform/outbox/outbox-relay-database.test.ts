import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { OutboxRelay, type OutboxRelayOptions } from "../../../src/platform/outbox/outbox-relay.js";
import { ifSetUp } from "../../support/set-up.js";
import { createScratchDatabase, insertOrderEvents, type ScratchDatabase } from "./support/outbox-database.js";
import { RecordingLogger } from "./support/recording-logger.js";
import { countStored } from "../../support/stream-reader.js";
import { waitFor } from "../../support/wait-for.js";

const RELAY_SESSIONS = `select pid, query from pg_stat_activity
                        where datname = current_database() and application_name = 'orderspine-outbox-relay'`;

// PostgreSQL failures, each on a scratch database: they drop tables' worth of state or kill sessions.
describe("OutboxRelay when PostgreSQL fails", () => {
  let nc: NatsConnection;
  let db: ScratchDatabase;
  let logger: RecordingLogger;
  const relays: OutboxRelay[] = [];

  const startRelay = (options: Partial<OutboxRelayOptions> = {}): OutboxRelay => {
    const relay = new OutboxRelay({
      databaseUrl: db.url,
      nats: () => nc,
      logger,
      initialBackoffMs: 100,
      maxBackoffMs: 300,
      ...options,
    });
    relays.push(relay);
    relay.start();
    return relay;
  };

  const listenerPid = async (): Promise<number | null> => {
    const { rows } = await db.pool.query<{ pid: number; query: string }>(RELAY_SESSIONS);
    return rows.find((row) => row.query === "listen orderspine_outbox")?.pid ?? null;
  };

  beforeAll(async () => {
    nc = await connect({ servers: inject("natsUrl") });
  });

  afterAll(async () => {
    await ifSetUp(nc)?.drain();
  });

  beforeEach(async () => {
    db = await createScratchDatabase();
    logger = new RecordingLogger();
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await db.close();
  });

  it("logs and retries while the outbox table is missing, then publishes once it exists", async () => {
    const relay = startRelay({ pollIntervalMs: 100 });
    await waitFor("a logged database error", () =>
      logger.messages("error").includes("outbox relay database error; retrying"),
    );
    expect(JSON.stringify(logger.entries)).toContain('relation \\"outbox_events\\" does not exist');

    await db.migrate();
    const tenantId = randomUUID();
    await insertOrderEvents(db.pool, tenantId, 3);
    await waitFor("3 stored events", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 3);
    // The relay marks the rows published after NATS acknowledged them: a moment after they are stored.
    await waitFor("no pending rows", async () => (await relay.pendingCount(tenantId)) === 0);
  });

  it("keeps running against an unreachable database and stops promptly", async () => {
    const unreachable = new URL(db.url);
    unreachable.port = String(await closedPort());
    const relay = new OutboxRelay({ databaseUrl: unreachable.toString(), nats: () => nc, logger, maxBackoffMs: 200 });
    relays.push(relay);
    relay.start();
    await waitFor("a logged database error", () => logger.messages("error").length >= 2);
    expect(logger.messages("warn")).toContain("outbox listener cannot LISTEN; retrying");

    const stopping = Date.now();
    await relay.stop();
    expect(Date.now() - stopping).toBeLessThan(1000);
  });

  it("listens again after PostgreSQL drops the LISTEN connection", async () => {
    await db.migrate();
    // Polling is off in effect: only a notification can make the relay publish quickly.
    const relay = startRelay({ pollIntervalMs: 60_000 });
    let first: number | null = null;
    await waitFor("the LISTEN session", async () => (first = await listenerPid()) !== null);

    await db.pool.query("select pg_terminate_backend($1)", [first]);
    await waitFor("a new LISTEN session", async () => ((await listenerPid()) ?? first) !== first);
    expect(logger.messages("warn")).toContain("outbox listener lost its PostgreSQL connection; reconnecting");
    await sleep(200); // the catch-up batch after reconnecting

    const tenantId = randomUUID();
    const started = Date.now();
    await insertOrderEvents(db.pool, tenantId, 2);
    await waitFor("2 stored events", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 2, 1500);
    expect(Date.now() - started).toBeLessThan(1500);
    await waitFor("no pending rows", async () => (await relay.pendingCount(tenantId)) === 0);
  });

  it("recovers when PostgreSQL kills all of its sessions", async () => {
    await db.migrate();
    const relay = startRelay({ pollIntervalMs: 100 });
    await insertOrderEvents(db.pool, randomUUID(), 1);
    await waitFor("the first event published", async () => (await relay.pendingCount()) === 0);

    await db.pool.query(`select pg_terminate_backend(pid) from (${RELAY_SESSIONS}) as relay_sessions`);
    const tenantId = randomUUID();
    await insertOrderEvents(db.pool, tenantId, 4);
    await waitFor("4 stored events", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 4);
  });

  it("closes its own connections on stop, once however often it is called", async () => {
    await db.migrate();
    const relay = startRelay();
    await waitFor("the LISTEN session", async () => (await listenerPid()) !== null);

    const stopped = relay.stop();
    expect(relay.stop()).toBe(stopped);
    await stopped;
    relay.start(); // no effect after stop
    await waitFor("no relay sessions", async () => (await db.pool.query(RELAY_SESSIONS)).rowCount === 0);
  });

  it("leaves a pool it was given open", async () => {
    await db.migrate();
    const pool = new pg.Pool({ connectionString: db.url, max: 3 });
    try {
      const relay = startRelay({ pool });
      const tenantId = randomUUID();
      await insertOrderEvents(db.pool, tenantId, 2);
      await waitFor("2 stored events", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 2);
      await relay.stop();
      expect(await relay.pendingCount(tenantId)).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it("needs a database", () => {
    expect(() => new OutboxRelay({ nats: () => nc, logger })).toThrow(/databaseUrl or a pool/);
  });
});

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("no TCP port assigned");
  return address.port;
}
