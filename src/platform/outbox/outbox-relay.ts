import pg from "pg";
import type { NatsConnection } from "@nats-io/transport-node";
import { DEFAULT_EVENT_SOURCE } from "./cloudevents.js";
import { EventPublisher } from "./event-publisher.js";
import { describeError, type EventsLogger } from "../logging.js";
import { NotificationListener } from "../database/notification-listener.js";
import { LoopPause } from "../loop-pause.js";
import type { ServiceMetrics } from "../metrics/metrics.js";
import { outboxBacklogMetrics, RelayMetrics } from "./outbox-metrics.js";
import { query } from "../database/query.js";
import {
  claimDueEvents,
  OUTBOX_CHANNEL,
  countPending,
  markFailed,
  markPublished,
  type FailedPublish,
} from "./outbox-store.js";
import { retryDelayMs, type RetryDelayOptions } from "./retry-delay.js";
import type { OrdersStreamOptions, StreamDefinition } from "./stream.js";

export interface OutboxRelayOptions {
  /** The relay opens its own small pool from this URL (and closes it on stop)... */
  readonly databaseUrl?: string;
  /** ...or uses this pool, which stays open on stop; its settings also open the LISTEN connection. */
  readonly pool?: pg.Pool;
  /** Returns the NATS connection while it is usable, null otherwise (see NatsHandle.current). */
  readonly nats: () => NatsConnection | null;
  readonly logger: EventsLogger;
  /** Events claimed, published and recorded per transaction. */
  readonly batchSize?: number;
  /** Fallback poll for due retries and for commits whose notification was lost. */
  readonly pollIntervalMs?: number;
  /** First retry delay of a failed event (and after a database error), doubled per failure. */
  readonly initialBackoffMs?: number;
  /** Cap of the retry delay. Keep it well below the stream's duplicate window. */
  readonly maxBackoffMs?: number;
  /** How long each publish waits for its JetStream ack. */
  readonly publishTimeoutMs?: number;
  /** CloudEvents `source` attribute. */
  readonly source?: string;
  readonly stream?: OrdersStreamOptions;
  /** Every stream the events go to (each made sure of like ORDERS); ORDERS alone when not given. */
  readonly streams?: readonly StreamDefinition[];
  /** The service's /metrics, which gains the outbox's backlog gauges (read through the relay's pool). */
  readonly metrics?: ServiceMetrics;
}

interface BatchResult {
  readonly claimed: number;
  readonly published: number;
}

/**
 * Publishes committed outbox events to JetStream, at least once per event and, thanks to the stream's `Nats-Msg-Id`
 * dedupe, once in the stream. Runs safely as several replicas: each batch is claimed with FOR UPDATE SKIP LOCKED
 * in a transaction that stays open until the acks are recorded.
 *
 * It wakes on a PostgreSQL notification after each order commit, on `wake()`, and on a polling fallback. NATS or
 * PostgreSQL being down never throws out of it: events wait with a growing, jittered retry delay.
 */
export class OutboxRelay {
  readonly #pool: pg.Pool;
  readonly #ownsPool: boolean;
  readonly #logger: EventsLogger;
  readonly #batchSize: number;
  readonly #pollIntervalMs: number;
  readonly #retry: RetryDelayOptions;
  readonly #publisher: EventPublisher;
  readonly #listener: NotificationListener;
  readonly #metrics: RelayMetrics;
  readonly #stop = new AbortController();
  readonly #pause = new LoopPause(this.#stop.signal);
  #running: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;

