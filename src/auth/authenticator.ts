import type { EntityManager } from "@mikro-orm/postgresql";
import { ServiceError } from "../service-error.js";
import { ApiKey } from "../persistence/entities/api-key.js";
import { apiKeyMatchesHash, parseApiKey } from "./api-key.js";
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
 * caller cannot probe which keys exist.
 */
export async function authenticate(em: EntityManager, authorization: string | null, now = new Date()): Promise<AuthenticatedCaller> {
  const match = /^Bearer (\S+)$/i.exec(authorization ?? "");
  if (!match) throw unauthenticated("missing or malformed Authorization header; expected 'Bearer <api key>'");
  const key = match[1] as string;
  const parsed = parseApiKey(key);
  if (!parsed) throw unauthenticated("invalid API key");
  const row = await em.findOne(ApiKey, { lookupId: parsed.lookupId }, { populate: ["tenant"] });
  if (!row || row.mode !== parsed.mode || !apiKeyMatchesHash(key, row.secretHash)) {
    throw unauthenticated("invalid API key");
  }
  // Past the hash check the caller holds the real key, so saying why it stopped
  // working helps its owner and tells an outsider nothing.
  if (row.revokedAt) throw new ServiceError("unauthenticated", "API_KEY_REVOKED", "API key has been revoked");
  if (row.expiresAt && row.expiresAt <= now) throw new ServiceError("unauthenticated", "API_KEY_EXPIRED", "API key has expired");
  if (!isRole(row.role)) throw new Error(`api key ${row.id} has unknown role ${row.role}`);
  return {
    principal: { tenantId: row.tenant.id, apiKeyId: row.id, role: row.role, mode: parsed.mode },
    ordersEnabled: row.tenant.ordersEnabled,
  };
}
