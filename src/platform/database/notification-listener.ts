import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { describeError } from "../logging.js";

export interface NotificationListenerOptions {
  readonly connection: pg.ClientConfig;
  /** The channel to LISTEN on, e.g. `orderspine_outbox`. */
  readonly channel: string;
  /** What this listener is for, in its log lines ("outbox listener"). */
  readonly name: string;
  /** Told the notification's payload (the empty string when it has none). */
  readonly onNotification: (payload: string) => void;
  /** Called each time listening (re)starts: notifications sent while it was away are lost. */
  readonly onListening: () => void;
  /** Called when the connection is lost or listening fails: from now until onListening, nothing is heard. */
  readonly onDeaf?: () => void;
  readonly logger: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
  /** Pause before reconnecting after `failures` consecutive failures. */
  readonly retryDelayMs: (failures: number) => number;
}

/**
 * One dedicated PostgreSQL connection that LISTENs on a channel. A pooled connection would not do: LISTEN belongs
 * to a session, and the pool may close or hand out that session at any time. When PostgreSQL drops the connection
 * the listener reconnects with backoff and says so (onDeaf, then onListening), since notifications sent meanwhile
 * are lost.
 */
export class NotificationListener {
  readonly #options: NotificationListenerOptions;
  readonly #stop = new AbortController();
  #client: pg.Client | null = null;
  #running: Promise<void> | null = null;

  constructor(options: NotificationListenerOptions) {
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

  /** A call, not a property read: stop() aborts while #run awaits, which TypeScript's narrowing cannot see. */
  #stopping(): boolean {
    return this.#stop.signal.aborted;
  }

  async #run(): Promise<void> {
    const { logger, name } = this.#options;
    const stopped = new Promise<void>((resolve) => this.#stop.signal.addEventListener("abort", () => resolve()));
    for (let failures = 0; !this.#stopping();) {
      const client = new pg.Client(this.#options.connection);
      this.#client = client;
      const lost = new Promise<Error>((resolve) => {
        // Without an error listener a dropped connection would crash the process.
        client.on("error", resolve);
        client.on("end", () => resolve(new Error("connection ended")));
      });
      try {
        await client.connect();
        client.on("notification", (notification) => this.#options.onNotification(notification.payload ?? ""));
        await client.query(`listen ${this.#options.channel}`);
        if (failures > 0) logger.info({}, `${name} reconnected to PostgreSQL`);
        failures = 0;
        this.#options.onListening();
        const reason = await Promise.race([lost, stopped]);
        if (reason instanceof Error && !this.#stopping()) {
          logger.warn({ err: describeError(reason) }, `${name} lost its PostgreSQL connection; reconnecting`);
        }
      } catch (err) {
        if (!this.#stopping()) logger.warn({ err: describeError(err) }, `${name} cannot LISTEN; retrying`);
      } finally {
        this.#options.onDeaf?.();
        this.#client = null;
        await client.end().catch(() => undefined);
      }
      if (this.#stopping()) break;
      failures += 1;
      await sleep(this.#options.retryDelayMs(failures), undefined, { signal: this.#stop.signal }).catch(
        () => undefined,
      );
    }
  }
}
