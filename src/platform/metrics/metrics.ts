import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import {
  counterFamily,
  histogramFamily,
  type CounterFamily,
  type HistogramFamily,
  type MetricDefinition,
} from "./families.js";

/**
 * The process's instruments: what the code counts as it runs (calls, orders, publishes), from the start of the
 * process, as go-grpc-prometheus counts into Go's default registerer. Production runs one service per process;
 * tests that start several in one process share these and read differences. Capabilities define theirs with
 * counter() and histogram() at module level; gauges that read a service's own state at scrape time are
 * ServiceMetrics.gauge(). No label may take unbounded values (tenant ids, order ids): every label set is a series.
 */
const instruments = new Registry();

export function counter<L extends string = never>(definition: MetricDefinition<L>): CounterFamily<L> {
  return counterFamily(instruments, definition);
}

/** `buckets`: upper bounds; Prometheus' default (5 ms to 10 s) when not given. */
export function histogram<L extends string = never>(
  definition: MetricDefinition<L> & { buckets?: readonly number[] },
): HistogramFamily<L> {
  return histogramFamily(instruments, { ...definition, buckets: definition.buckets ?? DEFAULT_BUCKETS });
}

/** Prometheus' (and go-grpc-prometheus') default buckets, in seconds. */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * How many CreateOrder calls share one database statement (group commit), observed once per statement. Defined here,
 * not in orders/, so the write path can observe it wherever batching lives.
 */
export const createOrderBatchSize = histogram({
  name: "orderspine_create_order_batch_size",
  help: "CreateOrder calls written by one database statement (group commit), per statement.",
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
});

/** The same for the statement before the write: the lookups and order numbers of the calls it prepares. */
export const createOrderLookupsBatchSize = histogram({
  name: "orderspine_create_order_lookups_batch_size",
  help: "CreateOrder calls whose lookups (catalog, parties, store, checkout) and order numbers one database statement read, per statement.",
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
});

let runtimeMetricsStarted = false;

/** Node's runtime metrics (event loop lag, heap, GC, CPU, handles), started by the first ServiceMetrics. */
function startRuntimeMetrics(): void {
  if (runtimeMetricsStarted) return;
  runtimeMetricsStarted = true;
  collectDefaultMetrics({ register: instruments });
}

/** A metric as docs/metrics.md lists it. */
export interface MetricDescription {
  name: string;
  type: string;
  labels: string[];
  help: string;
}

export interface ScrapeLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

/**
 * What one service exposes on `/metrics`: the process's instruments, Node's runtime metrics, and gauges read from
 * this service's own state (its pools, a cheap query) when Prometheus scrapes. A gauge whose read fails is left
 * without a value for that scrape (its series disappears, so `absent()` alerts see it) and the failure is logged:
 * the rest of the scrape still answers, which matters most when the database is the thing that is down.
 */
export class ServiceMetrics {
  readonly #gauges = new Registry();
  readonly #readers: { gauges: readonly Gauge[]; read: () => Promise<void> | void }[] = [];
  readonly #logger: ScrapeLogger;
  readonly contentType = instruments.contentType;

  constructor(logger: ScrapeLogger) {
    this.#logger = logger;
    startRuntimeMetrics();
  }

  /** A gauge of this service, set by `read` at each scrape when given (or by onScrape's reader). */
  gauge<L extends string = never>(
    definition: MetricDefinition<L> & { read?: (gauge: Gauge<L>) => Promise<void> | void },
  ): Gauge<L> {
    const { read, ...rest } = definition;
    const gauge = new Gauge<L>({ ...rest, registers: [this.#gauges] });
    if (read) this.onScrape([gauge], () => read(gauge));
    return gauge;
  }

  /** Sets `gauges` at each scrape, before they are written: one read (one query) may set several. */
  onScrape(gauges: readonly Gauge[], read: () => Promise<void> | void): void {
    this.#readers.push({ gauges, read });
  }

  /** The Prometheus text exposition of every metric. */
  async scrape(): Promise<string> {
    await Promise.all(
      this.#readers.map(async ({ gauges, read }) => {
        try {
          await read();
        } catch (err) {
          for (const gauge of gauges) gauge.reset();
          this.#logger.warn({ metrics: gauges.map(nameOf), err }, "metrics not read for this scrape");
        }
      }),
    );
    const [counted, read] = await Promise.all([instruments.metrics(), this.#gauges.metrics()]);
    return `${counted}${read}`;
  }

  /** Every metric with its type and label names, for docs/metrics.md's check. */
  describe(): MetricDescription[] {
    return [...instruments.getMetricsAsArray(), ...this.#gauges.getMetricsAsArray()].map((metric) => ({
      name: metric.name,
      type: String(metric.type),
      labels: [...((Reflect.get(metric, "labelNames") as readonly string[] | undefined) ?? [])],
      help: metric.help,
    }));
  }
}

function nameOf(metric: Gauge): string {
  return Reflect.get(metric, "name") as string;
}
