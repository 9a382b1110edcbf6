import { setTimeout as sleep } from "node:timers/promises";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { natsServers } from "../config/config.js";
import { describeError, type EventsLogger } from "../logging.js";

/** The application's handle on NATS: the connection when there is a usable one, and a way to shut it down. */
export interface NatsHandle {
  /** The connection while it is connected; null before the first connection and while reconnecting. */
  current(): NatsConnection | null;
  /** Stops connecting; drains a live connection so in-flight publishes get their acks. Idempotent. */
  close(): Promise<void>;
}

export interface NatsConnectOptions {
  /** Pause between first-connection attempts while NATS is unreachable. */
  readonly retryIntervalMs?: number;
  /** Client name shown by the server's monitoring endpoints. */
  readonly name?: string;
}

/**
 * Connects to NATS in the background and never fails: the service keeps accepting orders while NATS is down and
 * their events wait in the outbox until the relay sees a connection here. `url` is NATS_URL: one server or a
 * cluster's comma-separated seed list; the client learns the cluster's other servers from the one it reaches and,
 * when that one goes, reconnects to another (in random order, so replicas spread over the cluster).
 *
 * The first connection is retried by this loop rather than by the client's `waitOnFirstConnect`, because the
 * client offers no way to cancel that loop before it succeeds: a `close()` during an outage would leave it dialing
 * forever and keep the process alive. Once connected, the client itself reconnects forever
 * (`maxReconnectAttempts: -1`).
 */
export function connectNats(url: string, logger: EventsLogger, options: NatsConnectOptions = {}): NatsHandle {
  const servers = natsServers(url);
  const retryIntervalMs = options.retryIntervalMs ?? 2000;
  const abort = new AbortController();
  let connection: NatsConnection | null = null;
  let connected = false;

  const watch = async (nc: NatsConnection): Promise<void> => {
    for await (const status of nc.status()) {
      if (status.type === "disconnect") {
        connected = false;
        logger.warn({ server: status.server }, "NATS disconnected; events wait in the outbox until it is back");
      } else if (status.type === "reconnect") {
        connected = true;
        logger.info({ server: status.server }, "NATS reconnected; publishing waiting events");
      }
    }
  };

  // A call, not a property read: close() aborts while run() awaits, which TypeScript's narrowing cannot see.
  const aborted = (): boolean => abort.signal.aborted;
  const run = async (): Promise<void> => {
    for (let attempt = 1; !aborted(); attempt++) {
      try {
        // noAsyncTraces: the client would otherwise build an Error (a stack capture) for every publish, just
        // in case it times out; the bench profile showed it as 2% of the service's CPU. Timeouts still report.
        const nc = await connect({ servers, name: options.name, maxReconnectAttempts: -1, noAsyncTraces: true });
        if (aborted()) {
          await nc.close();
          return;
        }
        connection = nc;
        connected = true;
        void watch(nc).catch((err: unknown) => logger.error({ err: describeError(err) }, "NATS status watch failed"));
        logger.info({ server: nc.getServer() }, "connected to NATS");
        return;
      } catch (err) {
        if (attempt === 1 || attempt % 30 === 0) {
          logger.warn({ err: describeError(err), attempt }, "NATS unreachable; events wait in the outbox, retrying");
        }
        await sleep(retryIntervalMs, undefined, { signal: abort.signal }).catch(() => undefined);
      }
    }
  };
  const running = run();

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    abort.abort();
    await running;
    const nc = connection;
    connection = null;
    if (nc === null || nc.isClosed()) return;
    // Draining waits for the server, so only a connected client drains; a reconnecting one just closes.
    if (connected) await nc.drain();
    else await nc.close();
  };

  return {
    current: () => (connected && connection !== null && !connection.isClosed() ? connection : null),
    close: () => (closing ??= close()),
  };
}
