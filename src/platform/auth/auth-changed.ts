/** Where every committed change to API keys and tenants is announced (api-key-store.ts listens). */
export const AUTH_CHANGED_CHANNEL = "orderspine_auth";

/**
 * A statement trigger that notifies AUTH_CHANGED_CHANNEL on every committed change to the table, however it is
 * made (admin CLI, migration, plain SQL), so replicas drop the API keys they keep in memory at once.
 */
export const notifyAuthChanged = {
  name: "notify_auth_changed",
  timing: "after",
  // not "truncate": information_schema, which the schema diff reads, does not list it
  events: ["insert", "update", "delete"],
  forEach: "statement",
  body: `perform pg_notify('${AUTH_CHANGED_CHANNEL}', ''); return null;`,
} as const;
