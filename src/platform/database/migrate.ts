import type { MikroORM } from "@mikro-orm/core";
import pg from "pg";
import { query } from "./query.js";

/**
 * Key of the session-level advisory lock that serialises migrations across replicas. Any fixed
 * bigint works; this one is arbitrary but must never change, or old and new replicas would stop
 * excluding each other.
 */
export const MIGRATION_LOCK_KEY = "7340155213907381461";

/** How long a replica waits for another one to finish migrating before giving up. */
const LOCK_WAIT_MS = 10 * 60_000;

/**
 * Runs the pending migrations while holding `pg_advisory_lock(MIGRATION_LOCK_KEY)`, so replicas that
 * start together migrate one after the other: the first applies the migrations, the others wait,
 * then find nothing pending.
 *
 * The lock lives on a dedicated `pg` client, not on the ORM pool, because an advisory lock belongs
 * to a database session and the migrator takes and returns pooled connections as it likes. If this
 * process dies while holding the lock, the session ends and PostgreSQL releases the lock.
 */
export async function migrateUnderLock(orm: MikroORM, databaseUrl: string): Promise<void> {
  const lockClient = new pg.Client({
    connectionString: databaseUrl,
    application_name: "orderspine-migrate",
    connectionTimeoutMillis: 5_000,
    // lock_timeout bounds the wait in pg_advisory_lock; statement_timeout would cut it as well
    lock_timeout: LOCK_WAIT_MS,
  });
  // A dropped connection is reported both as a rejected query and as an 'error' event; without a
  // listener the event would crash the process, and the rejection already carries the failure.
  lockClient.on("error", () => {});
  await lockClient.connect();
  try {
    await query(lockClient, "select pg_advisory_lock($1::bigint)", [MIGRATION_LOCK_KEY]);
    try {
      await orm.migrator.up();
    } finally {
      await query(lockClient, "select pg_advisory_unlock($1::bigint)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lockClient.end();
  }
}
