import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { Logger } from "pino";
import { CartsService } from "../gen/orders/v1/carts_service_pb.js";
import { CatalogService } from "../gen/orders/v1/catalog_service_pb.js";
import { CompaniesService } from "../gen/orders/v1/companies_service_pb.js";
import { CustomersService } from "../gen/orders/v1/customers_service_pb.js";
import { GiftCardsService } from "../gen/orders/v1/gift_cards_service_pb.js";
import { InventoryService } from "../gen/orders/v1/inventory_service_pb.js";
import { OrdersService } from "../gen/orders/v1/orders_service_pb.js";
import { PromotionsService } from "../gen/orders/v1/promotions_service_pb.js";
import { CARTS_METHOD_ROLES } from "./carts/access.js";
import { cartsHandler } from "./carts/handler.js";
import { cartsHousekeeping } from "./carts/public.js";
import { CATALOG_METHOD_ROLES } from "./catalog/access.js";
import { CATALOG_STREAM } from "./catalog/events.js";
import { catalogHandler } from "./catalog/handler.js";
import { COMPANIES_METHOD_ROLES } from "./companies/access.js";
import { companiesHandler } from "./companies/handler.js";
import { StoreService } from "../gen/orders/v1/store_service_pb.js";
import { ShippingService } from "../gen/orders/v1/shipping_service_pb.js";
import { TaxService } from "../gen/orders/v1/tax_service_pb.js";
import { WebhooksService } from "../gen/orders/v1/webhooks_service_pb.js";
import { CUSTOMERS_METHOD_ROLES } from "./customers/access.js";
import { customersHandler } from "./customers/handler.js";
import { createOrm } from "./database.js";
import { GIFT_CARDS_METHOD_ROLES } from "./gift-cards/access.js";
import { giftCardsHandler } from "./gift-cards/handler.js";
import { INVENTORY_METHOD_ROLES } from "./inventory/access.js";
import { inventoryHandler } from "./inventory/handler.js";
import { ORDERS_METHOD_ROLES } from "./orders/access.js";
import { ordersHandler, ordersHousekeeping } from "./orders/handler.js";
import { ApiKeyStore } from "./platform/auth/api-key-store.js";
import type { Config } from "./platform/config/config.js";
import { Housekeeping } from "./platform/database/housekeeping.js";
import { migrateUnderLock } from "./platform/database/migrate.js";
import { databasePoolMetrics } from "./platform/database/pool-metrics.js";
import {
  createMetricsServer,
  METRICS_PATH,
  withMetricsEndpoint,
  type MetricsServer,
} from "./platform/metrics/endpoint.js";
import { ServiceMetrics } from "./platform/metrics/metrics.js";
import { nativePool } from "./platform/database/query.js";
import { connectNats, type NatsHandle } from "./platform/outbox/nats.js";
import { OutboxRelay } from "./platform/outbox/outbox-relay.js";
import { ORDERS_STREAM_DEFINITION } from "./platform/outbox/stream.js";
import { PROMOTIONS_METHOD_ROLES } from "./promotions/access.js";
import { promotionsHandler } from "./promotions/handler.js";
import { pageTokensOnce } from "./platform/pagination/page-token-key.js";
import type { PageTokens } from "./platform/pagination/page-token.js";
import { withCors } from "./platform/transport/cors.js";
import { withDecodeFailuresAsInvalidArgument } from "./platform/transport/decode-errors.js";
import { HealthState } from "./platform/transport/health.js";
import { createAuthInterceptor } from "./platform/transport/interceptors/auth.js";
import { createErrorInterceptor } from "./platform/transport/interceptors/errors.js";
import { createLoggingInterceptor } from "./platform/transport/interceptors/logging.js";
import { createTracingInterceptor } from "./platform/transport/interceptors/tracing.js";
import { createMetricsInterceptor } from "./platform/transport/interceptors/metrics.js";
import { createValidationInterceptor } from "./platform/transport/interceptors/validation.js";
import { createServer, type OrderspineServer } from "./platform/transport/server.js";
import { CONSOLE_DIST_DIR, withStaticFiles } from "./platform/transport/static-files.js";
import { routes } from "./routes.js";
import { SHIPPING_METHOD_ROLES } from "./shipping/access.js";
import { shippingHandler } from "./shipping/handler.js";
import { ListShippingOptions } from "./orders/list-shipping-options.js";
import { PreviewOrder } from "./orders/preview-order.js";
import { STORE_METHOD_ROLES } from "./store/access.js";
import { storeHandler } from "./store/handler.js";
import { TAX_METHOD_ROLES } from "./tax/access.js";
import { taxHandler } from "./tax/handler.js";
import { WEBHOOKS_METHOD_ROLES } from "./webhooks/access.js";
import { webhookDelivery, webhooksHousekeeping, type WebhookDelivery } from "./webhooks/delivery.js";
import { webhooksHandler } from "./webhooks/handler.js";

