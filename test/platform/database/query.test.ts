import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrm } from "../../../src/database.js";
import { nativePool, query } from "../../../src/platform/database/query.js";
import { testDatabaseUrl } from "../../support/database.js";
import { ifSetUp } from "../../support/set-up.js";

let orm: MikroORM;
beforeAll(async () => {
  orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 3 });
});
afterAll(() => ifSetUp(orm)?.close());

const INSERT = "insert into service_secrets (name, secret) values ($1, 'x')";
const secretsNamed = async (name: string) =>
  (await query(orm.em.fork(), "select name from service_secrets where name = $1", [name])).rows.length;

describe("query(): the one way to run SQL outside the unit of work", () => {
  it("binds parameters and reports the rows and how many were written", async () => {
    const name = `query-test-${randomUUID()}`;
    const inserted = await query(orm.em.fork(), `${INSERT} returning name`, [name]);
    expect(inserted).toEqual({ rows: [{ name }], rowCount: 1 });
    // A value is never SQL: a quote in it is data.
    const odd = `it's ${randomUUID()}`;
    await query(orm.em.fork(), INSERT, [odd]);
    expect(await secretsNamed(odd)).toBe(1);
  });

  it("runs in the unit of work's transaction when the EntityManager has one, and rolls back with it", async () => {
    const name = `query-test-${randomUUID()}`;
    const rolledBack = new Error("roll back");
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await query(tx, INSERT, [name]);
        expect((await query(tx, "select 1 from service_secrets where name = $1", [name])).rows).toHaveLength(1);
        // not committed yet: other sessions do not see it
        expect(await secretsNamed(name)).toBe(0);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await secretsNamed(name)).toBe(0);
  });

  it("commits on its own on the pool, even while the caller's transaction is open", async () => {
    const name = `query-test-${randomUUID()}`;
    const rolledBack = new Error("roll back");
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await query(await nativePool(tx), INSERT, [name]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await secretsNamed(name)).toBe(1);
  });
});
