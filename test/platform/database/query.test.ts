import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/postgresql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrm } from "../../../src/database.js";
import { addGenericPlanConnections, genericPlanPool } from "../../../src/platform/database/generic-plans.js";
import { nativePool, query, type QueryOptions } from "../../../src/platform/database/query.js";
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

describe("query() with plan: generic", () => {
  const PLAN_MODE = "select current_setting('plan_cache_mode') as mode, $1::int as n";
  const modeOf = async (options: QueryOptions) =>
    (await query<{ mode: string }>(await nativePool(orm.em), PLAN_MODE, [1], options)).rows[0]?.mode;

  it("runs a named statement on connections that keep one generic plan, and nothing else there", async () => {
    expect(await modeOf({ name: "query_test_generic", plan: "generic" })).toBe("force_generic_plan");
    // The service's other statements, named or not, are planned for their values as before.
    expect(await modeOf({ name: "query_test_custom" })).toBe("auto");
    expect(await modeOf({})).toBe("auto");
    // Unnamed, a plan would be made per call anyway: the option asks nothing then.
    expect(await modeOf({ plan: "generic" })).toBe("auto");
  });

  it("keeps the statement's generic plan: PostgreSQL plans it once per connection, not per call", async () => {
    const pool = await nativePool(orm.em);
    const sql =
      "select count(*)::int as n from unnest($1::uuid[]) as ids (id) join service_secrets s on s.name = ids.id::text";
    for (let i = 0; i < 8; i++)
      await query(pool, sql, [[randomUUID()]], { name: "query_test_unnest", plan: "generic" });
    // pg_prepared_statements is per connection: read it on each of them.
    const plans = await Promise.all(
      [0, 1].map(async () => {
        const client = await genericPlanPool(pool).connect();
        try {
          const { rows } = await client.query<{ generic: number; custom: number }>(
            "select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where name = 'query_test_unnest'",
          );
          return rows[0];
        } finally {
          client.release();
        }
      }),
    );
    const used = plans.filter((plan) => plan !== undefined);
    expect(used.length).toBeGreaterThan(0);
    for (const plan of used) expect(plan).toMatchObject({ custom: 0 });
    expect(used.reduce((sum, plan) => sum + plan.generic, 0)).toBe(8);
  });

  it("connects as the service's pool does, with its password too (which pg-pool hides from a spread)", async () => {
    const pool = new pg.Pool({ host: "127.0.0.1", user: "orderspine", password: "s3cret", max: 3 });
    addGenericPlanConnections(pool);
    const { options } = genericPlanPool(pool) as pg.Pool & { options: pg.PoolConfig };
    expect(options).toMatchObject({ host: "127.0.0.1", user: "orderspine", password: "s3cret", max: 2 });
    await pool.end();
    expect(genericPlanPool(pool).ending).toBe(true);
  });

  it("ends with the service's pool", async () => {
    const own = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 1 });
    const pool = await nativePool(own.em);
    const generic = genericPlanPool(pool);
    expect(generic).not.toBe(pool);
    await query(pool, "select 1 as one", [], { name: "query_test_end", plan: "generic" });
    expect(generic.totalCount).toBe(1);
    // MikroORM ends its pool on close only once its query builder has run a statement, as the service's always has.
    await own.em.fork().execute("select 1");
    await own.close();
    expect(generic.totalCount).toBe(0);
    expect(generic.ending).toBe(true);
  });
});
