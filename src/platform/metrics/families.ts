import { Counter, type Metric, type Registry } from "prom-client";

/**
 * Counters and histograms whose series count in plain numbers on the hot path and reach the registry only when
 * Prometheus scrapes. prom-client's own inc() and observe() check and hash the label values on every call, even
 * on a child from labels(): about 1.5 µs each on the bench's machine, and every RPC counts twice and observes once.
 * Here a series is bound once (labels()) and counting it is an addition.
 */
export interface MetricDefinition<L extends string> {
  /** Prometheus naming: `orderspine_<subject>_<unit>`, counters ending in `_total`. */
  name: string;
  /** One sentence; docs/metrics.md lists every metric (a test compares the two). */
  help: string;
  labelNames?: readonly L[];
}

export interface CounterSeries {
  inc(by?: number): void;
}

export interface CounterFamily<L extends string> {
  /** The series of these label values, bound once: callers keep it. */
  labels(values: Readonly<Record<L, string>>): CounterSeries;
}

export interface HistogramSeries {
  observe(value: number): void;
}

export interface HistogramFamily<L extends string> extends HistogramSeries {
  labels(values: Readonly<Record<L, string>>): HistogramSeries;
}

/** A prom-client Counter, set from the series' totals at each scrape. */
export function counterFamily<L extends string>(registry: Registry, definition: MetricDefinition<L>): CounterFamily<L> {
  const series = new Map<string, { labels: Readonly<Record<L, string>>; value: number }>();
  new Counter<L>({
    ...definition,
    registers: [registry],
    collect() {
      this.reset();
      for (const { labels, value } of series.values()) this.inc(labels, value);
    },
  });
  return {
    labels(values) {
      const key = labelKey(definition, values);
      let bound = series.get(key);
      if (bound === undefined) {
        bound = { labels: { ...values }, value: 0 };
        series.set(key, bound);
      }
      const counted = bound;
      return {
        inc(by = 1) {
          counted.value += by;
        },
      };
    },
  };
}

/** A histogram (cumulative `_bucket` series with `le`, `_sum`, `_count`) written by the registry like its own. */
export function histogramFamily<L extends string>(
  registry: Registry,
  definition: MetricDefinition<L> & { buckets: readonly number[] },
): HistogramFamily<L> {
  const family = new Histograms(definition);
  // The registry asks a metric for name, help, type and get(); prom-client's own types name only its classes.
  registry.registerMetric(family as unknown as Metric);
  return family;
}

interface HistogramData {
  labels: Readonly<Record<string, string>>;
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  counts: Float64Array;
  sum: number;
  count: number;
}

class Histograms<L extends string> implements HistogramFamily<L> {
  readonly type = "histogram";
  readonly aggregator = "sum";
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  readonly #definition: MetricDefinition<L>;
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, HistogramData>();
  #unlabelled: HistogramSeries | undefined;

  constructor(definition: MetricDefinition<L> & { buckets: readonly number[] }) {
    this.name = definition.name;
    this.help = definition.help;
    this.labelNames = definition.labelNames ?? [];
    this.#definition = definition;
    this.#bounds = [...definition.buckets].sort((a, b) => a - b);
  }

  labels(values: Readonly<Record<L, string>>): HistogramSeries {
    const key = labelKey(this.#definition, values);
    let data = this.#series.get(key);
    if (data === undefined) {
      data = { labels: { ...values }, counts: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
      this.#series.set(key, data);
    }
    const bounds = this.#bounds;
    const observed = data;
    return {
      observe(value) {
        let bucket = 0;
        while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++;
        observed.counts[bucket] = (observed.counts[bucket] as number) + 1;
        observed.sum += value;
        observed.count += 1;
      },
    };
  }

  observe(value: number): void {
    this.#unlabelled ??= this.labels({} as Record<L, string>);
    this.#unlabelled.observe(value);
  }

  get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const data of this.#series.values()) {
      let cumulative = 0;
      data.counts.forEach((count, bucket) => {
        cumulative += count;
        const le = bucket < this.#bounds.length ? String(this.#bounds[bucket]) : "+Inf";
        values.push({ labels: { ...data.labels, le }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: data.labels, value: data.sum, metricName: `${this.name}_sum` });
      values.push({ labels: data.labels, value: data.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** Zeroes every series (prom-client's Registry.resetMetrics); bound series stay bound. */
  reset(): void {
    for (const data of this.#series.values()) {
      data.counts.fill(0);
      data.sum = 0;
      data.count = 0;
    }
  }
}

/** The series' key; refuses label names the definition does not declare, once, when a series is bound. */
function labelKey<L extends string>(definition: MetricDefinition<L>, values: Readonly<Record<L, string>>): string {
  const names = definition.labelNames ?? [];
  const given = Object.keys(values);
  if (given.length !== names.length || given.some((name) => !names.includes(name as L)))
    throw new Error(`${definition.name} has the labels ${names.join(", ") || "(none)"}, got ${given.join(", ")}`);
  return names.map((name) => values[name]).join("\u0000");
}
