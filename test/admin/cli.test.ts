import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsFor } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { startTestService, type TestService } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { waitFor } from "../support/wait-for.js";

const run = promisify(execFile);

/** The admin CLI as an operator scripts it: `npm run admin -- ... --json`. */
async function admin(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "src/admin/cli.ts", ...args, "--json"], {
    env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(() => ifSetUp(service)?.shutdown());

describe("admin CLI", () => {
  it("creates a tenant whose key works, issues an editor key, revokes it, and switches the module off", async () => {
    const created = (await admin("tenant", "create", "--name", "Acme")) as {
      tenantId: string;
      apiKey: { key: string; id: string; role: string };
    };
    expect(created.tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.apiKey.role).toBe("admin");
    expect(created.apiKey.key).toMatch(/^sk_live_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const adminClients = clientsFor("connect-json-http1", service.url, created.apiKey.key);
    const customerId = await createCustomerId(adminClients);

    const issued = (await admin(
      "key",
      "create",
      "--tenant",
      created.tenantId,
      "--role",
      "editor",
      "--mode",
      "test",
    )) as {
      apiKey: { key: string; id: string };
    };
    expect(issued.apiKey.key).toMatch(/^sk_test_/);
    const editor = clientsFor("grpc-http2", service.url, issued.apiKey.key);
    expect((await editor.orders.createOrder(seedOrderRequest(customerId))).order?.total).toBe("2316.00");

    expect(await admin("key", "revoke", "--id", issued.apiKey.id)).toEqual({
      apiKeyId: issued.apiKey.id,
      revoked: true,
    });
    // The service keeps keys in memory and drops them when PostgreSQL notifies it of the change: milliseconds.
    await waitFor(
      "the revocation to take effect",
      async () => (await rejectionOf(editor.orders.getOrder({ id: customerId }))).code === Code.Unauthenticated,
      2_000,
    );
    expect((await rejectionOf(editor.orders.createOrder(seedOrderRequest(customerId)))).reason).toBe("API_KEY_REVOKED");

    expect(await admin("tenant", "set-orders", "--tenant", created.tenantId, "--enabled", "false")).toEqual({
      tenantId: created.tenantId,
      ordersEnabled: false,
    });
    await waitFor(
      "the switch to take effect",
      async () => (await rejectionOf(adminClients.orders.getOrder({ id: customerId }))).code === Code.PermissionDenied,
      2_000,
    );
    expect(await rejectionOf(adminClients.orders.createOrder(seedOrderRequest(customerId)))).toMatchObject({
      code: Code.PermissionDenied,
      reason: "MODULE_DISABLED",
    });
  });

  it("refuses bad usage with exit code 2", async () => {
    await expect(admin("key", "create", "--role", "owner")).rejects.toMatchObject({ code: 2 });
    await expect(admin("key", "revoke", "--id", crypto.randomUUID())).rejects.toMatchObject({ code: 2 });
  });
});
