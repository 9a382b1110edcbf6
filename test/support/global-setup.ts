import type { TestProject } from "vitest/node";
import { createScratchDatabase } from "./scratch-database.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of this run's own, freshly migrated database. */
    databaseUrl: string;
    natsUrl: string;
  }
}

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_NATS_URL = "nats://127.0.0.1:4222";

/**
 * Gives every test run its own database on the real server (DATABASE_URL points at a maintenance
 * database there), migrated exactly like production does it, and drops it afterwards. Runs that
 * overlap, e.g. two checkouts on one machine, never see each other's rows.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const database = await createScratchDatabase(serverUrl, "orderspine_test", { migrated: true });
  project.provide("databaseUrl", database.url);
  project.provide("natsUrl", process.env.NATS_URL ?? DEFAULT_NATS_URL);
  return () => database.drop();
}
