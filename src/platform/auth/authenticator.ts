import { ServiceError } from "../transport/service-error.js";
import { apiKeyMatchesHash, parseApiKey } from "./api-key.js";
import type { ApiKeyStore } from "./api-key-store.js";
import type { Principal } from "./principal.js";
import { isRole } from "./roles.js";

/** What the caller may reach beyond a valid key: the tenant's orders module. */
export interface AuthenticatedCaller {
  principal: Principal;
  ordersEnabled: boolean;
}

const unauthenticated = (message: string) => new ServiceError("unauthenticated", "INVALID_API_KEY", message);

/**
 * Resolves `Authorization: Bearer <key>` to a caller. Every failure is
 * UNAUTHENTICATED; missing, malformed and unknown keys share one reason so a
 * caller cannot probe which keys exist. The key's row comes from the store,
 * which keeps keys in memory only while it hears of every change to them
 * (api-key-store.ts); the secret is checked against its hash on every call.
 */
export async function authenticate(
  keys: ApiKeyStore,
  authorization: string | null,
  now = new Date(),
): Promise<AuthenticatedCaller> {
  const match = /^Bearer (\S+)$/i.exec(authorization ?? "");
  if (!match) throw unauthenticated("missing or malformed Authorization header; expected 'Bearer <api key>'");
  const key = match[1] as string;
  const parsed = parseApiKey(key);
  if (!parsed) throw unauthenticated("invalid API key");
  const record = await keys.find(parsed.lookupId);
  if (!record || record.mode !== parsed.mode || !apiKeyMatchesHash(key, record.secretHash)) {
    throw unauthenticated("invalid API key");
  }
  // Past the hash check the caller holds the real key, so saying why it stopped
  // working helps its owner and tells an outsider nothing.
  if (record.revoked) throw new ServiceError("unauthenticated", "API_KEY_REVOKED", "API key has been revoked");
  if (record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime()) {
    throw new ServiceError("unauthenticated", "API_KEY_EXPIRED", "API key has expired");
  }
  if (!isRole(record.role)) throw new Error(`api key ${record.id} has unknown role ${record.role}`);
  return {
    principal: { tenantId: record.tenantId, apiKeyId: record.id, role: record.role, mode: parsed.mode },
    ordersEnabled: record.ordersEnabled,
  };
}
