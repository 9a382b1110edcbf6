import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateUnderLock } from "../../src/platform/database/migrate.js";
import { createOrm } from "../../src/database.js";

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
  const databaseName = `orderspine_test_${Date.now()}_${process.pid}`;
  const databaseUrl = withDatabase(serverUrl, databaseName);

  await onServer(serverUrl, `create database ${databaseName}`);
  const drop = () => onServer(serverUrl, `drop database if exists ${databaseName} with (force)`);
  try {
    const orm = await createOrm({ databaseUrl, poolMax: 2 });
    try {
      await migrateUnderLock(orm, databaseUrl);
    } finally {
      await orm.close(true);
    }
  } catch (err) {
    await drop();
    throw err;
  }

  project.provide("databaseUrl", databaseUrl);
  project.provide("natsUrl", process.env.NATS_URL ?? DEFAULT_NATS_URL);
  return drop;
}

function withDatabase(serverUrl: string, databaseName: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
