import type { EntityManager } from "@mikro-orm/postgresql";
import type pg from "pg";
import { nativePool } from "../../src/platform/database/query.js";

/** The pool under `em`, counting the statements run on it (a test that says how many round trips a read takes). */
export async function countingPool(em: EntityManager): Promise<{ db: pg.Pool; statements: () => number }> {
  const pool = await nativePool(em);
  let statements = 0;
  const db = new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== "query") return Reflect.get(target, property, receiver) as unknown;
      return (sql: string, values?: unknown[]) => {
        statements++;
        return target.query(sql, values);
      };
    },
  });
  return { db, statements: () => statements };
}
