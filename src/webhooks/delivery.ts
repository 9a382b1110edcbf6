import type { MikroORM } from "@mikro-orm/postgresql";
import type { NatsConnection } from "@nats-io/transport-node";
import type pg from "pg";
import type { WebhookConfig } from "../platform/config/config.js";
import type { HousekeepingTask } from "../platform/database/housekeeping.js";
import type { EventsLogger } from "../platform/logging.js";
import type { ServiceMetrics } from "../platform/metrics/metrics.js";
import { StreamConsumer } from "../platform/outbox/stream-consumer.js";
import type { OrdersStreamOptions, StreamDefinition } from "../platform/outbox/stream.js";
import { DeliveryWorker } from "./delivery-worker.js";
import { webhookDispatcher } from "./dispatcher.js";
import { webhookBacklogMetrics } from "./metrics.js";
import { purgeFinishedDeliveries } from "./queries.js";
import { DEFAULT_RETRY_POLICY } from "./rules/retry-schedule.js";
import { postWebhook } from "./webhook-post.js";

export interface WebhookDeliveryOptions {
  readonly pool: () => Promise<pg.Pool>;
  readonly nats: () => NatsConnection | null;
  readonly logger: EventsLogger;
  /** The streams whose events are delivered (ORDERS and CATALOG; src/app.ts knows them). */
  readonly streams: readonly StreamDefinition[];
  /** How a stream is created when a dispatcher finds it missing (the relay's options: STREAM_REPLICAS). */
  readonly streamOptions?: OrdersStreamOptions;
  /** The CloudEvents `source` of events without one (EVENT_SOURCE). */
  readonly eventSource: string;
  /** WEBHOOK_* settings (docs/configuration.md). */
  readonly config: WebhookConfig;
  /** The worker's clock (tests move it). */
  readonly now?: () => Date;
  /** The service's /metrics, which gains the deliveries' backlog. */
  readonly metrics?: ServiceMetrics;
}

/** The background half of webhooks: a dispatcher per stream, and the delivery worker. */
export interface WebhookDelivery {
  readonly worker: DeliveryWorker;
  start(): void;
  /** Stops reading the streams (the batch in hand is finished), then the attempts in flight. Idempotent. */
  stop(): Promise<void>;
}

export const USER_AGENT = "Orderspine-Webhooks/1.0 (+https://www.standardwebhooks.com)";

/**
 * Wires the dispatchers and the worker: each stream read through a durable consumer (StreamConsumer) whose
 * batches the dispatcher queues, and the worker that sends what is queued. Nothing runs until start().
 */
export function webhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  const { config } = options;
  if (options.metrics) webhookBacklogMetrics(options.metrics, options.pool);
  const worker = new DeliveryWorker({
    pool: options.pool,
    logger: options.logger,
    post: (url, headers, body) =>
      postWebhook(url, headers, body, { policy: config, timeoutMs: config.timeoutMs, userAgent: USER_AGENT }),
    retry: { ...DEFAULT_RETRY_POLICY, baseMs: config.retryBaseMs, maxDelayMs: config.retryMaxDelayMs },
    timeoutMs: config.timeoutMs,
    concurrency: config.concurrency,
    perEndpointConcurrency: config.perEndpointConcurrency,
    pollIntervalMs: config.pollIntervalMs,
    now: options.now,
  });
  const handle = webhookDispatcher({
    pool: options.pool,
    logger: options.logger,
    defaultSource: options.eventSource,
    onQueued: () => worker.wake(),
  });
  const consumers = options.streams.map(
    (stream) =>
      new StreamConsumer({
        nats: options.nats,
        stream,
        streamOptions: options.streamOptions,
        durableName: config.consumerName,
        handle,
        logger: options.logger,
        startLookbackMs: config.consumerLookbackMs,
        inactiveThresholdMs: config.consumerInactiveMs,
      }),
  );
  return {
    worker,
    start() {
      for (const consumer of consumers) consumer.start();
      worker.start();
    },
    async stop() {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await worker.stop();
    },
  };
}

/** How long a finished delivery (succeeded or failed) stays listed by ListWebhookDeliveries. */
export const FINISHED_DELIVERY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Housekeeping's task for webhooks (src/app.ts registers it): deletes deliveries finished 30 days ago. */
export function webhooksHousekeeping(orm: MikroORM): HousekeepingTask {
  return {
    name: "finishedWebhookDeliveries",
    run: (now) => purgeFinishedDeliveries(orm.em, new Date(now.getTime() - FINISHED_DELIVERY_RETENTION_MS), 1000),
  };
}
