import type { MikroORM } from "@mikro-orm/postgresql";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTenant, issueApiKey, revokeApiKey, setOrdersModule } from "../../../src/admin/tenants.js";
import { parseApiKey } from "../../../src/platform/auth/api-key.js";
import { ApiKeyStore, type ApiKeyStoreOptions } from "../../../src/platform/auth/api-key-store.js";
import { nativePool } from "../../../src/platform/database/query.js";
import { createOrm } from "../../../src/database.js";
import { testDatabaseUrl } from "../../support/database.js";
import { ifSetUp } from "../../support/set-up.js";
import { waitFor } from "../../support/wait-for.js";
import { RecordingLogger } from "../outbox/support/recording-logger.js";

// The run's shared database; every test issues keys of its own. Each store's LISTEN connection has a name of its
// own so that a test can cut exactly that connection.
let orm: MikroORM;
let admin: pg.Pool;
const stores: ApiKeyStore[] = [];

beforeAll(async () => {
  orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 4 });
  admin = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.stop()));
});
afterAll(async () => {
  await ifSetUp(admin)?.end();
  await ifSetUp(orm)?.close(true);
});

async function listeningStore(options: Partial<ApiKeyStoreOptions> = {}): Promise<ApiKeyStore> {
  const store = new ApiKeyStore({
    pool: () => nativePool(orm.em),
    databaseUrl: testDatabaseUrl(),
    logger: new RecordingLogger(),
    applicationName: `auth-store-test-${crypto.randomUUID()}`,
    reconnectDelayMs: 100,
    ...options,
  });
  stores.push(store);
  store.start();
  await waitFor("the store to listen", () => store.listening);
  return store;
}

/**
 * Whether a lookup of a kept key skips the database. Other test files create tenants all the time, and each such
 * change empties the store, so callers poll this rather than expect it of one particular lookup.
 */
async function servedFromMemory(store: ApiKeyStore, lookupId: string): Promise<boolean> {
  await store.find(lookupId);
  const before = store.databaseLookups;
  await store.find(lookupId);
  return store.databaseLookups === before;
}

async function newKey(): Promise<{ lookupId: string; keyId: string; tenantId: string }> {
  const em = orm.em.fork();
  const tenant = await createTenant(em, "auth store test");
  const issued = await issueApiKey(em, tenant.id, { role: "editor" });
  const parsed = parseApiKey(issued.key);
  if (!parsed) throw new Error("unparsable key");
  return { lookupId: parsed.lookupId, keyId: issued.id, tenantId: tenant.id };
}

describe("ApiKeyStore", () => {
  it("reads a key once while it listens, then answers from memory", async () => {
    const store = await listeningStore();
    const { lookupId, keyId } = await newKey();
    const first = await store.find(lookupId);
    expect(first).toMatchObject({ id: keyId, role: "editor", revoked: false, expiresAt: null, ordersEnabled: true });
    await waitFor("a lookup answered from memory", () => servedFromMemory(store, lookupId));
    expect(await store.find(lookupId)).toEqual(first);
  });

  it("does not keep unknown lookup ids", async () => {
    const store = await listeningStore();
    const before = store.databaseLookups;
    expect(await store.find("0123456789abcdef")).toBeUndefined();
    expect(await store.find("0123456789abcdef")).toBeUndefined();
    expect(store.databaseLookups).toBe(before + 2);
  });

  it("hears a revocation committed elsewhere and reads the key again", async () => {
    const store = await listeningStore();
    const { lookupId, keyId } = await newKey();
    await store.find(lookupId);
    expect(await revokeApiKey(orm.em.fork(), keyId)).toBe(true);
    await waitFor("the revocation to be seen", async () => (await store.find(lookupId))?.revoked === true, 2_000);
  });

  it("hears plain SQL too: an earlier expiry and the tenant's module switched off", async () => {
    const store = await listeningStore();
    const { lookupId, keyId, tenantId } = await newKey();
    await store.find(lookupId);
    await admin.query("update api_keys set expires_at = now() where id = $1", [keyId]);
    await waitFor("the expiry to be seen", async () => (await store.find(lookupId))?.expiresAt !== null, 2_000);
    await setOrdersModule(orm.em.fork(), tenantId, false);
    await waitFor(
      "the module switch to be seen",
      async () => (await store.find(lookupId))?.ordersEnabled === false,
      2_000,
    );
  });

  it("keeps nothing while its LISTEN connection is down, and starts over once it is back", async () => {
    const applicationName = `auth-store-test-${crypto.randomUUID()}`;
    const store = await listeningStore({ applicationName, reconnectDelayMs: 1_000 });
    const { lookupId, keyId } = await newKey();
    await store.find(lookupId);
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", [
      applicationName,
    ]);
    await waitFor("the store to notice", () => !store.listening, 2_000);

    // A change while nobody listens would be missed, so every lookup reads the database meanwhile.
    await admin.query("update api_keys set revoked_at = now() where id = $1", [keyId]);
    const before = store.databaseLookups;
    expect((await store.find(lookupId))?.revoked).toBe(true);
    expect((await store.find(lookupId))?.revoked).toBe(true);
    expect(store.databaseLookups).toBe(before + 2);

    await waitFor("the store to listen again", () => store.listening, 5_000);
    await store.find(lookupId);
    await waitFor("a lookup answered from memory", () => servedFromMemory(store, lookupId));
  });

  it("reads a kept key again after maxAgeMs even if no change was heard", async () => {
    const store = await listeningStore({ maxAgeMs: 300 });
    const { lookupId } = await newKey();
    await waitFor("a lookup answered from memory", () => servedFromMemory(store, lookupId));
    const before = store.databaseLookups;
    await new Promise((resolve) => setTimeout(resolve, 350));
    await store.find(lookupId);
    expect(store.databaseLookups).toBe(before + 1);
  });
});
