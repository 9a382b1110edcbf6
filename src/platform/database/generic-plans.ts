import pg from "pg";

/**
 * Connections of a second, small pool that plan each prepared statement once and keep that plan
 * (`plan_cache_mode = force_generic_plan`), for the named statements that ask for it (QueryOptions.plan).
 *
 * Why: PostgreSQL plans a named statement again for every execution ("custom" plans) as long as its estimate of
 * the one generic plan is worse than the custom ones. For a statement whose parameters are arrays unnested into
 * rows (the order lookups: one row per order of a batch) the generic estimate always is (it guesses 10 rows per
 * array), so the statement was planned anew each time: 2.3-3.4 ms of PostgreSQL's CPU per batch against
 * 0.3-0.6 ms of running it, and at one order in flight a third of CreateOrder's time. Its generic plan is the same
 * index lookups. The setting cannot be given per statement and would also apply to the unnamed statements on a
 * connection (where a plan fitted to the values matters, e.g. a page's filters), hence connections of its own.
 */
const GENERIC_PLAN_CONNECTIONS = 2;

const genericPlanPools = new WeakMap<pg.Pool, pg.Pool>();

/**
 * Gives `pool` (the service's, built by MikroORM: orm.ts) its generic-plan connections: a pool with the same
 * connection settings and limits, at most GENERIC_PLAN_CONNECTIONS connections, ended when `pool` is.
 */
export function addGenericPlanConnections(pool: pg.Pool): void {
  const { options } = pool as pg.Pool & { options: pg.PoolConfig };
  const generic = new pg.Pool({
    ...options,
    // pg-pool keeps the password as a property that a spread does not copy (so that logging the options never
    // shows it): without this a server that asks for one refuses these connections.
    password: options.password,
    min: 0,
    max: GENERIC_PLAN_CONNECTIONS,
    options: [options.options, "-c plan_cache_mode=force_generic_plan"].filter(Boolean).join(" "),
  });
  // An idle connection the server drops emits "error" on the pool; the next statement simply reconnects, and the
  // statement in flight, if any, rejects on its own.
  generic.on("error", () => {});
  const end = pool.end.bind(pool);
  pool.end = ((callback?: () => void) => {
    const ended = Promise.all([generic.end(), end()]).then(() => {});
    if (!callback) return ended;
    void ended.finally(callback);
  }) as typeof pool.end;
  genericPlanPools.set(pool, generic);
}

/** The generic-plan connections of `pool`, or `pool` itself when it has none (a pool of a test's or a tool's). */
export function genericPlanPool(pool: pg.Pool): pg.Pool {
  return genericPlanPools.get(pool) ?? pool;
}
