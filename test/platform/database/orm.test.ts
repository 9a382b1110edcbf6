import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MikroORM } from "@mikro-orm/postgresql";
import { Tenant } from "../../../src/database.js";
import { isDatabaseUnavailable } from "../../../src/platform/database/errors.js";
import { createOrm } from "../../../src/database.js";
import { testDatabaseUrl } from "../../support/database.js";

let orm: MikroORM;

beforeAll(async () => {
  orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 1 });
});

afterAll(async () => {
  await orm.close(true);
});

describe("createOrm", () => {
  it("sets the session limits on every connection", async () => {
    const [row] = await orm.em
      .fork()
      .execute<{ statement: string; idle: string; app: string }[]>(
        "select current_setting('statement_timeout') as statement, " +
          "current_setting('idle_in_transaction_session_timeout') as idle, " +
          "current_setting('application_name') as app",
      );
    expect(row).toEqual({ statement: "15s", idle: "30s", app: "orderspine" });
  });

  it("refuses to use the global EntityManager, so requests cannot share an identity map", async () => {
    await expect(orm.em.find(Tenant, {})).rejects.toThrow(/global EntityManager/);
  });

  it("gets its only pool slot back when connections die inside transactions", async () => {
    for (let i = 0; i < 3; i++) {
      const err: unknown = await orm.em
        .fork()
        .transactional(async (em) => {
          await em.execute("select pg_terminate_backend(pg_backend_pid())");
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isDatabaseUnavailable(err)).toBe(true);
    }
    // with poolMax 1 a leaked slot would make this wait for the 5 s acquire timeout and fail
    const started = Date.now();
    const [row] = await orm.em.fork().execute<{ one: number }[]>("select 1 as one");
    expect(row?.one).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
