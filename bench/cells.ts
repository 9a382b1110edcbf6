import type { MikroORM } from "@mikro-orm/postgresql";
import type { NatsConnection } from "@nats-io/transport-node";
import { Baseline } from "./baseline.js";
import { EventLagProbe } from "./event-lag.js";
import { createBenchTenant, orderRequests } from "./fixtures.js";
import { runLoad, type LoadWindow } from "./load.js";
import { orderCaller, type ClientKind, type PathName } from "./paths.js";
import { ProcessMonitor, type PhaseUsage } from "./process-stats.js";
import { monotonicUs, type MonotonicSpan } from "./profile-summary.js";
import { round, summarize, type LatencySummary } from "./stats.js";

export interface LoadShape {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

/** One row of the table: a path (or the baseline) at one order size. */
export interface CellResult {
  path: PathName | "baseline";
  lines: number;
  ordersPerSec: number;
  latencyMs: LatencySummary;
  /** Orders/s relative to the baseline at the same size (1 for the baseline itself). */
  ratio: number;
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
  span: MonotonicSpan;
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

/** Drives CreateOrder over one path at one size against the running service. */
export async function runServiceCell(ctx: ServiceCellContext, path: PathName, lines: number, shape: LoadShape): Promise<CellResult> {
  const tenant = await createBenchTenant(ctx.orm, ctx.serviceUrl, `${path} ${lines} lines`);
  const probe = await EventLagProbe.start(ctx.nats, tenant.tenantId);
  const caller = orderCaller(ctx.client, path, ctx.serviceUrl, tenant.key, orderRequests(tenant.customerIds, lines), shape.concurrency);
  let succeeded = 0;
  const call = async () => {
    await caller.call();
    succeeded += 1;
  };

  const service = new ProcessMonitor(ctx.servicePid);
  const generator = new ProcessMonitor(process.pid);
  let endService: (() => PhaseUsage) | undefined;
  let endGenerator: (() => PhaseUsage) | undefined;
  let fromUs = 0;
  const windows = await runLoad(call, {
    ...shape,
    onMeasureStart: () => {
      fromUs = monotonicUs();
      endService = service.phase();
      endGenerator = generator.phase();
    },
  });
  const span = { fromUs, toUs: monotonicUs() };
  caller.close();
  const serviceUsage = endService?.();
  const generatorUsage = endGenerator?.();
  service.stop();
  generator.stop();

  await probe.waitFor(succeeded, EVENT_DRAIN_MS);
  const window = onlyWindow(windows);
  const lag = probe.figures(window.startedAt, window.startedAt + window.durationMs);
  await probe.stop();
  const lagSummary = summarize(lag.lags);
  const base = cellFigures(path, lines, window, generatorUsage, span);
  return {
    ...base,
    service: serviceUsage && {
      peakRssMb: round(serviceUsage.peakRssBytes / MB),
      endRssMb: round(serviceUsage.endRssBytes / MB),
      cpuMsPerOrder: round(serviceUsage.cpuMs / Math.max(1, window.latencies.length)),
    },
    eventLag: {
      count: lagSummary.count,
      p50Ms: round(lagSummary.p50),
      p99Ms: round(lagSummary.p99),
      maxMs: round(lagSummary.max),
      missing: Math.max(0, succeeded - lag.received),
      duplicates: lag.duplicates,
    },
  };
}

/** The same database work with the plain driver, at the same pool size and concurrency. */
export async function runBaselineCell(databaseUrl: string, poolMax: number, lines: number, shape: LoadShape): Promise<CellResult> {
  const baseline = await Baseline.prepare(databaseUrl, poolMax, lines);
  const generator = new ProcessMonitor(process.pid);
  let endGenerator: (() => PhaseUsage) | undefined;
  let fromUs = 0;
  try {
    const windows = await runLoad(baseline.createOrder, {
      ...shape,
      onMeasureStart: () => {
        fromUs = monotonicUs();
        endGenerator = generator.phase();
      },
    });
    return cellFigures("baseline", lines, onlyWindow(windows), endGenerator?.(), { fromUs, toUs: monotonicUs() });
  } finally {
    generator.stop();
    await baseline.close();
  }
}

function cellFigures(path: CellResult["path"], lines: number, window: LoadWindow, generator: PhaseUsage | undefined, span: MonotonicSpan): CellResult {
  const completed = window.latencies.length;
  const latency = summarize(window.latencies);
  return {
    path,
    lines,
    ordersPerSec: round(completed / (window.durationMs / 1000)),
    latencyMs: { count: latency.count, p50: round(latency.p50), p95: round(latency.p95), p99: round(latency.p99), max: round(latency.max) },
    ratio: 1,
    errors: window.errors,
    errorKinds: window.errorKinds,
    generatorCpuMsPerOrder: round((generator?.cpuMs ?? 0) / Math.max(1, completed)),
    machineBusy: round(generator?.machineBusy ?? 0),
    span,
  };
}

function onlyWindow(windows: LoadWindow[]): LoadWindow {
  const window = windows[0];
  if (!window) throw new Error("load run produced no window");
  return window;
}
