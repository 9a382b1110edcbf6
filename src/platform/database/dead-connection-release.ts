import type pg from "pg";

/**
 * Hands a pooled connection back to the pool when its connection to the server ends while it is
 * checked out, so pg-pool discards it and the slot is free again.
 *
 * Why: Kysely 0.29.6, which MikroORM 7.2.1 runs transactions through, releases a transaction's
 * connection only after a successful ROLLBACK/COMMIT (kysely-org/kysely#1990). When the server goes
 * away mid-transaction (restart, failover, pg_terminate_backend) the ROLLBACK fails too, and the dead
 * connection stays checked out forever: every such event costs a pool slot until the pool is
 * exhausted, and `orm.close()` waits for it endlessly.
 */
export function releaseConnectionsThatDie(pool: pg.Pool): void {
  const checkedOut = new WeakSet<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_err, client) => checkedOut.delete(client));
  pool.on("connect", (client) => {
    client.once("end", () => {
      if (!checkedOut.has(client)) return;
      const release = client.release.bind(client);
      // The holder may still call release() later (Kysely does outside transactions); pg-pool throws
      // on a second release, which would replace the holder's real error, so later calls do nothing.
      client.release = () => {};
      release(new Error("database connection ended while checked out"));
    });
  });
}
