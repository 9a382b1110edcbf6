import { randomUUID } from "node:crypto";
import net from "node:net";
import type { MikroORM } from "@mikro-orm/postgresql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tenant } from "../../../src/database.js";
import {
  isConnectionPoolExhausted,
  isDatabaseUnavailable,
  isDeadlock,
  isUniqueViolation,
} from "../../../src/platform/database/errors.js";
import { createOrm } from "../../../src/database.js";
import { testDatabaseUrl } from "../../support/database.js";

let orm: MikroORM;

beforeAll(async () => {
  orm = await createOrm({ databaseUrl: testDatabaseUrl() });
});

afterAll(async () => {
  await orm.close(true);
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
}

describe("isDeadlock", () => {
  it("recognises SQLSTATE 40P01 along the cause chain, and nothing else", () => {
    const deadlock = Object.assign(new Error("deadlock detected"), { code: "40P01" });
    expect(isDeadlock(deadlock)).toBe(true);
    expect(isDeadlock(new Error("wrapped", { cause: deadlock }))).toBe(true);
    expect(isDeadlock(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isDeadlock("40P01")).toBe(false);
  });
});

describe("isUniqueViolation", () => {
  it("recognises a primary key clash from a raw statement, by constraint name too", async () => {
    const em = orm.em.fork();
    const id = randomUUID();
    await em.execute("insert into tenants (id, name) values (?, 'a')", [id]);
    const err = await rejection(em.execute("insert into tenants (id, name) values (?, 'b')", [id]));
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(err, "tenants_pkey")).toBe(true);
    expect(isUniqueViolation(err, "api_keys_lookup_id_unique")).toBe(false);
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it("recognises a unique violation wrapped as a cause", async () => {
    const em = orm.em.fork();
    const id = randomUUID();
    em.create(Tenant, { id, name: "a" });
    await em.flush();
    const dup = orm.em.fork();
    dup.create(Tenant, { id, name: "b" });
    const err = await rejection(dup.flush());
    expect(isUniqueViolation(new Error("create failed", { cause: err }), "tenants_pkey")).toBe(true);
  });
});

describe("isDatabaseUnavailable", () => {
  it("is true for an ORM pointed at a closed port", async () => {
    const down = await createOrm({ databaseUrl: "postgres://postgres@127.0.0.1:1/postgres" });
    try {
      const err = await rejection(down.em.fork().execute("select 1"));
      expect(isDatabaseUnavailable(err)).toBe(true);
      expect(isUniqueViolation(err)).toBe(false);

      const inTransaction = await rejection(down.em.fork().transactional(async (em) => em.execute("select 1")));
      expect(isDatabaseUnavailable(inTransaction)).toBe(true);
    } finally {
      await down.close(true);
    }
  });

  it("is true when the server terminates the session (57P01)", async () => {
    const victim = new pg.Client({ connectionString: testDatabaseUrl() });
    victim.on("error", () => {});
    await victim.connect();
    try {
      const { rows } = await victim.query<{ pid: number }>("select pg_backend_pid() as pid");
      await orm.em.fork().execute("select pg_terminate_backend(?)", [rows[0]?.pid]);
      const err = await rejection(victim.query("select 1"));
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      await victim.end().catch(() => {});
    }
  });

  it("is true when a pooled connection of the ORM is terminated mid-transaction", async () => {
    const err = await rejection(
      orm.em.fork().transactional(async (em) => {
        await em.execute("select pg_terminate_backend(pg_backend_pid())");
      }),
    );
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it("is false, and the pool is exhausted, when every pooled connection stays busy (the database is up)", async () => {
    const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1, connectionTimeoutMillis: 200 });
    const held = await pool.connect();
    try {
      const err = await rejection(pool.query("select 1"));
      expect(isDatabaseUnavailable(err)).toBe(false);
      expect(isConnectionPoolExhausted(err)).toBe(true);
    } finally {
      held.release();
      await pool.end();
    }
  });

  it("is true, and the pool is not exhausted, when a new connection cannot be made in time", async () => {
    // A listener that accepts TCP connections and never answers: pg's connect times out.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    const pool = new pg.Pool({
      connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
      max: 1,
      connectionTimeoutMillis: 200,
    });
    try {
      const err = await rejection(pool.query("select 1"));
      expect(isDatabaseUnavailable(err)).toBe(true);
      expect(isConnectionPoolExhausted(err)).toBe(false);
    } finally {
      await pool.end();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("is false for ordinary query errors", async () => {
    const em = orm.em.fork();
    expect(isDatabaseUnavailable(await rejection(em.execute("select * from no_such_table")))).toBe(false);
    expect(isDatabaseUnavailable(await rejection(em.execute("select 1/0")))).toBe(false);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
