import type { MikroORM } from "@mikro-orm/postgresql";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateUnderLock } from "../../../src/platform/database/migrate.js";
import { readdirSync } from "node:fs";
import { createOrm, entities } from "../../../src/database.js";
import { MIGRATIONS_PATH } from "../../../src/platform/database/orm.js";
import { testDatabaseUrl } from "../../support/database.js";
import { createScratchDatabase, type ScratchDatabase } from "../../support/scratch-database.js";

/** Every entity's table: the migrations must create exactly these (and their own bookkeeping table). */
const TABLES = entities.map((schema) => schema.meta.tableName).sort();

/** Every migration file, in the order the migrator applies them (by name). */
const MIGRATIONS = readdirSync(MIGRATIONS_PATH)
  .filter((file) => /^Migration\d+\.ts$/.test(file))
  .map((file) => file.replace(/\.ts$/, ""))
  .sort();

let db: ScratchDatabase;
const orms: MikroORM[] = [];

async function newOrm(): Promise<MikroORM> {
  const orm = await createOrm({ databaseUrl: db.url, poolMax: 2 });
  orms.push(orm);
  return orm;
}

async function tableNames(orm: MikroORM): Promise<string[]> {
  const rows = await orm.em
    .fork()
    .execute<{ name: string }[]>(
      "select table_name as name from information_schema.tables where table_schema = 'public' and table_name <> 'mikro_orm_migrations' order by 1",
    );
  return rows.map((r) => r.name);
}

// An empty database of its own for each test, since they migrate down and up: doing that in the shared test
// database would pull the tables from under the other test files running in parallel.
beforeEach(async () => {
  db = await createScratchDatabase(testDatabaseUrl(), "orderspine_scratch");
});

afterEach(async () => {
  await Promise.all(orms.splice(0).map((orm) => orm.close(true)));
  await db.drop();
});

describe("migrations", () => {
  it("run once when two replicas migrate a fresh database at the same time", async () => {
    const replicas = [await newOrm(), await newOrm()];
    const applied: string[] = [];
    for (const orm of replicas) orm.migrator.on("migrated", ({ name }) => void applied.push(name));

    await Promise.all(replicas.map((orm) => migrateUnderLock(orm, db.url)));

    expect(applied).toEqual(MIGRATIONS);
    const [first] = replicas;
    if (!first) throw new Error("unreachable");
    expect(await tableNames(first)).toEqual(TABLES);
    const logged = await first.em.fork().execute<{ name: string }[]>("select name from mikro_orm_migrations");
    expect(logged.map((r) => r.name)).toEqual(MIGRATIONS);
    // the lock was given back: a later start migrates (nothing) without waiting
    await migrateUnderLock(await newOrm(), db.url);
  });

  it("leave the database exactly as the entities describe it", async () => {
    const orm = await newOrm();
    await migrateUnderLock(orm, db.url);
    expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe("");
  });

  it("go down to an empty schema and up again", async () => {
    const orm = await newOrm();
    await migrateUnderLock(orm, db.url);

    await orm.migrator.down({ to: 0 });
    expect(await tableNames(orm)).toEqual([]);
    expect(await orm.migrator.getExecuted()).toEqual([]);

    await migrateUnderLock(orm, db.url);
    expect(await tableNames(orm)).toEqual(TABLES);
    expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe("");
  });

  it("fail when the lock connection cannot be made", async () => {
    const orm = await newOrm();
    await expect(migrateUnderLock(orm, "postgres://postgres@127.0.0.1:1/postgres")).rejects.toThrow();
    expect(await orm.migrator.getExecuted()).toEqual([]);
  });

  it("fail when migrating fails, without leaving the lock held", async () => {
    const unreachable = await createOrm({ databaseUrl: "postgres://postgres@127.0.0.1:1/postgres" });
    orms.push(unreachable);
    await expect(migrateUnderLock(unreachable, db.url)).rejects.toThrow();

    const orm = await newOrm();
    await migrateUnderLock(orm, db.url);
    expect(await tableNames(orm)).toEqual(TABLES);
  });
});
