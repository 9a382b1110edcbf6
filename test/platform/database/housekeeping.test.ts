import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Housekeeping } from "../../../src/platform/database/housekeeping.js";
import { createOrm } from "../../../src/database.js";
import type { MikroORM } from "@mikro-orm/postgresql";
import { testDatabaseUrl } from "../../support/database.js";
import { ifSetUp } from "../../support/set-up.js";

const DAY = 24 * 3600_000;
let orm: MikroORM;
let db: pg.Pool;
beforeAll(async () => {
  orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 2 });
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(orm)?.close();
});

const silent = { info: () => {}, warn: () => {} };

async function outboxRow(tenantId: string, occurredDaysAgo: number, publishedDaysAgo: number | null): Promise<string> {
  const id = randomUUID();
  await db.query(
    `insert into outbox_events (id, tenant_id, aggregate_type, aggregate_id, event_type, subject, payload, occurred_at, published_at, next_attempt_at)
     values ($1, $2, 'order', $3, 'order.created', $4, '\\x00', $5, $6, now() + interval '1 day')`,
    [
      id,
      tenantId,
      randomUUID(),
      `orders.${tenantId}.created`,
      new Date(Date.now() - occurredDaysAgo * DAY),
      publishedDaysAgo === null ? null : new Date(Date.now() - publishedDaysAgo * DAY),
    ],
  );
  return id;
}

async function idempotencyRow(tenantId: string, expiresInDays: number): Promise<string> {
  const requestId = randomUUID();
  await db.query(
    `insert into idempotency_records (tenant_id, request_id, method, request_hash, response, expires_at) values ($1, $2, 'm', 'h', '\\x00', $3)`,
    [tenantId, requestId, new Date(Date.now() + expiresInDays * DAY)],
  );
  return requestId;
}

describe("housekeeping", () => {
  it("deletes long-published outbox rows and expired idempotency records, in batches, and nothing else", async () => {
    const tenantId = randomUUID();
    const old = [await outboxRow(tenantId, 9, 8), await outboxRow(tenantId, 9, 8), await outboxRow(tenantId, 9, 8)];
    const recent = await outboxRow(tenantId, 2, 1);
    const neverPublished = await outboxRow(tenantId, 30, null);
    await idempotencyRow(tenantId, -1);
    await idempotencyRow(tenantId, -2);
    const live = await idempotencyRow(tenantId, 1);

    await new Housekeeping(orm, { logger: silent, batchSize: 2 }).runOnce();

    const outbox = await db.query("select id from outbox_events where tenant_id = $1", [tenantId]);
    expect(outbox.rows.map((r: { id: string }) => r.id).sort()).toEqual([recent, neverPublished].sort());
    for (const id of old) expect(outbox.rows.map((r: { id: string }) => r.id)).not.toContain(id);
    const records = await db.query("select request_id from idempotency_records where tenant_id = $1", [tenantId]);
    expect(records.rows.map((r: { request_id: string }) => r.request_id)).toEqual([live]);
  });

  it("stops cleanly when it was never due", async () => {
    const housekeeping = new Housekeeping(orm, { logger: silent, intervalMs: 60_000 });
    housekeeping.start();
    await housekeeping.stop();
  });
});
