import type { MikroORM } from "@mikro-orm/postgresql";
import type { NatsConnection } from "@nats-io/transport-node";
import { monotonicUs, type MonotonicSpan } from "../report/profile-summary.js";
import { round, summarize, type LatencySummary } from "../support/stats.js";
import { Baseline, type BatchedBaseline } from "./baseline.js";
import { EventLagProbe, type EpochSpan } from "./event-lag.js";
import { createBenchTenant, orderRequests, type BenchTenant, type CheckoutSetUp, type LineKind } from "./fixtures.js";
import { runLoad, type Call, type LoadWindow } from "./load.js";
import { orderCaller, type ClientKind, type PathName } from "./paths.js";
import { ProcessMonitor, type PhaseUsage } from "./process-stats.js";

export interface LoadShape {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

/**
 * The two plain-`pg` references: one transaction per order (what a hand-written service does) and the same work
 * with the same group commit as Orderspine (the limit of the batching itself).
 */
export type BaselineName = "baseline" | "baseline-batched";

export function isBaseline(path: PathName | BaselineName): path is BaselineName {
  return path === "baseline" || path === "baseline-batched";
}

/** One row of the table: a path (or a baseline) at one order size. */
export interface CellResult {
  path: PathName | BaselineName;
  lines: number;
  /** How the orders name their lines; absent in runs from before lines by SKU were measured (custom lines). */
  lineKind?: LineKind;
  ordersPerSec: number;
  latencyMs: LatencySummary;
  /** Orders/s relative to the per-order baseline at the same size (1 for that baseline itself). */
  ratio: number;
  /** Orders/s relative to the batched baseline at the same size; absent in runs from before it was measured. */
  ratioBatched?: number;
  /** Orders per committed write statement of the batched baseline, warm-up included (absent for other rows). */
  meanBatch?: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** The service process (absent for the baseline, which has none). */
  service?: { peakRssMb: number; endRssMb: number; cpuMsPerOrder: number };
  /** CPU the load generator's own process spent per order (clients, or the baseline's pg calls). */
  generatorCpuMsPerOrder: number;
  /** Share of the whole machine's CPU that was busy while measuring (0..1). */
  machineBusy: number;
  eventLag?: { count: number; p50Ms: number; p99Ms: number; maxMs: number; missing: number; duplicates: number };
  /** When it was measured on the monotonic clock, to pick its samples out of a CPU profile. */
  spans: MonotonicSpan[];
}

const MB = 1024 * 1024;
/** How long events of the cell's last orders may take to arrive before they count as missing. */
const EVENT_DRAIN_MS = 15_000;

export interface ServiceCellContext {
  orm: MikroORM;
  nats: NatsConnection;
  serviceUrl: string;
  servicePid: number;
  client: ClientKind;
}

/**
 * One row of the table, measured in slices: the bench runs one slice of every cell per round, so
 * the baseline and the paths of a size are measured across the same stretch of time and a busy
 * neighbour on the machine skews them alike rather than one of them.
 */
export interface Cell {
  readonly path: CellResult["path"];
  readonly lines: number;
  readonly lineKind: LineKind;
  /** Warm-up, then one measured slice of `shape.durationMs`; resolves with the slice's orders/s. */
  runSlice(shape: LoadShape): Promise<number>;
  /** The row from all slices; releases the cell's connections. */
  finish(): Promise<CellResult>;
}

export interface Slice {
  window: LoadWindow;
  /** Epoch ms from the start of the warm-up to the last call's end: every order of the slice was created inside. */
  loadSpan: EpochSpan;
  span: MonotonicSpan;
  generator: PhaseUsage;
  service?: PhaseUsage;
}

/** Runs warm-up and one measured window, with CPU and RSS of the given processes over that window. */
export async function measureSlice(call: Call, shape: LoadShape, servicePid?: number): Promise<Slice> {
  const generator = new ProcessMonitor(process.pid);
  const service = servicePid === undefined ? undefined : new ProcessMonitor(servicePid);
  let endGenerator: (() => PhaseUsage) | undefined;
  let endService: (() => PhaseUsage) | undefined;
  let fromUs = 0;
  const loadFrom = Date.now();
  try {
    const windows = await runLoad(call, {
      ...shape,
      onMeasureStart: () => {
        fromUs = monotonicUs();
        endGenerator = generator.phase();
        endService = service?.phase();
      },
    });
    const span = { fromUs, toUs: monotonicUs() };
    const window = windows[0];
    const generatorUsage = endGenerator?.();
    if (!window || !generatorUsage) throw new Error("load run measured nothing");
    return {
      window,
      loadSpan: { from: loadFrom, until: Date.now() },
      span,
      generator: generatorUsage,
      service: endService?.(),
    };
  } finally {
    generator.stop();
    service?.stop();
  }
}

/** A tenant cells create their orders in, with the lag probe on its order.created events. */
export interface CellTenant extends BenchTenant {
  probe: EventLagProbe;
}

/**
 * A tenant of its own with customers, and the probe on its events. A cell usually has one of its own, so its
 * order numbers, events and counts are its alone; the cells with lines by SKU share the tenant whose catalog was
 * seeded (seeding a million variants once is enough), and each counts the events of the orders created while it
 * ran (EventLagProbe.countBetween). The caller stops the probe when its cells are finished.
 */
export async function cellTenant(ctx: ServiceCellContext, label: string): Promise<CellTenant> {
  const tenant = await createBenchTenant(ctx.orm, ctx.serviceUrl, label);
  return { ...tenant, probe: await EventLagProbe.start(ctx.nats, tenant.tenantId) };
}

/** What one cell measures: CreateOrder over `path` with orders of `lines` lines named `lineKind`. */
export interface CellSpec {
  path: PathName;
  lines: number;
  lineKind: LineKind;
  /** Variants of the tenant's seeded catalog, which lines by SKU pick from. */
  catalogVariants?: number;
  /** The tenant's tax zone, shipping method and coupon code the checkout rows' orders use. */
  checkout?: CheckoutSetUp;
}

/** A tenant of its own and a caller that creates its orders over `path`: what the soak drives. */
export async function orderLoad(
  ctx: ServiceCellContext,
  label: string,
  path: PathName,
  lines: number,
  concurrency: number,
) {
  const tenant = await cellTenant(ctx, label);
  const caller = orderCaller(
    ctx.client,
    path,
    ctx.serviceUrl,
    tenant.key,
    orderRequests(tenant.customerIds, lines),
    concurrency,
  );
  return { probe: tenant.probe, caller };
}

/** CreateOrder as `spec` says, against the running service, in `tenant`. */
export function serviceCell(ctx: ServiceCellContext, tenant: CellTenant, spec: CellSpec, concurrency: number): Cell {
  const { path, lines, lineKind } = spec;
  const { probe } = tenant;
  const caller = orderCaller(
    ctx.client,
    path,
    ctx.serviceUrl,
    tenant.key,
    orderRequests(tenant.customerIds, lines, lineKind, spec.catalogVariants, spec.checkout),
    concurrency,
  );
  let succeeded = 0;
  const call = async () => {
    await caller.call();
    succeeded += 1;
  };
  const slices: Slice[] = [];
  return {
    path,
    lines,
    lineKind,
    async runSlice(shape) {
      return rate(slices, await measureSlice(call, shape, ctx.servicePid));
    },
    async finish() {
      caller.close();
      const spans = slices.map((s) => s.loadSpan);
      await probe.waitFor(succeeded, EVENT_DRAIN_MS, spans);
      const lags = slices.flatMap((s) =>
        probe.lagsBetween(s.window.startedAt, s.window.startedAt + s.window.durationMs),
      );
      const { received, duplicates } = probe.countBetween(spans);
      const row = cellFigures(path, lines, lineKind, slices);
      const lag = summarize(lags);
      const serviceUsage = slices.map((s) => s.service).filter((u): u is PhaseUsage => u !== undefined);
      return {
        ...row,
        service: {
          peakRssMb: round(Math.max(0, ...serviceUsage.map((u) => u.peakRssBytes)) / MB),
          endRssMb: round((serviceUsage[serviceUsage.length - 1]?.endRssBytes ?? 0) / MB),
          cpuMsPerOrder: round(serviceUsage.reduce((sum, u) => sum + u.cpuMs, 0) / Math.max(1, row.latencyMs.count)),
        },
        eventLag: {
          count: lag.count,
          p50Ms: round(lag.p50),
          p99Ms: round(lag.p99),
          maxMs: round(lag.max),
          missing: Math.max(0, succeeded - received),
          duplicates,
        },
      };
    },
  };
}

/** The same database work with the plain driver, one transaction per order, at the same pool size and concurrency. */
export async function baselineCell(databaseUrl: string, poolMax: number, lines: number): Promise<Cell> {
  return plainPgCell("baseline", await Baseline.prepare(databaseUrl, poolMax, lines), () => ({}));
}

/** The batched baseline as a row; its mean batch in the result. */
export function batchedBaselineCell(baseline: BatchedBaseline): Cell {
  return plainPgCell("baseline-batched", baseline, () =>
    baseline.statements > 0 ? { meanBatch: round(baseline.orders / baseline.statements) } : {},
  );
}

/** A baseline as a row: its own pool and load, no service. */
function plainPgCell(
  path: BaselineName,
  baseline: Pick<Baseline, "createOrder" | "lines" | "close">,
  extra: () => Pick<CellResult, "meanBatch">,
): Cell {
  const { lines } = baseline;
  const slices: Slice[] = [];
  return {
    path,
    lines,
    lineKind: "custom",
    async runSlice(shape) {
      return rate(slices, await measureSlice(baseline.createOrder, shape));
    },
    async finish() {
      await baseline.close();
      return { ...cellFigures(path, lines, "custom", slices), ...extra() };
    },
  };
}

function rate(slices: Slice[], slice: Slice): number {
  slices.push(slice);
  return round(slice.window.latencies.length / (slice.window.durationMs / 1000));
}

export function cellFigures(
  path: CellResult["path"],
  lines: number,
  lineKind: LineKind,
  slices: readonly Slice[],
): CellResult {
  const latencies = slices.flatMap((s) => s.window.latencies);
  const completed = latencies.length;
  const seconds = slices.reduce((sum, s) => sum + s.window.durationMs, 0) / 1000;
  const latency = summarize(latencies);
  const errorKinds: Record<string, number> = {};
  for (const s of slices)
    for (const [kind, n] of Object.entries(s.window.errorKinds)) errorKinds[kind] = (errorKinds[kind] ?? 0) + n;
  return {
    path,
    lines,
    lineKind,
    ordersPerSec: round(completed / Math.max(seconds, 1e-9)),
    latencyMs: {
      count: latency.count,
      p50: round(latency.p50),
      p95: round(latency.p95),
      p99: round(latency.p99),
      max: round(latency.max),
    },
    ratio: 1,
    errors: slices.reduce((sum, s) => sum + s.window.errors, 0),
    errorKinds,
    generatorCpuMsPerOrder: round(slices.reduce((sum, s) => sum + s.generator.cpuMs, 0) / Math.max(1, completed)),
    machineBusy: round(
      slices.reduce((sum, s) => sum + s.generator.machineBusy * s.window.durationMs, 0) / Math.max(1, seconds * 1000),
    ),
    spans: slices.map((s) => s.span),
  };
}