/** The wired service: routes and their dependencies, nothing listening and no background work yet. */
export interface OrderspineApp {
  config: Config;
  databaseUrl: string;
  logger: Logger;
  orm: MikroORM;
  /** Every service with its handler, for the server and for createRouterTransport alike. */
  routes: (router: ConnectRouter) => void;
  /** Outermost first: the call's span (tracing on), count and log the final code, map errors, authenticate, then validate. */
  interceptors: Interceptor[];
  server: OrderspineServer;
  /** `/metrics`: on the server's port, or on this listener of its own when METRICS_PORT is set. */
  metrics: ServiceMetrics;
  metricsServer: MetricsServer | undefined;
  health: HealthState;
  relay: OutboxRelay;
  /** The webhook dispatchers and delivery worker; start() runs them when config.webhooks.dispatcher is on. */
  webhooks: WebhookDelivery;
  housekeeping: Housekeeping;
  apiKeys: ApiKeyStore;
  /** Loads the page-token key once; start() does it before listening. */
  pageTokens: () => Promise<PageTokens>;
  /** The NATS connection start() opens (connecting is background work). */
  nats: { handle?: NatsHandle };
}

/** A started service. */
export interface Orderspine {
  url: string;
  port: number;
  /** Where Prometheus scrapes: `<url>/metrics`, or the METRICS_PORT listener's. */
  metricsUrl: string;
  metrics: ServiceMetrics;
  orm: MikroORM;
  /** Graceful stop: NOT_SERVING, drain calls, stop the relay and the webhooks, close pools. */
  shutdown(): Promise<void>;
}

/** Wires the service: database, use cases, handlers, interceptors, routes and the server, without listening. */
export async function build(config: Config, databaseUrl: string, logger: Logger): Promise<OrderspineApp> {
  const orm = await createOrm({ databaseUrl, poolMax: config.databasePoolMax });
  const metrics = new ServiceMetrics(logger.child({ component: "metrics" }));
  databasePoolMetrics(metrics, () => nativePool(orm.em));
  // Connecting to NATS is background work: start() opens the connection the relay reads through this.
  const nats: { handle?: NatsHandle } = {};
  // The streams the relay publishes to, and the webhook dispatchers read.
  const streams = [ORDERS_STREAM_DEFINITION, CATALOG_STREAM];
  // Whoever finds a stream missing creates it with STREAM_REPLICAS copies: the relay, or a dispatcher first.
  const streamOptions = { replicas: config.streamReplicas };
  const relay = new OutboxRelay({
    databaseUrl,
    nats: () => nats.handle?.current() ?? null,
    logger: logger.child({ component: "outbox-relay" }),
    source: config.eventSource,
    stream: streamOptions,
    streams,
    metrics,
  });
  const webhooks = webhookDelivery({
    pool: () => nativePool(orm.em),
    nats: () => nats.handle?.current() ?? null,
    logger: logger.child({ component: "webhooks" }),
    streams,
    streamOptions,
    eventSource: config.eventSource,
    config: config.webhooks,
    metrics,
  });
  const apiKeys = new ApiKeyStore({
    pool: () => nativePool(orm.em),
    databaseUrl,
    logger: logger.child({ component: "auth" }),
  });
  const health = new HealthState();
  // Signed with PAGE_TOKEN_SECRET, or the key every replica reads from the database, read once at start.
  const pageTokens = pageTokensOnce(orm, config.pageTokenSecret);
  const onCommitted = () => relay.onLocalCommit();
  const housekeeping = new Housekeeping(orm, {
    logger: logger.child({ component: "housekeeping" }),
    tasks: [...ordersHousekeeping({ orm, onCommitted }), cartsHousekeeping(orm), webhooksHousekeeping(orm)],
  });
  const shippingOptions = new ListShippingOptions({ orm });
  const serviceRoutes = routes({
    orders: ordersHandler({ orm, onCommitted, pageTokens, createOrderBatch: config.createOrderBatch }),
    customers: customersHandler({ orm, pageTokens }),
    catalog: catalogHandler({ orm, onCommitted, pageTokens }),
    companies: companiesHandler({ orm, pageTokens }),
    store: storeHandler({ orm, pageTokens }),
    // ListShippingOptions prices an order: the orders capability's use case, served with the shipping methods.
    shipping: shippingHandler({ orm, pageTokens, shippingOptions }),
    // A cart is priced by PreviewOrder and ListShippingOptions: the orders capability's use cases, handed in.
    carts: cartsHandler({ orm, pricer: new PreviewOrder({ orm }), shippingOptions, ttlMs: config.cartTtlMs }),
    giftCards: giftCardsHandler({ orm, pageTokens }),
    inventory: inventoryHandler({ orm, pageTokens }),
    promotions: promotionsHandler({ orm, pageTokens }),
    tax: taxHandler({ orm, pageTokens }),
    webhooks: webhooksHandler({
      orm,
      pageTokens,
      policy: config.webhooks,
      eventSource: config.eventSource,
      onQueued: () => webhooks.worker.wake(),
    }),
    health,
  });
  // A body that does not decode is the client's mistake (INVALID_ARGUMENT), not ours (INTERNAL).
  const appRoutes = withDecodeFailuresAsInvalidArgument(serviceRoutes);
  // Outermost first: the call's span (when tracing is on), count and log the final code, map errors, authenticate,
  // validate.
  const interceptors = [
    ...(config.tracing ? [createTracingInterceptor()] : []),
    createMetricsInterceptor(),
    createLoggingInterceptor(logger),
    createErrorInterceptor(logger),
    createAuthInterceptor(apiKeys, {
      requiredRoles: {
        ...ORDERS_METHOD_ROLES,
        ...CUSTOMERS_METHOD_ROLES,
        ...CATALOG_METHOD_ROLES,
        ...COMPANIES_METHOD_ROLES,
        ...STORE_METHOD_ROLES,
        ...SHIPPING_METHOD_ROLES,
        ...GIFT_CARDS_METHOD_ROLES,
        ...INVENTORY_METHOD_ROLES,
        ...PROMOTIONS_METHOD_ROLES,
        ...TAX_METHOD_ROLES,
        ...CARTS_METHOD_ROLES,
        ...WEBHOOKS_METHOD_ROLES,
      },
      ordersModuleServices: new Set([
        OrdersService.typeName,
        CustomersService.typeName,
        CatalogService.typeName,
        CompaniesService.typeName,
        StoreService.typeName,
        ShippingService.typeName,
        GiftCardsService.typeName,
        InventoryService.typeName,
        PromotionsService.typeName,
        TaxService.typeName,
        CartsService.typeName,
        WebhooksService.typeName,
      ]),
    }),
    createValidationInterceptor(),
  ];
  const handler = connectNodeAdapter({
    routes: appRoutes,
    interceptors,
    readMaxBytes: config.maxRequestBytes,
    maxTimeoutMs: config.maxTimeoutMs,
  });
  const site = withStaticFiles(withCors(handler, { origins: config.corsOrigins }), CONSOLE_DIST_DIR, {
    apiOrigins: config.consoleApiOrigins,
  });
  const metricsServer = config.metricsPort === undefined ? undefined : createMetricsServer(metrics);
  const server = createServer({
    handler: metricsServer ? site : withMetricsEndpoint(site, metrics),
    logger,
    maxHeaderBytes: config.maxHeaderBytes,
  });
  const wired = {
    orm,
    routes: appRoutes,
    interceptors,
    server,
    metrics,
    metricsServer,
    health,
    relay,
    webhooks,
    housekeeping,
    apiKeys,
    pageTokens,
  };
  return { config, databaseUrl, logger, nats, ...wired };
}

