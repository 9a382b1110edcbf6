import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { describeError, type EventsLogger } from "./logger.js";
import { retryDelayMs, type RetryDelayOptions } from "./retry-delay.js";

/** The order transaction runs `select pg_notify('orderspine_outbox', '')` so the relay wakes right after commit. */
export const OUTBOX_CHANNEL = "orderspine_outbox";

export interface OutboxListenerOptions {
  readonly connection: pg.ClientConfig;
  /** Called on every notification, and once each time listening (re)starts to catch up on missed ones. */
  readonly onWake: () => void;
  readonly logger: EventsLogger;
  readonly retry: RetryDelayOptions;
}

/**
 * One dedicated PostgreSQL connection that LISTENs on the outbox channel. A pooled connection would not do: LISTEN
 * belongs to a session, and the pool may close or hand out that session at any time. When PostgreSQL drops the
 * connection the listener reconnects with backoff; notifications sent while it was away are lost, so it wakes the
 * relay once it listens again.
 */
export class OutboxListener {
  readonly #options: OutboxListenerOptions;
  readonly #stop = new AbortController();
  #client: pg.Client | null = null;
  #running: Promise<void> | null = null;

  constructor(options: OutboxListenerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    // Ending the client interrupts a connect in progress as well as an established session.
    await this.#client?.end().catch(() => undefined);
    await this.#running;
  }

  async #run(): Promise<void> {
    const { logger, retry } = this.#options;
    const stopped = new Promise<void>((resolve) => this.#stop.signal.addEventListener("abort", () => resolve()));
    for (let failures = 0; !this.#stop.signal.aborted; ) {
      const client = new pg.Client(this.#options.connection);
      this.#client = client;
      const lost = new Promise<Error>((resolve) => {
        // Without an error listener a dropped connection would crash the process.
        client.on("error", resolve);
        client.on("end", () => resolve(new Error("connection ended")));
      });
      try {
        await client.connect();
        client.on("notification", () => this.#options.onWake());
        await client.query(`listen ${OUTBOX_CHANNEL}`);
        if (failures > 0) logger.info({}, "outbox listener reconnected to PostgreSQL");
        failures = 0;
        this.#options.onWake();
        const reason = await Promise.race([lost, stopped]);
        if (reason instanceof Error && !this.#stop.signal.aborted) {
          logger.warn({ err: describeError(reason) }, "outbox listener lost its PostgreSQL connection; reconnecting");
        }
      } catch (err) {
        if (!this.#stop.signal.aborted) {
          logger.warn({ err: describeError(err) }, "outbox listener cannot LISTEN; retrying");
        }
      } finally {
        this.#client = null;
        await client.end().catch(() => undefined);
      }
      if (this.#stop.signal.aborted) break;
      failures += 1;
      await sleep(retryDelayMs(failures, retry), undefined, { signal: this.#stop.signal }).catch(() => undefined);
    }
  }
}
