import { query, type Queryable } from "../database/query.js";

/** Tenants and keys as an operator lists them (the admin CLI): never a key's secret or its hash. */
export interface TenantSummary {
  id: string;
  name: string;
  ordersEnabled: boolean;
  createdAt: string;
  /** Keys neither revoked nor expired. */
  activeKeys: number;
}

export interface KeySummary {
  id: string;
  tenantId: string;
  name: string;
  role: string;
  mode: string;
  /** The key's public part (`sk_live_<lookupId>_...`): tells keys apart, grants nothing. */
  lookupId: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export async function selectTenants(db: Queryable): Promise<TenantSummary[]> {
  const { rows } = await query<TenantSummary>(
    db,
    `select t.id, t.name, t.orders_enabled as "ordersEnabled", to_json(t.created_at)#>>'{}' as "createdAt",
            (select count(*)::integer from api_keys k
              where k.tenant_id = t.id and k.revoked_at is null and (k.expires_at is null or k.expires_at > now()))
              as "activeKeys"
       from tenants t
      order by t.created_at, t.id`,
  );
  return rows;
}

/** Keys, of one tenant or all, oldest first. */
export async function selectKeys(db: Queryable, tenantId?: string): Promise<KeySummary[]> {
  const { rows } = await query<KeySummary>(
    db,
    `select id, tenant_id as "tenantId", name, role, mode, lookup_id as "lookupId",
            to_json(created_at)#>>'{}' as "createdAt", to_json(expires_at)#>>'{}' as "expiresAt",
            to_json(revoked_at)#>>'{}' as "revokedAt"
       from api_keys
      where $1::uuid is null or tenant_id = $1::uuid
      order by created_at, id`,
    [tenantId ?? null],
  );
  return rows;
}
