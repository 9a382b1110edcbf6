import type { EntityManager } from "@mikro-orm/postgresql";
import { nativePool } from "../persistence/native-pool.js";
import { ServiceError } from "../service-error.js";
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
  const pool = await nativePool(em);
  const { rows } = await pool.query<KeyRow>(KEY_SQL, [now, parsed.lookupId]);
  const row = rows[0];
  if (!row || row.mode !== parsed.mode || !apiKeyMatchesHash(key, row.secret_hash)) {
    throw unauthenticated("invalid API key");
  }
  // Past the hash check the caller holds the real key, so saying why it stopped
  // working helps its owner and tells an outsider nothing.
  if (row.revoked) throw new ServiceError("unauthenticated", "API_KEY_REVOKED", "API key has been revoked");
  if (row.expired) throw new ServiceError("unauthenticated", "API_KEY_EXPIRED", "API key has expired");
  if (!isRole(row.role)) throw new Error(`api key ${row.id} has unknown role ${row.role}`);
  return {
    principal: { tenantId: row.tenant_id, apiKeyId: row.id, role: row.role, mode: parsed.mode },
    ordersEnabled: row.orders_enabled,
  };
}

/**
 * Every authenticated call runs this, so it is one plain query rather than an entity load with a
 * populated tenant: hydrating ApiKey and Tenant into a unit of work cost about ten times the query
 * itself (bench profile). Revocation, expiry and the module switch still take effect on the very
 * next call. Columns are those of the ApiKey and Tenant entities.
 */
const KEY_SQL = `select k.id, k.tenant_id, k.role, k.mode, k.secret_hash, k.revoked_at is not null as revoked,
    coalesce(k.expires_at <= $1, false) as expired, t.orders_enabled
  from api_keys k join tenants t on t.id = k.tenant_id
  where k.lookup_id = $2`;

interface KeyRow {
  id: string;
  tenant_id: string;
  role: string;
  mode: string;
  secret_hash: string;
  revoked: boolean;
  expired: boolean;
  orders_enabled: boolean;
}
