import type pg from "pg";
import { inject } from "vitest";

/** URL of the database the global setup created and migrated for this test run. */
export function testDatabaseUrl(): string {
  return inject("databaseUrl");
}

/** Whether a backend of the database `db` reaches waits for a lock while running a statement containing `fragment`. */
export async function waitingOnLock(db: pg.Pool, fragment: string): Promise<boolean> {
  const { rows } = await db.query("select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like $1", [
    `%${fragment}%`,
  ]);
  return rows.length > 0;
}
