import type { EntityManager } from "@mikro-orm/postgresql";
import { generateApiKey, type KeyMode } from "../platform/auth/api-key.js";
import type { Role } from "../platform/auth/roles.js";
import { ApiKey } from "../platform/auth/entities/api-key.js";
import { Tenant } from "../platform/auth/entities/tenant.js";

/**
 * Tenant and key administration, shared by the admin CLI, the development
 * bootstrap and the tests. The plain key is returned once and never stored.
 */
export interface IssuedKey {
  id: string;
  tenantId: string;
  key: string;
  role: Role;
  mode: KeyMode;
  expiresAt: string | null;
}

export async function createTenant(
  em: EntityManager,
  name: string,
  options: { ordersEnabled?: boolean } = {},
): Promise<Tenant> {
  const tenant = em.create(Tenant, { name, ordersEnabled: options.ordersEnabled ?? true });
  await em.flush();
  return tenant;
}

export async function issueApiKey(
  em: EntityManager,
  tenantId: string,
  options: { role: Role; mode?: KeyMode; name?: string; expiresAt?: Date | null },
): Promise<IssuedKey> {
  const tenant = await em.findOne(Tenant, { id: tenantId });
  if (!tenant) throw new Error(`tenant ${tenantId} does not exist`);
  const mode = options.mode ?? "live";
  const generated = generateApiKey(mode);
  const row = em.create(ApiKey, {
    tenant,
    name: options.name ?? `${options.role} key`,
    role: options.role,
    mode,
    lookupId: generated.lookupId,
    secretHash: generated.secretHash,
    expiresAt: options.expiresAt ?? null,
  });
  await em.flush();
  return {
    id: row.id,
    tenantId,
    key: generated.key,
    role: options.role,
    mode,
    expiresAt: row.expiresAt ? row.expiresAt.toISOString() : null,
  };
}

/** Returns false when no key has that id. Revoking twice keeps the first revocation time. */
export async function revokeApiKey(em: EntityManager, keyId: string, now = new Date()): Promise<boolean> {
  const key = await em.findOne(ApiKey, { id: keyId });
  if (!key) return false;
  key.revokedAt ??= now;
  await em.flush();
  return true;
}

export async function setOrdersModule(em: EntityManager, tenantId: string, enabled: boolean): Promise<boolean> {
  const tenant = await em.findOne(Tenant, { id: tenantId });
  if (!tenant) return false;
  tenant.ordersEnabled = enabled;
  await em.flush();
  return true;
}
