import type { MikroORM } from "@mikro-orm/postgresql";
import { query } from "./query.js";

/**
 * Periodic work a capability hands the platform (src/app.ts wires it; the platform imports no capability): run once
 * per pass with the pass's time, returning how many things it did. A failing task is logged and retried next pass.
 */
export interface HousekeepingTask {
  name: string;
  run(now: Date): Promise<number>;
}

export interface HousekeepingOptions {
  /** Run after the deletes of every pass, in order (e.g. releasing expired order holds). */
  tasks?: readonly HousekeepingTask[];
  /** Published outbox rows are kept this long for inspection and replays, then deleted. */
  outboxRetentionMs?: number;
  intervalMs?: number;
  /** Rows deleted per statement, so one run never holds long locks or bloats WAL at once. */
  batchSize?: number;
  logger: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
}

export const DEFAULT_OUTBOX_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Deletes what no longer serves a purpose: outbox rows published longer ago than the retention,
 * and idempotency records past their expiry (they are honoured for 24 hours; see
 * platform/idempotency/idempotency.ts). Unpublished outbox rows are never touched. Safe on several replicas: deletes
 * are idempotent and batched.
 */
export class Housekeeping {
  readonly #orm: MikroORM;
  readonly #options: Required<Omit<HousekeepingOptions, "logger" | "tasks">> & Pick<HousekeepingOptions, "logger">;
  readonly #tasks: readonly HousekeepingTask[];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(orm: MikroORM, options: HousekeepingOptions) {
    this.#orm = orm;
    this.#options = {
      outboxRetentionMs: options.outboxRetentionMs ?? DEFAULT_OUTBOX_RETENTION_MS,
      intervalMs: options.intervalMs ?? 10 * 60 * 1000,
      batchSize: options.batchSize ?? 1000,
      logger: options.logger,
    };
    this.#tasks = options.tasks ?? [];
  }

  start(): void {
    this.#schedule();
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One pass; returns how many rows of each kind were deleted, and what each task did. */
  async runOnce(
    now = new Date(),
  ): Promise<{ outboxEvents: number; idempotencyRecords: number; tasks: Record<string, number> }> {
    const publishedBefore = new Date(now.getTime() - this.#options.outboxRetentionMs);
    const outboxEvents = await this.#deleteInBatches(
      `delete from outbox_events where id in (
         select id from outbox_events where published_at < $1 limit ${this.#options.batchSize})`,
      publishedBefore,
    );
    const idempotencyRecords = await this.#deleteInBatches(
      `delete from idempotency_records where (tenant_id, request_id) in (
         select tenant_id, request_id from idempotency_records where expires_at < $1 limit ${this.#options.batchSize})`,
      now,
    );
    const tasks: Record<string, number> = {};
    for (const task of this.#tasks) {
      // One task failing neither stops the others nor the deletes of the next pass.
      tasks[task.name] = await task.run(now).catch((error: unknown) => {
        this.#options.logger.warn({ err: error, task: task.name }, "housekeeping task failed; will retry");
        return 0;
      });
    }
    return { outboxEvents, idempotencyRecords, tasks };
  }

  async #deleteInBatches(sql: string, before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await query(this.#orm.em, sql, [before]);
      total += rowCount;
      if (rowCount < this.#options.batchSize) return total;
    }
  }

  #schedule(): void {
    // Jitter spreads the replicas' runs apart.
    const delay = this.#options.intervalMs * (0.75 + Math.random() * 0.5);
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce()
        .then((deleted) => {
          const done = Object.values(deleted.tasks).reduce((sum, count) => sum + count, 0);
          if (deleted.outboxEvents + deleted.idempotencyRecords + done > 0) {
            this.#options.logger.info(deleted, "housekeeping");
          }
        })
        .catch((error: unknown) => this.#options.logger.warn({ err: error }, "housekeeping failed; will retry"))
        .finally(() => {
          this.#running = undefined;
          if (this.#timer !== undefined) this.#schedule();
        });
    }, delay);
    this.#timer.unref();
  }
}
