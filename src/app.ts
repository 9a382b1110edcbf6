import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { Logger } from "pino";
import { file_orders_v1_events } from "../gen/orders/v1/events_pb.js";
import { CustomersService } from "../gen/orders/v1/customers_service_pb.js";
import { OrdersService } from "../gen/orders/v1/orders_service_pb.js";
import { CUSTOMERS_METHOD_ROLES } from "./customers/access.js";
import { ORDERS_METHOD_ROLES } from "./orders/access.js";
import type { Config } from "./platform/config/config.js";
import { CreateCustomer } from "./customers/create-customer.js";
import { GetCustomer } from "./customers/get-customer.js";
import { ApiKeyStore } from "./platform/auth/api-key-store.js";
import { connectNats } from "./platform/outbox/nats.js";
import { OutboxRelay } from "./platform/outbox/outbox-relay.js";
import { CancelOrder } from "./orders/cancel-order.js";
import { CreateOrder } from "./orders/create-order.js";
import { DeliverOrder } from "./orders/deliver-order.js";
import { FulfillOrder } from "./orders/fulfill-order.js";
import { GetOrder } from "./orders/get-order.js";
import { ListOrders } from "./orders/list-orders.js";
import { OrderMutations } from "./orders/order-mutation.js";
import { loadPageTokens } from "./orders/page-token-key.js";
import { PreviewOrder } from "./orders/preview-order.js";
import { RecordPayment } from "./orders/record-payment.js";
import { RefundOrder } from "./orders/refund-order.js";
import { UpdateOrder } from "./orders/update-order.js";
import { Housekeeping } from "./platform/database/housekeeping.js";
import { migrateUnderLock } from "./platform/database/migrate.js";
import { nativePool } from "./platform/database/query.js";
import { createOrm } from "./database.js";
import { withCors } from "./platform/transport/cors.js";
import { CONSOLE_DIST_DIR, withStaticFiles } from "./platform/transport/static-files.js";
import { CustomersServiceHandler } from "./customers/handler.js";
import { OrdersServiceHandler } from "./orders/handler.js";
import { HealthState, registerHealth } from "./platform/transport/health.js";
import { createAuthInterceptor } from "./platform/transport/interceptors/auth.js";
import { createErrorInterceptor } from "./platform/transport/interceptors/errors.js";
import { createLoggingInterceptor } from "./platform/transport/interceptors/logging.js";
import { createValidationInterceptor } from "./platform/transport/interceptors/validation.js";
import { registerReflection } from "./platform/transport/reflection.js";
import { routes } from "./routes.js";
import { createServer } from "./platform/transport/server.js";
import { withDecodeFailuresAsInvalidArgument } from "./platform/transport/decode-errors.js";

export interface Orderspine {
  url: string;
  port: number;
  orm: MikroORM;
  /** Graceful stop: NOT_SERVING, drain calls, stop the relay, close pools. */
  shutdown(): Promise<void>;
}

/**
 * The whole service wiring in one place: database, event relay, use cases,
 * interceptors, routes and the one port that serves them.
 */
export async function startOrderspine(config: Config, databaseUrl: string, logger: Logger): Promise<Orderspine> {
  const orm = await createOrm({ databaseUrl, poolMax: config.databasePoolMax });
  await migrateUnderLock(orm, databaseUrl);

  const nats = connectNats(config.natsUrl, logger.child({ component: "nats" }));
  const relay = new OutboxRelay({
    databaseUrl,
    nats: () => nats.current(),
    logger: logger.child({ component: "outbox-relay" }),
    source: config.eventSource,
  });
  relay.start();
  const housekeeping = new Housekeeping(orm, { logger: logger.child({ component: "housekeeping" }) });
  housekeeping.start();

  const apiKeys = new ApiKeyStore({
    pool: () => nativePool(orm.em),
    databaseUrl,
    logger: logger.child({ component: "auth" }),
  });
  apiKeys.start();

  const health = new HealthState();
  const mutations = new OrderMutations({ orm, onCommitted: () => relay.wake() });
  const handlers = {
    orders: new OrdersServiceHandler({
      createOrder: new CreateOrder({ orm, onOrderCommitted: () => relay.wake() }),
      getOrder: new GetOrder(orm),
      previewOrder: new PreviewOrder({ orm }),
      // Signed with PAGE_TOKEN_SECRET, or the key every replica reads from the database, read once here.
      listOrders: new ListOrders(orm, await loadPageTokens(orm, config.pageTokenSecret)),
      updateOrder: new UpdateOrder(mutations),
      fulfillOrder: new FulfillOrder(mutations),
      deliverOrder: new DeliverOrder(mutations),
      cancelOrder: new CancelOrder(mutations),
      recordPayment: new RecordPayment(mutations),
      refundOrder: new RefundOrder(mutations),
    }),
    customers: new CustomersServiceHandler({
      createCustomer: new CreateCustomer(orm),
      getCustomer: new GetCustomer(orm),
    }),
  };
  const handler = connectNodeAdapter({
    // A body that does not decode is the client's mistake (INVALID_ARGUMENT), not ours (INTERNAL).
    routes: withDecodeFailuresAsInvalidArgument((router: ConnectRouter) => {
      routes(handlers)(router);
      registerHealth(router, health);
      // The event payloads are part of the contract too, though no RPC returns them.
      registerReflection(router, { extraFiles: [file_orders_v1_events] });
    }),
    // Outermost first: log the final code, map errors, authenticate, then validate.
    interceptors: [
      createLoggingInterceptor(logger),
      createErrorInterceptor(logger),
      createAuthInterceptor(apiKeys, {
        requiredRoles: { ...ORDERS_METHOD_ROLES, ...CUSTOMERS_METHOD_ROLES },
        ordersModuleServices: new Set([OrdersService.typeName, CustomersService.typeName]),
      }),
      createValidationInterceptor(),
    ],
    readMaxBytes: config.maxRequestBytes,
    maxTimeoutMs: config.maxTimeoutMs,
  });
  const server = createServer({
    handler: withStaticFiles(withCors(handler, { origins: config.corsOrigins }), CONSOLE_DIST_DIR, {
      apiOrigins: config.consoleApiOrigins,
    }),
    logger,
    maxHeaderBytes: config.maxHeaderBytes,
  });
  const { url, port } = await server.listen(config.port, config.host);
  health.setServing("", true);

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      health.markShuttingDown();
      await server.shutdown(config.shutdownGraceMs);
      await Promise.all([relay.stop(), housekeeping.stop(), apiKeys.stop()]);
      await nats.close();
      await orm.close();
    })());
  return { url, port, orm, shutdown };
}
