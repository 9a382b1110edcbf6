import { Code } from "@connectrpc/connect";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { clientsFor } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { newEditorKey, shutdownRefusal } from "../support/process-service.js";
import { ServiceProcess } from "../support/service-process.js";

const db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
afterAll(() => db.end());

describe("SIGTERM", () => {
  it("finishes in-flight calls, refuses new ones cleanly, leaves the outbox consistent and exits 0", async () => {
    const { tenantId, key } = await newEditorKey("shutdown test");
    const service = await ServiceProcess.start({ SHUTDOWN_GRACE_MS: "10000" });
    const clients = clientsFor("grpc-http2", service.url, key);
    const customerId = await createCustomerId(clients);

    // Eight callers keep creating orders; SIGTERM lands while calls are in flight and more keep coming.
    const outcomes: ({ ok: true; id: string } | { ok: false; code: Code | "refused_stream" })[] = [];
    const caller = async () => {
      for (let failures = 0; failures < 3;) {
        try {
          const response = await clients.orders.createOrder(seedOrderRequest(customerId));
          outcomes.push({ ok: true, id: response.order?.id ?? "" });
        } catch (error) {
          outcomes.push({ ok: false, code: shutdownRefusal(error) });
          failures += 1;
        }
      }
    };
    const callers = Promise.all(Array.from({ length: 8 }, caller));
    await new Promise((resolve) => setTimeout(resolve, 500));
    service.kill("SIGTERM");
    await callers;
    expect(await service.exited()).toBe(0);

    // Every call either completed or was refused unprocessed: none failed half-way or as a server error.
    for (const outcome of outcomes)
      if (!outcome.ok) expect([Code.Unavailable, "refused_stream"]).toContain(outcome.code);
    const succeeded = outcomes.flatMap((o) => (o.ok ? [o.id] : []));
    expect(succeeded.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => !o.ok)).toHaveLength(8 * 3);

    const orders = await db.query("select id from orders where tenant_id = $1", [tenantId]);
    expect(orders.rows.map((r: { id: string }) => r.id).sort()).toEqual([...succeeded].sort());
    const events = await db.query("select aggregate_id from outbox_events where tenant_id = $1", [tenantId]);
    expect(events.rows.map((r: { aggregate_id: string }) => r.aggregate_id).sort()).toEqual([...succeeded].sort());

    // After exit the port is closed.
    await expect(clients.orders.getOrder({ id: succeeded[0] ?? "" })).rejects.toMatchObject({ code: Code.Unavailable });
  });
});
