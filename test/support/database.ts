import { inject } from "vitest";

/** URL of the database the global setup created and migrated for this test run. */
export function testDatabaseUrl(): string {
  return inject("databaseUrl");
}
