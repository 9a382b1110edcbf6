import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { OutboxRelay } from "../../../src/platform/outbox/outbox-relay.js";
import { ifSetUp } from "../../support/set-up.js";
import { countStored } from "../../support/stream-reader.js";
import { waitFor } from "../../support/wait-for.js";
import { createScratchDatabase, insertOrderEvents, type ScratchDatabase } from "./support/outbox-database.js";
import { RecordingLogger } from "./support/recording-logger.js";

// A database of its own: another file's commits would wake this relay for rounds of their own.
describe("OutboxRelay rounds at low load", () => {
  let nc: NatsConnection;
  let db: ScratchDatabase;
  let pool: pg.Pool;
  let relay: OutboxRelay;
  /** Each round checks out a pooled connection: connects counted are rounds. */
  let rounds = 0;

  beforeAll(async () => {
    nc = await connect({ servers: inject("natsUrl") });
    db = await createScratchDatabase();
    await db.migrate();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const connect_ = pool.connect.bind(pool);
    pool.connect = (() => {
      rounds += 1;
      return connect_();
    }) as typeof pool.connect;
    relay = new OutboxRelay({ pool, nats: () => nc, logger: new RecordingLogger(), pollIntervalMs: 60_000 });
    relay.start();
    // Connected, listening, and done with the start-up round.
    await sleep(500);
  });

  afterAll(async () => {
    await ifSetUp(relay)?.stop();
    await ifSetUp(pool)?.end();
    await ifSetUp(db)?.close();
    await ifSetUp(nc)?.drain();
  });

  it("runs one round per commit of this process", async () => {
    const tenantId = randomUUID();
    const before = rounds;
    for (let i = 1; i <= 5; i++) {
      await insertOrderEvents(db.pool, tenantId, 1);
      // What CreateOrder does after its commit. Waking the relay there as well as by the notification ran an
      // empty round after most orders: the second wake-up came after the first round's claim was sent.
      relay.onLocalCommit();
      await waitFor(`${i} stored events`, async () => (await countStored(nc, `orders.${tenantId}.>`)) === i, 2000);
    }
    await sleep(300);
    expect(rounds - before).toBe(5);
  });

  it("runs no round for a notification whose commit its last claim saw", async () => {
    const tenantId = randomUUID();
    const client = await db.pool.connect();
    try {
      // Committed unnotified, claimed by a round that wake() starts; then the late notification.
      await client.query("begin");
      const { rows } = await client.query<{ xid: string }>("select pg_current_xact_id()::text as xid");
      await client.query("commit");
      await insertOrderEvents(db.pool, tenantId, 1, false);
      relay.wake();
      await waitFor("1 stored event", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 1, 2000);
      const before = rounds;
      await client.query("select pg_notify('orderspine_outbox', $1)", [rows[0]?.xid]);
      await sleep(300);
      expect(rounds - before).toBe(0);
      // A notification without a transaction id wakes it, as does one of a commit after the claim.
      await client.query("select pg_notify('orderspine_outbox', '')");
      await insertOrderEvents(db.pool, tenantId, 1);
      await waitFor("2 stored events", async () => (await countStored(nc, `orders.${tenantId}.>`)) === 2, 2000);
      expect(rounds - before).toBeGreaterThanOrEqual(1);
    } finally {
      client.release();
    }
  });
});
