import pg from "pg";
import { migrateUnderLock } from "../src/platform/database/migrate.js";
import { createOrm } from "../src/database.js";

export interface BenchDatabase {
  url: string;
  /** PostgreSQL's version string, for the report. */
  serverVersion: string;
  drop(): Promise<void>;
}

/**
 * A fresh database for one bench run on the server DATABASE_URL points at, migrated the way the
 * service migrates, so the baseline and the service write to identical tables and indexes and no
 * earlier run's rows or bloat skew the figures.
 */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `orderspine_bench_${Date.now()}_${process.pid}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const serverVersion = await onServer(serverUrl, async (client) => {
    await client.query(`create database ${name}`);
    const { rows } = await client.query<{ server_version: string }>("show server_version");
    return rows[0]?.server_version ?? "unknown";
  });
  const drop = () =>
    onServer(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined);
  try {
    const orm = await createOrm({ databaseUrl: url.toString(), poolMax: 2 });
    try {
      await migrateUnderLock(orm, url.toString());
    } finally {
      await orm.close(true);
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return { url: url.toString(), serverVersion, drop };
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
