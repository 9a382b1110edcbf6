import type pg from "pg";
import { counter, histogram, type ServiceMetrics } from "../platform/metrics/metrics.js";
import { countPendingDeliveries } from "./queries.js";

/** What an attempt led to: the delivery succeeded, waits for a retry, or failed for good (or its endpoint was disabled). */
export type AttemptOutcome = "succeeded" | "retry" | "failed";

const attempts = counter({
  name: "orderspine_webhook_delivery_attempts_total",
  help: "Webhook delivery attempts this replica made, by outcome: succeeded, retry (failed, tried again later) or failed (given up).",
  labelNames: ["outcome"],
});
const attemptSeconds = histogram({
  name: "orderspine_webhook_attempt_duration_seconds",
  help: "Duration of one webhook delivery attempt, the receiver's answer included.",
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});
const byOutcome: Readonly<Record<AttemptOutcome, { inc(): void }>> = {
  succeeded: attempts.labels({ outcome: "succeeded" }),
  retry: attempts.labels({ outcome: "retry" }),
  failed: attempts.labels({ outcome: "failed" }),
};

export function countAttempt(outcome: AttemptOutcome, durationMs: number): void {
  byOutcome[outcome].inc();
  attemptSeconds.observe(durationMs / 1000);
}

/** The deliveries waiting, read at each scrape. */
export function webhookBacklogMetrics(metrics: ServiceMetrics, pool: () => Promise<pg.Pool>): void {
  metrics.gauge({
    name: "orderspine_webhook_deliveries_pending",
    help: "Webhook deliveries not finished (every replica's), by state: due (to be sent now) or scheduled (a retry later).",
    labelNames: ["state"],
    async read(gauge) {
      const { due, scheduled } = await countPendingDeliveries(await pool());
      gauge.set({ state: "due" }, due);
      gauge.set({ state: "scheduled" }, scheduled);
    },
  });
}
