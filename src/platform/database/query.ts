import type { EntityManager } from "@mikro-orm/postgresql";
import type pg from "pg";

/**
 * The `pg` pool under MikroORM's connection, for the few fixed statements every CreateOrder runs
 * (authentication, customer + order number, the insert). They go to it with bound parameters
 * ($1, $2, ...) because MikroORM's `execute` formats every value into the SQL text and then runs
 * the text through Kysely: together about a fifth of the service's CPU per order in the bench
 * profile. It is the same pool, with the same limits and connection hooks (orm.ts), so nothing
 * else changes; every transaction and every other query still goes through MikroORM.
 */
export function nativePool(em: EntityManager): Promise<pg.Pool> {
  return em.getConnection("write").getNativeClient();
}

/** Collects bound parameters while a statement is built: `bind(value)` returns its placeholder. */
export class Parameters {
  readonly values: unknown[] = [];

  bind(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** `($1, $2, ...)` for one row of a VALUES list. */
  row(values: readonly unknown[]): string {
    return `(${values.map((value) => this.bind(value)).join(", ")})`;
  }
}
