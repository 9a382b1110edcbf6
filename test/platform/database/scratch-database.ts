import { randomUUID } from "node:crypto";
import pg from "pg";
import { testDatabaseUrl } from "../../support/database.js";

/**
 * An empty database of its own, for tests that migrate down and up: doing that in the shared
 * test database would pull the tables from under the other test files running in parallel.
 */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `orderspine_scratch_${randomUUID().replaceAll("-", "")}`;
  await onServer(`create database ${name}`);
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(`drop database if exists ${name} with (force)`),
  };
}

/** Database-level statements run from the shared test database, which every run has. */
async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
