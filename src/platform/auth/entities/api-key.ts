import { defineEntity, p } from "@mikro-orm/core";
import { createdAt, uuidPrimaryKey } from "../../database/entity-properties.js";
import { notifyAuthChanged } from "../auth-changed.js";
import { Tenant } from "./tenant.js";

export const API_KEY_ROLES = ["viewer", "editor", "admin"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const API_KEY_MODES = ["live", "test"] as const;
export type ApiKeyMode = (typeof API_KEY_MODES)[number];

/**
 * `api_keys`: a tenant's credential. `lookup_id` is the public part of the key used to find the row;
 * `secret_hash` is the hex SHA-256 of the whole key, so the key itself is never stored.
 */
export const ApiKeySchema = defineEntity({
  name: "ApiKey",
  tableName: "api_keys",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    name: p.text(),
    // enum on PostgreSQL = text column + `check (role in (...))`, which is what the schema asks for
    role: p.enum(API_KEY_ROLES),
    mode: p.enum(API_KEY_MODES),
    lookupId: p.text().unique("api_keys_lookup_id_unique"),
    secretHash: p.text(),
    ...createdAt,
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
  triggers: [{ ...notifyAuthChanged, events: [...notifyAuthChanged.events] }],
});

export class ApiKey extends ApiKeySchema.class {
  /** A key authenticates only while it is neither revoked nor past its expiry. */
  isActiveAt(now: Date): boolean {
    if (this.revokedAt != null && this.revokedAt <= now) return false;
    if (this.expiresAt != null && this.expiresAt <= now) return false;
    return true;
  }
}

ApiKeySchema.setClass(ApiKey);
