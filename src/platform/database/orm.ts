import { fileURLToPath } from "node:url";
import { Migrator } from "@mikro-orm/migrations";
import { MikroORM, PostgreSqlDriver, type EntitySchema } from "@mikro-orm/postgresql";
import type pg from "pg";
import { releaseConnectionsThatDie } from "./dead-connection-release.js";
import { addGenericPlanConnections } from "./generic-plans.js";
import { RefuseRoutine } from "./refusal.js";

/** The committed migrations, resolved from this file so the working directory does not matter. */
export const MIGRATIONS_PATH = fileURLToPath(new URL("./migrations", import.meta.url));

export interface CreateOrmOptions {
  /** postgres://user[:password]@host:port/database */
  databaseUrl: string;
  /** Upper bound of pooled connections of this process (default 10). */
  poolMax?: number;
}

export interface InitOrmOptions extends CreateOrmOptions {
  /** Every entity of the platform and the capabilities, listed by the application (src/database.ts). */
  entities: readonly EntitySchema[];
}

/**
 * Builds the ORM for the service. Nothing is discovered: the entities are listed explicitly (by the
 * application, which knows the capabilities) and defined with `defineEntity`, so no reflection or
 * folder scanning happens. The pool connects lazily, on the first query.
 */
export async function initOrm(options: InitOrmOptions): Promise<MikroORM> {
  // Handed to `pg.Pool` as is; every value is a bound that turns a stuck database into a fast,
  // visible error instead of requests piling up behind it.
  const pgPool: pg.PoolConfig = {
    application_name: "orderspine",
    // also the pool acquire timeout: waiting longer than this for a free connection fails
    connectionTimeoutMillis: 5_000,
    // server-side limits, set on every new connection
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 30_000,
    // notice a peer that vanished without closing the socket within about a minute, not hours
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
  return MikroORM.init({
    driver: PostgreSqlDriver,
    clientUrl: options.databaseUrl,
    entities: [...options.entities],
    // The platform's own SQL functions (refusal.ts).
    routines: [RefuseRoutine],
    extensions: [Migrator],
    allowGlobalContext: false,
    // the database is created by deployment (or the test setup), never implicitly by a replica
    ensureDatabase: false,
    pool: { min: 0, max: options.poolMax ?? 10, idleTimeoutMillis: 30_000 },
    // `onPoolCreated` is MikroORM's hook to reach the `pg.Pool` it builds from `pgPool`
    driverOptions: {
      ...pgPool,
      onPoolCreated: (pool: pg.Pool) => {
        releaseConnectionsThatDie(pool);
        addGenericPlanConnections(pool);
      },
    },
    migrations: {
      path: MIGRATIONS_PATH,
      glob: "Migration*.{js,ts}",
      tableName: "mikro_orm_migrations",
      transactional: true,
      allOrNothing: true,
      // schema snapshots are a code-generation aid; a running service must not write files
      snapshot: false,
      snapshotOnMigrate: false,
      silent: true,
    },
  });
}