export interface StartOptions {
  /** Apply pending migrations first (default); a cluster worker does not: its primary migrated before forking. */
  migrate?: boolean;
}

/** Migrates, starts the relay, the webhooks, housekeeping and the key store, loads the page-token key and listens. */
export async function start(app: OrderspineApp, options: StartOptions = {}): Promise<Orderspine> {
  const { config, databaseUrl, logger, orm, server, health, relay, webhooks, housekeeping, apiKeys } = app;
  if (options.migrate ?? true) await migrateUnderLock(orm, databaseUrl);
  const nats = (app.nats.handle = connectNats(config.natsUrl, logger.child({ component: "nats" })));
  relay.start();
  if (config.webhooks.dispatcher) webhooks.start();
  housekeeping.start();
  apiKeys.start();
  await app.pageTokens();
  const { url, port } = await server.listen(config.port, config.host);
  const metricsOrigin = app.metricsServer
    ? (await app.metricsServer.listen(config.metricsPort ?? 0, config.host)).url
    : url;
  health.setServing("", true);

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      health.markShuttingDown();
      await Promise.all([server.shutdown(config.shutdownGraceMs), app.metricsServer?.close()]);
      await Promise.all([relay.stop(), webhooks.stop(), housekeeping.stop(), apiKeys.stop()]);
      await nats.close();
      await orm.close();
    })());
  return { url, port, metricsUrl: `${metricsOrigin}${METRICS_PATH}`, metrics: app.metrics, orm, shutdown };
}

/** build() then start(): what `npm start` and the socket tests run. */
export async function startOrderspine(
  config: Config,
  databaseUrl: string,
  logger: Logger,
  options: StartOptions = {},
): Promise<Orderspine> {
  return start(await build(config, databaseUrl, logger), options);
}
