import type { Logger } from "pino";
import type { Config } from "./config.js";
import { EMBEDDED_PG_DATABASE, startEmbeddedPostgres } from "./embedded-postgres.js";

export interface Database {
  databaseUrl: string;
  /** True when this process runs the embedded PostgreSQL (development default). */
  embedded: boolean;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise an embedded PostgreSQL whose data stays in embeddedPostgresDir. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseUrl) return { databaseUrl: config.databaseUrl, embedded: false, stop: async () => {} };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const server = await startEmbeddedPostgres({
    dataDir: config.embeddedPostgresDir,
    port: config.embeddedPostgresPort,
    logger: logger.child({ component: "embedded-postgres" }),
  });
  // embedded-postgres hooks these signals to stop its server and exit at once, which would cut
  // our graceful drain short; main.ts stops the database itself after the service has drained.
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return { databaseUrl: server.databaseUrl, embedded: true, stop: () => server.stop() };
}

/** The URL of the embedded server 'npm start' runs, for tools (the admin CLI) that connect while it runs. */
export function embeddedDatabaseUrl(config: Config): string {
  return `postgres://postgres:orderspine@127.0.0.1:${config.embeddedPostgresPort}/${EMBEDDED_PG_DATABASE}`;
}
