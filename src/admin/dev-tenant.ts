import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { EntityManager } from "@mikro-orm/postgresql";
import { hashApiKey, parseApiKey } from "../platform/auth/api-key.js";
import { ApiKey } from "../platform/auth/entities/api-key.js";
import { createTenant, issueApiKey } from "./tenants.js";

export interface DevCredentials {
  tenantId: string;
  key: string;
}

/**
 * The development tenant that 'npm start' on the embedded database creates on
 * first start. Keys are stored only as hashes, so to print the same key on
 * every start we keep it beside the embedded data (gitignored, mode 0600):
 * it is a test-mode key for a throwaway local database, never a production one.
 */
export async function ensureDevTenant(em: EntityManager, credentialsFile: string): Promise<DevCredentials> {
  const saved = await readSaved(credentialsFile);
  if (saved && (await stillValid(em, saved))) return saved;
  const tenant = await createTenant(em, "Development");
  const issued = await issueApiKey(em, tenant.id, { role: "admin", mode: "test", name: "development key" });
  const credentials = { tenantId: tenant.id, key: issued.key };
  await mkdir(dirname(credentialsFile), { recursive: true });
  await writeFile(credentialsFile, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

async function readSaved(file: string): Promise<DevCredentials | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    if (typeof parsed === "object" && parsed !== null && "tenantId" in parsed && "key" in parsed) {
      const { tenantId, key } = parsed;
      if (typeof tenantId === "string" && typeof key === "string") return { tenantId, key };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

async function stillValid(em: EntityManager, saved: DevCredentials): Promise<boolean> {
  const parsed = parseApiKey(saved.key);
  if (!parsed) return false;
  const row = await em.findOne(ApiKey, { lookupId: parsed.lookupId, tenant: saved.tenantId });
  return row !== null && row.secretHash === hashApiKey(saved.key) && row.isActiveAt(new Date());
}
