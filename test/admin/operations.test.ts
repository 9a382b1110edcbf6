import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markFailed, writeOutboxEvents } from "../../src/platform/outbox/outbox-store.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

const run = promisify(execFile);
const PAGE = "docs/tenants-and-keys.md";
const MARKER = "<!-- test/admin/operations.test.ts runs every command of the next block -->";

/** One command line of the page, `npm run admin -- ...` with its placeholders filled, run as npm would run it. */
async function admin(commandLine: string, values: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const filled = commandLine.replace(/<(\w+)>/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for <${name}> in "${commandLine}"`);
    return value;
  });
  const args = filled.replace(/^npm run admin -- /, "").split(/\s+/);
  const { stdout } = await run(process.execPath, ["--import", "tsx", "src/admin/cli.ts", ...args], {
    env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** The page's documented commands, keyed by their first two words after `admin --` ("outbox show"). */
function documentedCommands(): Map<string, string[]> {
  const page = readFileSync(PAGE, "utf8");
  const at = page.indexOf(MARKER);
  const block = /```sh\n([\s\S]*?)```/.exec(page.slice(at))?.[1];
  if (at < 0 || !block) throw new Error(`${PAGE} has no sh block after its marker`);
  const commands = new Map<string, string[]>();
  // Each line without its trailing comment (the answer it gives, abridged).
  for (const line of block.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim())) {
    if (!line.startsWith("npm run admin -- ")) continue;
    const key = line.split(/\s+/).slice(4, 6).join(" ");
    commands.set(key, [...(commands.get(key) ?? []), line]);
  }
  return commands;
}

let service: TestService;
let tenant: TestTenant;
let clients: Clients;
const db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ role: "admin" });
  clients = clientsFor("connect-json-http1", service.url, tenant.key);
});
afterAll(async () => {
  await ifSetUp(service)?.shutdown();
  await db.end();
});

describe("admin CLI operations (docs/tenants-and-keys.md)", () => {
  const commands = documentedCommands();
  const lines = (key: string) => {
    const found = commands.get(key);
    if (!found) throw new Error(`${PAGE} documents no "${key}" command`);
    return found;
  };

  it("documents every operation, each run below", () => {
    expect([...commands.keys()].sort()).toEqual(
      ["key list", "outbox redrive", "outbox show", "tenant list", "webhook enable", "webhook list"].sort(),
    );
  });

  it("lists tenants and their keys, never a secret", async () => {
    const [tenantList] = lines("tenant list");
    const { tenants } = (await admin(tenantList ?? "")) as { tenants: { id: string; activeKeys: number }[] };
    expect(tenants.find((t) => t.id === tenant.tenantId)).toMatchObject({ ordersEnabled: true, activeKeys: 1 });

    const [keyList] = lines("key list");
    const output = await admin(keyList ?? "", { tenantId: tenant.tenantId });
    const { keys } = output as { keys: { id: string; tenantId: string; role: string; revokedAt: string | null }[] };
    expect(keys).toEqual([
      expect.objectContaining({ id: tenant.keyId, tenantId: tenant.tenantId, role: "admin", revokedAt: null }),
    ]);
    const text = JSON.stringify(output);
    expect(text).not.toMatch(/sk_(live|test)_/);
    expect(text).not.toMatch(/secret|hash/i);
  });

  it("shows a failed event in the backlog and re-drives it: one, then all", async () => {
    const ids = [randomUUID(), randomUUID()];
    const client = await db.connect();
    try {
      // Written and failed in one transaction, so no relay sees the events due before they have failed.
      await client.query("begin");
      await writeOutboxEvents(
        client,
        ids.map((id) => ({
          id,
          tenantId: tenant.tenantId,
          aggregateType: "order",
          aggregateId: randomUUID(),
          aggregateSequence: 1,
          eventType: "order.admin_test",
          subject: `orders.${tenant.tenantId}.admin_test`,
          payload: new Uint8Array([1]),
          occurredAt: new Date(),
        })),
      );
      await markFailed(
        client,
        ids.map((id) => ({ id, retryInMs: 3_600_000, error: "no JetStream ack in 5000 ms" })),
      );
      await client.query("commit");
    } finally {
      client.release();
    }

    const [show] = lines("outbox show");
    const shown = (await admin(show ?? "")) as {
      backlog: number;
      failed: { id: string; attempts: number; lastError: string }[];
    };
    expect(shown.backlog).toBeGreaterThanOrEqual(2);
    for (const id of ids)
      expect(shown.failed).toContainEqual(
        expect.objectContaining({
          id,
          tenantId: tenant.tenantId,
          attempts: 1,
          lastError: "no JetStream ack in 5000 ms",
        }),
      );

    const [one, all] = lines("outbox redrive");
    expect(await admin(one ?? "", { eventId: ids[0] ?? "" })).toEqual({ redriven: 1, eventIds: [ids[0]] });
    const dueNow = async (id: string) =>
      (
        await db.query<{ due: boolean }>(
          "select published_at is not null or next_attempt_at <= now() as due from outbox_events where id = $1",
          [id],
        )
      ).rows[0]?.due;
    expect(await dueNow(ids[0] ?? "")).toBe(true);
    expect(await dueNow(ids[1] ?? "")).toBe(false);
    const everything = (await admin(all ?? "")) as { redriven: number; eventIds: string[] };
    // Every failed event of the database is re-driven (other tests' too); this one is among them.
    expect(everything.eventIds).toContain(ids[1]);
    expect(await dueNow(ids[1] ?? "")).toBe(true);
  });

  it("lists webhook endpoints with their failure state and enables an auto-disabled one", async () => {
    const { webhookEndpoint } = await clients.webhooks.createWebhookEndpoint({
      webhookEndpoint: { url: "https://93.184.215.14/hooks/orderspine", eventTypes: ["order.created"] },
    });
    const endpointId = webhookEndpoint?.id ?? "";
    // What the delivery worker does after five days of failures.
    await db.query(
      `update webhook_endpoints set enabled = false, failing_since = now() - interval '5 days', auto_disabled_at = now()
        where id = $1`,
      [endpointId],
    );

    const [list] = lines("webhook list");
    const { endpoints } = (await admin(list ?? "", { tenantId: tenant.tenantId })) as {
      endpoints: Record<string, unknown>[];
    };
    expect(endpoints).toEqual([
      expect.objectContaining({
        id: endpointId,
        url: "https://93.184.215.14/hooks/orderspine",
        enabled: false,
        failingSince: expect.any(String) as unknown,
        autoDisabledAt: expect.any(String) as unknown,
        pendingDeliveries: 0,
      }),
    ]);
    expect(JSON.stringify(endpoints)).not.toMatch(/whsec_/);

    const [enable] = lines("webhook enable");
    expect(await admin(enable ?? "", { endpointId })).toEqual({ endpointId, enabled: true });
    const { webhookEndpoint: after } = await clients.webhooks.getWebhookEndpoint({ id: endpointId });
    expect(after?.enabled).toBe(true);
    expect(after?.failureStartTime).toBeUndefined();
    expect(after?.autoDisableTime).toBeUndefined();
    expect(after?.etag).not.toBe(webhookEndpoint?.etag);
  });

  it("refuses an id that is not a UUID and an endpoint that does not exist with exit code 2", async () => {
    await expect(admin("npm run admin -- outbox redrive --id 42 --json")).rejects.toMatchObject({ code: 2 });
    await expect(admin(`npm run admin -- webhook enable --id ${randomUUID()} --json`)).rejects.toMatchObject({
      code: 2,
    });
  });
});
