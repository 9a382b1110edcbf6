import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";

/**
 * WORKERS > 1 (docs/configuration.md): one Node process runs JavaScript on one core, so the primary forks that
 * many workers, each a whole service (its own pools, outbox relay, webhook delivery, housekeeping and key store,
 * all safe side by side as replicas are), and node:cluster hands the one port's connections to them in turn. The
 * primary serves nothing itself: it migrates before forking (main.ts), forwards SIGTERM and SIGINT so every worker
 * drains as a single process would, replaces a worker that dies while serving, and exits when all have exited.
 */

/** The message a worker sends the primary once it listens. */
export interface WorkerReady {
  type: "orderspine-worker-ready";
  port: number;
}

/** Sends the primary WorkerReady; no-op in a process that is not a cluster worker. */
export function reportWorkerReady(port: number): void {
  if (!cluster.isWorker) return;
  const ready: WorkerReady = { type: "orderspine-worker-ready", port };
  process.send?.(ready);
}

export interface WorkerPool {
  /** Every worker of the first generation listens; rejects if one exits before it does. */
  ready: Promise<{ port: number; pids: number[] }>;
  /** Resolves with the exit code for the primary once every worker exited after stop(): 0 when all exited 0. */
  exited: Promise<number>;
  /** Sends every worker `signal` (default SIGTERM) and forks no more. */
  stop(signal?: NodeJS.Signals): void;
}

/** How long a replacement waits after a worker died, so a worker that dies at once cannot spin the primary. */
const RESTART_DELAY_MS = 1_000;

/** Forks `count` workers running this process's main module with `env` added; call from the cluster primary. */
export function superviseWorkers(count: number, logger: Logger, env: Record<string, string> = {}): WorkerPool {
  if (!cluster.isPrimary) throw new Error("superviseWorkers runs in the cluster primary");
  let stopping = false;
  let failed = false;
  const live = new Set<Worker>();
  const starting = new Set<Worker>();
  let resolveReady!: (value: { port: number; pids: number[] }) => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<{ port: number; pids: number[] }>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  let resolveExited!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExited = resolve));
  let firstGeneration = true;

  const fork = (): void => {
    const worker = cluster.fork(env);
    live.add(worker);
    starting.add(worker);
    worker.on("message", (message: unknown) => {
      if (!isReady(message) || !starting.delete(worker)) return;
      logger.info({ workerPid: worker.process.pid, port: message.port }, "worker ready");
      if (firstGeneration && starting.size === 0) {
        firstGeneration = false;
        resolveReady({ port: message.port, pids: [...live].map((w) => w.process.pid ?? 0) });
      }
    });
    worker.on("exit", (code, signal) => {
      live.delete(worker);
      const wasStarting = starting.delete(worker);
      if (stopping) {
        if (code !== 0) failed = true;
        logger.info({ workerPid: worker.process.pid, code, signal }, "worker exited");
      } else if (firstGeneration && wasStarting) {
        // A worker that cannot start (configuration, database) would fail again: stop instead of retrying.
        failed = true;
        logger.error({ workerPid: worker.process.pid, code, signal }, "worker exited before it was ready");
        rejectReady(new Error(`a worker exited (code ${code}, signal ${signal}) before it was ready`));
        stop("SIGTERM");
      } else {
        logger.error({ workerPid: worker.process.pid, code, signal }, "worker exited; starting another");
        setTimeout(() => {
          if (!stopping) fork();
        }, RESTART_DELAY_MS).unref();
      }
      if (stopping && live.size === 0) resolveExited(failed ? 1 : 0);
    });
  };

  const stop = (signal: NodeJS.Signals = "SIGTERM"): void => {
    stopping = true;
    for (const worker of live) worker.process.kill(signal);
    if (live.size === 0) resolveExited(failed ? 1 : 0);
  };

  for (let i = 0; i < count; i++) fork();
  return { ready, exited, stop };
}

function isReady(message: unknown): message is WorkerReady {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as { type?: unknown }).type === "orderspine-worker-ready" &&
    typeof (message as { port?: unknown }).port === "number"
  );
}