  constructor(options: OutboxRelayOptions) {
    if (options.pool === undefined && options.databaseUrl === undefined) {
      throw new Error("OutboxRelay needs a databaseUrl or a pool");
    }
    this.#ownsPool = options.pool === undefined;
    const publishTimeoutMs = options.publishTimeoutMs ?? 5000;
    this.#pool = options.pool ?? createPool(options.databaseUrl ?? "", publishTimeoutMs, options.logger);
    this.#logger = options.logger;
    this.#batchSize = options.batchSize ?? 100;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#retry = { initialMs: options.initialBackoffMs ?? 1000, maxMs: options.maxBackoffMs ?? 30_000 };
    this.#publisher = new EventPublisher({
      nats: options.nats,
      source: options.source ?? DEFAULT_EVENT_SOURCE,
      timeoutMs: publishTimeoutMs,
      stream: options.stream,
      streams: options.streams,
    });
    this.#metrics = new RelayMetrics(options.streams);
    if (options.metrics) outboxBacklogMetrics(options.metrics, this.#pool);
    this.#listener = new NotificationListener({
      connection: options.databaseUrl !== undefined ? connectionConfig(options.databaseUrl) : this.#pool.options,
      channel: OUTBOX_CHANNEL,
      name: "outbox listener",
      // A notification after each order commit; on (re)connecting, catch up on the ones missed.
      onNotification: () => this.wake(),
      onListening: () => this.wake(),
      logger: options.logger,
      retryDelayMs: (failures) => retryDelayMs(failures, this.#retry),
    });
  }

  start(): void {
    if (this.#running !== null || this.#stopping !== null) return;
    this.#listener.start();
    this.#running = this.#loop();
  }

  /** Signals that an order transaction committed, so its event goes out without waiting for the next poll. */
  wake(): void {
    this.#pause.wake();
  }

  /** Finishes the batch in flight, then closes the LISTEN connection and the relay's own pool. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  /** Events not yet published (of one tenant if given); for logs, health output and tests. */
  pendingCount(tenantId?: string): Promise<number> {
    return countPending(this.#pool, tenantId);
  }

  async #shutdown(): Promise<void> {
    this.#stop.abort();
    await this.#running;
    await this.#listener.stop();
    if (this.#ownsPool) await this.#pool.end();
  }

  async #loop(): Promise<void> {
    let databaseFailures = 0;
    while (!this.#stop.signal.aborted) {
      this.#pause.newRound();
      try {
        const { claimed, published } = await this.#relayBatch();
        databaseFailures = 0;
        // A full batch means more may be due right now, unless nothing got through (NATS down): then wait.
        if (claimed === this.#batchSize && published > 0) continue;
        // Nothing was due: a moment to create the stream on a new connection (cheap once done).
        if (claimed === 0) await this.#publisher.prepare();
        await this.#pause.wait(this.#pollIntervalMs, true);
      } catch (err) {
        databaseFailures += 1;
        const retryInMs = retryDelayMs(databaseFailures, this.#retry);
        this.#logger.error({ err: describeError(err), retryInMs }, "outbox relay database error; retrying");
        // Not cut short by wake(): every commit would otherwise retry a database that keeps failing.
        await this.#pause.wait(retryInMs, false);
      }
    }
  }

  async #relayBatch(): Promise<BatchResult> {
    const tx = await this.#pool.connect();
    // A checked-out pg client that loses its connection emits "error"; unhandled, that would crash the process.
    // The failure also surfaces through the pending query, which is where it is handled.
    const ignore = (): void => undefined;
    tx.on("error", ignore);
    let healthy = true;
    try {
      await query(tx, "begin");
      const events = await claimDueEvents(tx, this.#batchSize);
      if (events.length === 0) {
        await query(tx, "commit");
        return { claimed: 0, published: 0 };
      }
      const outcomes = await this.#publisher.publishAll(events);
      this.#metrics.record(outcomes, Date.now());
      const failures: FailedPublish[] = [];
      for (const outcome of outcomes) {
        if (outcome.acked) continue;
        const retryInMs = retryDelayMs(outcome.event.attempts + 1, this.#retry);
        failures.push({ id: outcome.event.id, retryInMs, error: outcome.error.slice(0, 500) });
      }
      await markPublished(
        tx,
        outcomes.filter((outcome) => outcome.acked).map((outcome) => outcome.event.id),
      );
      await markFailed(tx, failures);
      await query(tx, "commit");
      if (failures[0] !== undefined) {
        this.#logger.warn(
          { failed: failures.length, of: events.length, err: failures[0].error },
          "events not published yet; will retry",
        );
      }
      return { claimed: events.length, published: events.length - failures.length };
    } catch (err) {
      healthy = false;
      await query(tx, "rollback").catch(() => undefined);
      throw err;
    } finally {
      tx.off("error", ignore);
      // A client whose transaction failed may sit on a broken connection: destroy it rather than pool it.
      tx.release(!healthy);
    }
  }
}

function createPool(databaseUrl: string, publishTimeoutMs: number, logger: EventsLogger): pg.Pool {
  const pool = new pg.Pool({
    ...connectionConfig(databaseUrl),
    // One batch transaction at a time, plus pendingCount() from logs or health checks.
    max: 2,
    idleTimeoutMillis: 30_000,
    statement_timeout: 15_000,
    // A relay that hangs mid-batch must not keep its rows locked forever; the transaction is idle while it waits
    // for publish acks, so the limit leaves room for that.
    idle_in_transaction_session_timeout: publishTimeoutMs + 30_000,
  });
  // An idle pooled connection that PostgreSQL drops emits "error" on the pool; the next batch simply reconnects.
  pool.on("error", (err) => logger.warn({ err: describeError(err) }, "outbox relay pool connection lost"));
  return pool;
}

function connectionConfig(databaseUrl: string): pg.ClientConfig {
  return {
    connectionString: databaseUrl,
    application_name: "orderspine-outbox-relay",
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
  };
}
