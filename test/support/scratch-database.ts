import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrateUnderLock } from "../../src/platform/database/migrate.js";
import { createOrm } from "../../src/database.js";

/**
 * A database of its own on a PostgreSQL server, for a test run, a test that must not share the run's database
 * (it migrates down, breaks the database on purpose, or points a relay elsewhere) or a bench run. The one place
 * tests and the bench create and drop databases. No vitest here: the bench imports it too.
 */
export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  /** Applies the project's migrations, exactly as the service does at start. */
  migrate(): Promise<void>;
  /** Drops it, ending any connection still open to it. */
  drop(): Promise<void>;
}

export interface ScratchDatabaseOptions {
  /** Migrate it before returning (and drop it if that fails). */
  migrated?: boolean;
}

/**
 * Creates `<prefix>_<ms>_<pid>_<random>` on the server `serverUrl` points at; `serverUrl` names any database
 * there to connect to for `create database` (the maintenance database `postgres`, or the test run's own).
 */
export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
  options: ScratchDatabaseOptions = {},
): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now()}_${process.pid}_${randomBytes(3).toString("hex")}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await onServer(serverUrl, `create database ${name}`);
  const database: ScratchDatabase = {
    name,
    url: url.toString(),
    migrate: () => migrate(url.toString()),
    drop: () => onServer(serverUrl, `drop database if exists ${name} with (force)`),
  };
  if (options.migrated) {
    try {
      await database.migrate();
    } catch (error) {
      await database.drop();
      throw error;
    }
  }
  return database;
}

async function migrate(databaseUrl: string): Promise<void> {
  const orm = await createOrm({ databaseUrl, poolMax: 2 });
  try {
    await migrateUnderLock(orm, databaseUrl);
  } finally {
    await orm.close(true);
  }
}

/** Database-level statements, run from a connection to another database on the same server. */
async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
