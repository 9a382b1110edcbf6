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
import { beginAndClaim, OUTBOX_CHANNEL, countPending, recordAndCommit, type FailedPublish } from "./outbox-store.js";
import { parseTransactionId, type CommitSnapshot } from "../database/commit-snapshot.js";
import { retryDelayMs, type RetryDelayOptions } from "./retry-delay.js";
import type { OrdersStreamOptions, StreamDefinition } from "./stream.js";
import type { OutboxEvent } from "./outbox-event.js";

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
 * It wakes on a PostgreSQL notification after each commit that writes events, on `wake()`, and on a polling
 * fallback. A notification names its transaction, and one whose commit the last claim already saw wakes nothing:
 * at low load each order costs one round (two round trips and its publish), not a second, empty one. NATS or
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
  /** The LISTEN connection is up: every commit that writes events will notify this relay. */
  #listening = false;
  /** What the last claim saw: a notified commit it shows needs no round of its own. */
  #seen: CommitSnapshot | null = null;
  /** While a claim is in flight, the transactions notified meanwhile: decided once its snapshot is known. */
  #notifiedDuringClaim: bigint[] | null = null;

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
      // A notification after each commit that writes events; on (re)connecting, catch up on the ones missed.
      onNotification: (payload) => this.#notified(payload),
      onListening: () => {
        this.#listening = true;
        this.wake();
      },
      onDeaf: () => {
        this.#listening = false;
      },
      logger: options.logger,
      retryDelayMs: (failures) => retryDelayMs(failures, this.#retry),
    });
  }

  start(): void {
    if (this.#running !== null || this.#stopping !== null) return;
    this.#listener.start();
    this.#running = this.#loop();
  }

  /** Signals that events were committed, so they go out without waiting for the next poll. */
  wake(): void {
    this.#pause.wake();
  }

  /**
   * A commit of this process wrote events. Its notification wakes the relay (and is skipped when a claim already
   * saw it); only while the LISTEN connection is down does this wake the relay itself. Waking on both would run an
   * empty round after most commits: the commit's wake-up starts a round, and its notification, arriving after the
   * claim was sent, starts another.
   */
  onLocalCommit(): void {
    if (!this.#listening) this.wake();
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

  /** A notification: its payload is the id of the transaction that committed (see NOTIFY_RELAYS_SQL). */
  #notified(payload: string): void {
    const xid = parseTransactionId(payload);
    // Without a transaction id (a manual NOTIFY, an older replica's), it wakes the relay unconditionally.
    if (xid === undefined) this.wake();
    else if (this.#notifiedDuringClaim !== null) this.#notifiedDuringClaim.push(xid);
    // A round that has not sent its claim yet will see it too: its newRound() spends this wake-up.
    else if (this.#seen?.sawCommitOf(xid) !== true) this.wake();
  }

  async #loop(): Promise<void> {
    let databaseFailures = 0;
    while (!this.#stop.signal.aborted) {
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
      const events = await this.#claim(tx);
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
      await recordAndCommit(
        tx,
        outcomes.filter((outcome) => outcome.acked).map((outcome) => outcome.event.id),
        failures,
      );
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

  /**
   * Opens the batch's transaction and claims. The round starts here, as the claim is sent: a wake-up or a
   * notification that came before was for a commit the claim sees. The ones that come while it is in flight
   * are checked against its snapshot once it answers.
   */
  async #claim(tx: pg.PoolClient): Promise<OutboxEvent[]> {
    this.#pause.newRound();
    const notified: bigint[] = [];
    this.#notifiedDuringClaim = notified;
    try {
      const { events, snapshot } = await beginAndClaim(tx, this.#batchSize);
      this.#seen = snapshot;
      if (notified.some((xid) => !snapshot.sawCommitOf(xid))) this.wake();
      return events;
    } catch (err) {
      if (notified.length > 0) this.wake();
      throw err;
    } finally {
      this.#notifiedDuringClaim = null;
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
