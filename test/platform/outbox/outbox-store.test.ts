import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLAIM_DUE_EVENTS_SQL,
  claimDueEvents,
  markPublished,
  writeOutboxEvents,
} from "../../../src/platform/outbox/outbox-store.js";
import { ifSetUp } from "../../support/set-up.js";
import { createScratchDatabase, insertOrderEvents, type ScratchDatabase } from "./support/outbox-database.js";

// A database of its own: the plan depends on what the table holds.
let db: ScratchDatabase;
beforeAll(async () => {
  db = await createScratchDatabase();
  await db.migrate();
});
afterAll(async () => {
  await ifSetUp(db)?.close();
});

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe("claiming due events", () => {
  it("walks the unpublished index in its own order and stops at the limit, so published events cost nothing", async () => {
    // Many published events leave dead entries in the partial index; a sort over a bitmap scan would visit them all.
    const events = await insertOrderEvents(db.pool, randomUUID(), 3_000, false);
    await markPublished(
      db.pool,
      events.map((event) => event.id),
    );
    await insertOrderEvents(db.pool, randomUUID(), 5, false);
    await db.pool.query("analyze outbox_events");

    const client = await db.pool.connect();
    try {
      await client.query("begin");
      const { rows } = await client.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(
        `explain (format json) ${CLAIM_DUE_EVENTS_SQL}`,
        [100],
      );
      const plan = nodes(rows[0]?.["QUERY PLAN"][0]?.Plan as PlanNode);
      expect(plan.map((node) => node["Node Type"])).toEqual(["Limit", "LockRows", "Index Scan"]);
      expect(plan[2]?.["Index Name"]).toBe("outbox_events_unpublished_index");
      await client.query("rollback");
    } finally {
      client.release();
    }
  });

  it("takes the longest-due events first", async () => {
    const tenantId = randomUUID();
    const events = await insertOrderEvents(db.pool, tenantId, 3, false);
    // The first event failed once and is due again only now, after the other two.
    await db.pool.query("update outbox_events set next_attempt_at = now() - interval '1 second' where id = $1", [
      events[0]?.id,
    ]);
    await db.pool.query("update outbox_events set next_attempt_at = occurred_at where id = any($1::uuid[])", [
      [events[1]?.id, events[2]?.id],
    ]);
    const client = await db.pool.connect();
    try {
      await client.query("begin");
      const claimed = (await claimDueEvents(client, 1_000)).filter((event) => event.tenantId === tenantId);
      expect(claimed.map((event) => event.id)).toEqual([events[1]?.id, events[2]?.id, events[0]?.id]);
      await client.query("rollback");
    } finally {
      client.release();
    }
  });
});

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("writing many events in one statement", () => {
  it("writes every row as writeOutboxEvent would, due at once", async () => {
    const tenantId = randomUUID();
    const occurredAt = new Date(Date.now() - 1_000);
    const events = [1, 2, 3].map((n) => ({
      id: randomUUID(),
      tenantId,
      aggregateType: "product",
      aggregateId: randomUUID(),
      aggregateSequence: n,
      eventType: "product.created",
      subject: `catalog.${tenantId}.product.created`,
      payload: new Uint8Array([n, 0, 255]),
      occurredAt,
      // The first names the trace it belongs to; the others are written outside any span (docs/tracing.md).
      ...(n === 1 ? { traceparent: TRACEPARENT } : {}),
    }));
    await writeOutboxEvents(db.pool, events);
    await writeOutboxEvents(db.pool, []);

    const client = await db.pool.connect();
    try {
      await client.query("begin");
      const claimed = (await claimDueEvents(client, 10_000)).filter((event) => event.tenantId === tenantId);
      expect(
        claimed.map(({ id, aggregateId, aggregateSequence, eventType, subject, occurredAt: at }) => ({
          id,
          aggregateId,
          aggregateSequence,
          eventType,
          subject,
          occurredAt: at,
        })),
      ).toEqual(
        events.map(({ id, aggregateId, aggregateSequence, eventType, subject }) => ({
          id,
          aggregateId,
          aggregateSequence,
          eventType,
          subject,
          occurredAt,
        })),
      );
      expect(claimed.map((event) => [...event.payload])).toEqual([
        [1, 0, 255],
        [2, 0, 255],
        [3, 0, 255],
      ]);
      expect(claimed.map((event) => event.traceparent)).toEqual([TRACEPARENT, null, null]);
      await client.query("rollback");
    } finally {
      client.release();
    }
  });
});
