import type pg from "pg";
import type { ServiceMetrics } from "../metrics/metrics.js";

/** The service's PostgreSQL pool (MikroORM's `pg` pool) as Prometheus sees it at each scrape. */
export function databasePoolMetrics(metrics: ServiceMetrics, pool: () => Promise<pg.Pool>): void {
  metrics.gauge({
    name: "orderspine_db_pool_connections",
    help: "Connections of the service's PostgreSQL pool, by state: in_use (checked out) or idle.",
    labelNames: ["state"],
    async read(gauge) {
      const { totalCount, idleCount } = await pool();
      gauge.set({ state: "in_use" }, totalCount - idleCount);
      gauge.set({ state: "idle" }, idleCount);
    },
  });
  metrics.gauge({
    name: "orderspine_db_pool_max_connections",
    help: "Most connections the service's PostgreSQL pool opens (DATABASE_POOL_MAX).",
    async read(gauge) {
      gauge.set((await pool()).options.max);
    },
  });
  metrics.gauge({
    name: "orderspine_db_pool_waiting",
    help: "Queries waiting for a connection of the service's PostgreSQL pool.",
    async read(gauge) {
      gauge.set((await pool()).waitingCount);
    },
  });
}
