import type pg from "pg";
import { counter, histogram, type ServiceMetrics } from "../metrics/metrics.js";
import type { PublishOutcome } from "./event-publisher.js";
import { countBacklog } from "./outbox-store.js";
import { ORDERS_STREAM_DEFINITION, type StreamDefinition } from "./stream.js";

const published = counter({
  name: "orderspine_outbox_published_total",
  help: "Outbox events the relay published and JetStream acknowledged, by stream.",
  labelNames: ["stream"],
});
const failures = counter({
  name: "orderspine_outbox_publish_failures_total",
  help: "Outbox event publishes that failed (NATS down, no ack in time) and wait for a retry, by stream.",
  labelNames: ["stream"],
});
const eventLag = histogram({
  name: "orderspine_event_lag_seconds",
  help: "Time from an event's commit (its occurrence, written in the same transaction) to JetStream's ack, by stream.",
  labelNames: ["stream"],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
});

interface StreamSeries {
  published: { inc(): void };
  failures: { inc(): void };
  lag: { observe(seconds: number): void };
}

/** What the relay counts per batch; each stream's series bound once. */
export class RelayMetrics {
  /** By the subject's first token (`orders.<tenant>.created` is ORDERS'). */
  readonly #byRoot = new Map<string, StreamSeries>();
  readonly #other: StreamSeries;

  constructor(streams: readonly StreamDefinition[] = [ORDERS_STREAM_DEFINITION]) {
    for (const stream of streams) this.#byRoot.set(stream.subjects.split(".")[0] ?? "", seriesOf(stream.name));
    this.#other = seriesOf("other");
  }

  /** A batch's outcomes, acknowledged (if at all) by `ackedAt` (epoch ms). */
  record(outcomes: readonly PublishOutcome[], ackedAt: number): void {
    for (const { event, acked } of outcomes) {
      const root = event.subject.slice(0, event.subject.indexOf("."));
      const series = this.#byRoot.get(root) ?? this.#other;
      if (!acked) {
        series.failures.inc();
        continue;
      }
      series.published.inc();
      series.lag.observe(Math.max(0, ackedAt - event.occurredAt.getTime()) / 1000);
    }
  }
}

function seriesOf(stream: string): StreamSeries {
  return {
    published: published.labels({ stream }),
    failures: failures.labels({ stream }),
    lag: eventLag.labels({ stream }),
  };
}

/** The outbox's backlog, read at each scrape (one index-only count over the unpublished rows' partial index). */
export function outboxBacklogMetrics(metrics: ServiceMetrics, pool: pg.Pool): void {
  const backlog = metrics.gauge({
    name: "orderspine_outbox_backlog",
    help: "Outbox events committed and not yet published to JetStream (every replica's, from the database).",
  });
  const oldestAge = metrics.gauge({
    name: "orderspine_outbox_oldest_unpublished_age_seconds",
    help: "Age of the oldest outbox event not yet published (0 when none waits).",
  });
  metrics.onScrape([backlog, oldestAge], async () => {
    const read = await countBacklog(pool);
    backlog.set(read.backlog);
    oldestAge.set(read.oldestAgeSeconds);
  });
}
