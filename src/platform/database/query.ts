import type { EntityManager } from "@mikro-orm/postgresql";
import type pg from "pg";
import { genericPlanPool } from "./generic-plans.js";

/**
 * The one way to run SQL outside the unit of work's entities: a statement with bound parameters
 * ($1, $2, ...), written in a capability's queries file or in the platform, run on
 * - an EntityManager: inside its open transaction when it has one (the statement then commits or
 *   rolls back with the unit of work), otherwise on the `pg` pool under MikroORM's connection;
 * - a `pg` pool or client of the caller's own (the relay's transaction, the migration lock).
 *
 * Not MikroORM's `execute`: it formats every value into the SQL text and then runs the text through
 * Kysely, together about a fifth of the service's CPU per order in the bench profile. The pool is
 * MikroORM's own, with the same limits and connection hooks (orm.ts).
 */
export type Queryable = EntityManager | pg.Pool | pg.ClientBase;

export interface QueryResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted (0 for a select). */
  rowCount: number;
}

/** How a statement is run. */
export interface QueryOptions {
  /**
   * Keep the statement prepared on each connection under this name (parsed and planned once per connection, not
   * per call), for a statement whose text never changes while the process runs. Not inside a unit of work's
   * transaction, which runs it unnamed.
   */
  name?: string;
  /**
   * With `name`: "generic" plans the statement once per connection and keeps the plan (generic-plans.ts), for a
   * statement whose planning costs more than running it and whose best plan does not depend on its values. Only on
   * the service's pool (it has such connections); elsewhere, and inside a transaction, as without.
   */
  plan?: "generic";
}

export async function query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
  db: Queryable,
  sql: string,
  values: readonly unknown[] = [],
  options: QueryOptions = {},
): Promise<QueryResult<Row>> {
  if (!isEntityManager(db)) {
    const runner = options.plan === "generic" && options.name !== undefined && isPool(db) ? genericPlanPool(db) : db;
    const result = await runner.query<Row>(
      options.name === undefined
        ? { text: sql, values: [...values] }
        : { name: options.name, text: sql, values: [...values] },
    );
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  }
  const transaction = db.isInTransaction() ? db.getTransactionContext<OpenTransaction>() : undefined;
  if (transaction === undefined) return query<Row>(await nativePool(db), sql, values, options);
  // The transaction's own connection: the same `pg` client.query(sql, values) as above.
  const result = await transaction.executeQuery({
    sql,
    parameters: values,
    query: { kind: "RawNode", sqlFragments: [sql], parameters: [] },
    queryId: { queryId: "orderspine-query" },
  });
  return { rows: result.rows as Row[], rowCount: Number(result.numAffectedRows ?? 0) };
}

/**
 * The `pg` pool under MikroORM's connection: a statement run on it commits on its own, even while the
 * caller's EntityManager has a transaction open (order numbers must not wait for an order's commit).
 */
export function nativePool(em: EntityManager): Promise<pg.Pool> {
  return em.getConnection("write").getNativeClient();
}

/**
 * Another statement's SQL with its placeholders replaced by SQL expressions ($1 by the first, ...), e.g. by the
 * columns of a relation of the caller's: how a statement runs a query written apart for every row of a list (one
 * statement for many orders, each row's values in columns). The SQL must use `$n` only as placeholders.
 */
export function withPlaceholdersAs(sql: string, expressions: readonly string[]): string {
  return sql.replace(/\$(\d+)/g, (placeholder, n: string) => {
    const expression = expressions[Number(n) - 1];
    if (expression === undefined) throw new Error(`no expression for ${placeholder}`);
    return `(${expression})`;
  });
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

/**
 * What MikroORM's transaction context is (a Kysely transaction), as far as running a compiled
 * statement on its connection goes: Kysely hands `sql` and `parameters` to pg's client.query.
 */
interface OpenTransaction {
  executeQuery(compiled: {
    sql: string;
    parameters: readonly unknown[];
    query: { kind: "RawNode"; sqlFragments: readonly string[]; parameters: readonly unknown[] };
    queryId: { queryId: string };
  }): Promise<{ rows: unknown[]; numAffectedRows?: bigint }>;
}

function isEntityManager(db: Queryable): db is EntityManager {
  return "getConnection" in db;
}

function isPool(db: pg.Pool | pg.ClientBase): db is pg.Pool {
  return "totalCount" in db;
}
