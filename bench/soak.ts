import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ServiceCellContext } from "./cells.js";
import { EventLagProbe } from "./event-lag.js";
import { createBenchTenant, orderRequests } from "./fixtures.js";
import { runLoad, type LoadWindow } from "./load.js";
import { writePerformanceMarkdown } from "./markdown.js";
import type { BenchOptions } from "./options.js";
import { orderCaller, PATHS, type PathName } from "./paths.js";
import { ProcessMonitor, type PhaseUsage } from "./process-stats.js";
import { monotonicUs, type MonotonicSpan } from "./profile-summary.js";
import type { MachineInfo } from "./run-record.js";
import { round, slope, summarize } from "./stats.js";

export const SOAK_WINDOW_MS = 30_000;
/** Shortest soak that replaces bench/last-soak.json (the five minutes). */
const PUBLISHED_SOAK_S = 300;
/** Memory counts as flat when the last window's RSS is within this share of the second's. */
const MAX_RSS_GROWTH = 0.1;
/** Latency counts as not drifting when the last window's p99 is within this share of the first's. */
const MAX_P99_DRIFT = 0.5;

export interface SoakWindow {
  index: number;
  startS: number;
  ordersPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  rssMb: number;
  peakRssMb: number;
  lagP99Ms: number;
}

export interface SoakRun {
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: MachineInfo;
  path: PathName;
  lines: number;
  concurrency: number;
  windows: SoakWindow[];
  verdict: { memoryFlat: boolean; rssGrowthPct: number; rssSlopeMbPerMin: number; latencyFlat: boolean; p99DriftPct: number; errors: number };
  /** The measured time on the monotonic clock, to pick its samples out of a CPU profile. */
  span: MonotonicSpan;
}

/** `--soak S`: S seconds at the default load on one path, RSS and latency per 30 s window. */
export async function runSoak(
  ctx: ServiceCellContext,
  options: BenchOptions,
  outDir: string,
  benchDir: string,
  meta: { command: string; machine: MachineInfo; startedAt: Date },
): Promise<SoakRun> {
  const path = options.soakPath;
  const lines = options.soakLines;
  console.log(`soak: ${PATHS[path].label}, ${lines} lines, ${options.concurrency} in flight, ${options.soakS} s in ${SOAK_WINDOW_MS / 1000} s windows\n`);
  const tenant = await createBenchTenant(ctx.orm, ctx.serviceUrl, `soak ${path} ${lines} lines`);
  const probe = await EventLagProbe.start(ctx.nats, tenant.tenantId);
  const caller = orderCaller(ctx.client, path, ctx.serviceUrl, tenant.key, orderRequests(tenant.customerIds, lines), options.concurrency);
  const monitor = new ProcessMonitor(ctx.servicePid);
  let endPhase: (() => PhaseUsage) | undefined;
  let fromUs = 0;
  const windows: SoakWindow[] = [];
  const onWindow = (window: LoadWindow) => {
    const usage = endPhase?.();
    endPhase = monitor.phase();
    const latency = summarize(window.latencies);
    const lag = summarize(probe.lagsBetween(window.startedAt, window.startedAt + window.durationMs));
    const row: SoakWindow = {
      index: window.index,
      startS: (window.index * SOAK_WINDOW_MS) / 1000,
      ordersPerSec: round(window.latencies.length / (window.durationMs / 1000)),
      p50Ms: round(latency.p50),
      p99Ms: round(latency.p99),
      errors: window.errors,
      rssMb: round((usage?.endRssBytes ?? 0) / 2 ** 20),
      peakRssMb: round((usage?.peakRssBytes ?? 0) / 2 ** 20),
      lagP99Ms: round(lag.p99),
    };
    windows.push(row);
    console.log(
      `${String(row.startS).padStart(4)} s: ${row.ordersPerSec} orders/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ` +
        `RSS ${row.rssMb} MB (peak ${row.peakRssMb}), lag p99 ${row.lagP99Ms} ms, ${row.errors} errors`,
    );
  };
  await runLoad(
    caller.call,
    {
      concurrency: options.concurrency,
      warmupMs: options.warmupS * 1000,
      durationMs: options.soakS * 1000,
      windowMs: SOAK_WINDOW_MS,
      onMeasureStart: () => {
        fromUs = monotonicUs();
        endPhase = monitor.phase();
      },
      onWindow,
    },
  );
  const span = { fromUs, toUs: monotonicUs() };
  monitor.stop();
  caller.close();
  await probe.stop();

  const run: SoakRun = {
    startedAt: meta.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: meta.command,
    machine: meta.machine,
    path,
    lines,
    concurrency: options.concurrency,
    windows,
    verdict: verdict(windows),
    span,
  };
  const json = JSON.stringify(run, null, 2) + "\n";
  writeFileSync(join(outDir, "soak.json"), json);
  const v = run.verdict;
  console.log(
    `\nmemory ${v.memoryFlat ? "flat" : "GROWING"}: ${v.rssGrowthPct}% from the second window to the last (${v.rssSlopeMbPerMin} MB/min); ` +
      `latency ${v.latencyFlat ? "steady" : "DRIFTING"}: p99 ${v.p99DriftPct}% from the first window to the last; ${v.errors} errors`,
  );
  if (options.soakS >= PUBLISHED_SOAK_S) {
    writeFileSync(join(benchDir, "last-soak.json"), json);
    writePerformanceMarkdown(benchDir);
    console.log("wrote bench/last-soak.json and bench/README-performance.md");
  }
  return run;
}

/** The first window still settles (JIT, heap growth to its working size), so memory is judged from the second. */
function verdict(windows: SoakWindow[]): SoakRun["verdict"] {
  const settled = windows.length > 2 ? windows.slice(1) : windows;
  const first = settled[0];
  const last = settled[settled.length - 1];
  const rssGrowth = first && last && first.rssMb > 0 ? (last.rssMb - first.rssMb) / first.rssMb : 0;
  const p99Drift = windows[0] && last && windows[0].p99Ms > 0 ? (last.p99Ms - windows[0].p99Ms) / windows[0].p99Ms : 0;
  const perMinute = settled.map((w) => ({ x: w.startS / 60, y: w.rssMb }));
  return {
    memoryFlat: rssGrowth <= MAX_RSS_GROWTH,
    rssGrowthPct: round(rssGrowth * 100),
    rssSlopeMbPerMin: round(slope(perMinute)),
    latencyFlat: p99Drift <= MAX_P99_DRIFT,
    p99DriftPct: round(p99Drift * 100),
    errors: windows.reduce((sum, w) => sum + w.errors, 0),
  };
}
