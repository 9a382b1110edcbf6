import type pg from "pg";
import { AUTH_CHANGED_CHANNEL } from "./auth-changed.js";
import { NotificationListener } from "../database/notification-listener.js";
import { query } from "../database/query.js";

/** What authentication needs to know of an API key and its tenant. */
export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  role: string;
  mode: string;
  secretHash: string;
  revoked: boolean;
  expiresAt: Date | null;
  ordersEnabled: boolean;
}

export interface ApiKeyStoreOptions {
  /** The pool lookups run on (the pool under MikroORM's connection). */
  pool: () => Promise<pg.Pool>;
  /** Opens the store's own LISTEN connection. */
  databaseUrl: string;
  logger: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
  /** An entry is read again after this long even if no change was heard (default 60 s). */
  maxAgeMs?: number;
  /** Keys kept at most; beyond that the store starts over (default 10,000). */
  maxEntries?: number;
  /** Pause before the LISTEN connection reconnects (default 1 s). */
  reconnectDelayMs?: number;
  /** Names the LISTEN connection in pg_stat_activity (default orderspine-auth-listener). */
  applicationName?: string;
}

/**
 * API keys as authentication reads them, kept in memory so that most calls skip a database round trip.
 *
 * Kept only while it would hear of any change: every committed insert, update or delete on `api_keys` or
 * `tenants` notifies AUTH_CHANGED_CHANNEL (a trigger, so plain SQL counts too), and each notification empties the store.
 * While the LISTEN connection is down nothing is kept and every lookup reads the database; when it is back the
 * store starts empty. A revocation, an earlier expiry or a module switched off therefore takes effect as soon as
 * the notification arrives (milliseconds after commit); expiry times are compared on every call. A lookup that was
 * in flight when a change was heard is not kept, since it may have read the old row.
 */
export class ApiKeyStore {
  readonly #options: ApiKeyStoreOptions;
  readonly #entries = new Map<string, { record: ApiKeyRecord; storedAt: number }>();
  readonly #listener: NotificationListener;
  #generation = 0;
  #listening = false;
  #lookups = 0;

  constructor(options: ApiKeyStoreOptions) {
    this.#options = options;
    this.#listener = new NotificationListener({
      connection: {
        connectionString: options.databaseUrl,
        application_name: options.applicationName ?? "orderspine-auth-listener",
        connectionTimeoutMillis: 10_000,
        keepAlive: true,
      },
      channel: AUTH_CHANGED_CHANNEL,
      name: "API key listener",
      onNotification: () => this.#forget(),
      onListening: () => {
        this.#forget();
        this.#listening = true;
      },
      onDeaf: () => {
        this.#listening = false;
        this.#forget();
      },
      logger: options.logger,
      retryDelayMs: () => options.reconnectDelayMs ?? 1000,
    });
  }

  start(): void {
    this.#listener.start();
  }

  stop(): Promise<void> {
    return this.#listener.stop();
  }

  /** True while changes are heard, i.e. while the store keeps keys. */
  get listening(): boolean {
    return this.#listening;
  }

  /** Lookups that went to the database so far. */
  get databaseLookups(): number {
    return this.#lookups;
  }

  /** The key with this lookup id and its tenant, or undefined when there is none. */
  async find(lookupId: string): Promise<ApiKeyRecord | undefined> {
    const now = Date.now();
    const kept = this.#listening ? this.#entries.get(lookupId) : undefined;
    if (kept && now - kept.storedAt < (this.#options.maxAgeMs ?? 60_000)) return kept.record;

    const generation = this.#generation;
    this.#lookups += 1;
    const { rows } = await query<KeyRow>(await this.#options.pool(), KEY_SQL, [lookupId]);
    const row = rows[0];
    const record = row && {
      id: row.id,
      tenantId: row.tenant_id,
      role: row.role,
      mode: row.mode,
      secretHash: row.secret_hash,
      revoked: row.revoked_at !== null,
      expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
      ordersEnabled: row.orders_enabled,
    };
    // Only found keys are kept: unknown lookup ids cost a query each, as they always did.
    if (record && this.#listening && generation === this.#generation) {
      if (this.#entries.size >= (this.#options.maxEntries ?? 10_000)) this.#entries.clear();
      this.#entries.set(lookupId, { record, storedAt: now });
    }
    return record;
  }

  #forget(): void {
    this.#generation += 1;
    this.#entries.clear();
  }
}

/** Columns of the ApiKey and Tenant entities. */
const KEY_SQL = `select k.id, k.tenant_id, k.role, k.mode, k.secret_hash, k.revoked_at, k.expires_at, t.orders_enabled
  from api_keys k join tenants t on t.id = k.tenant_id
  where k.lookup_id = $1`;

interface KeyRow {
  id: string;
  tenant_id: string;
  role: string;
  mode: string;
  secret_hash: string;
  // MikroORM's pool keeps timestamps as the server's text
  revoked_at: string | null;
  expires_at: string | null;
  orders_enabled: boolean;
}
