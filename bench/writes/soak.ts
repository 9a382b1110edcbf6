import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { writePerformanceMarkdown } from "../report/performance-markdown.js";
import { monotonicUs, type MonotonicSpan } from "../report/profile-summary.js";
import { round, slope, summarize } from "../support/stats.js";
import { orderLoad, type ServiceCellContext } from "./cells.js";
import { runLoad, type LoadWindow } from "./load.js";
import type { BenchOptions } from "./options.js";
import { PATHS, type PathName } from "./paths.js";
import { ProcessMonitor, type PhaseUsage } from "./process-stats.js";
import type { MachineInfo } from "./run-record.js";

export const SOAK_WINDOW_MS = 30_000;
/** Shortest soak that replaces bench/results/last-soak.json (the five minutes). */
const PUBLISHED_SOAK_S = 300;
/** Memory counts as flat when the last window's RSS is within this share of the second's. */
const MAX_RSS_GROWTH = 0.1;
/** Latency counts as not drifting when the late windows' p99 is within this share of the early ones'. */
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
  /** The service's CPU per order: unlike latency, barely moved by other load on the machine. */
  cpuMsPerOrder: number;
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
  verdict: {
    memoryFlat: boolean;
    rssGrowthPct: number;
    rssSlopeMbPerMin: number;
    latencyFlat: boolean;
    p99DriftPct: number;
    cpuPerOrderDriftPct: number;
    errors: number;
  };
  /** The measured time on the monotonic clock, to pick its samples out of a CPU profile. */
  span: MonotonicSpan;
}

/** `--soak S`: S seconds at the default load on one path, RSS and latency per 30 s window. */
export async function runSoak(
  ctx: ServiceCellContext,
  options: BenchOptions,
  outDir: string,
  resultsDir: string,
  meta: { command: string; machine: MachineInfo; startedAt: Date },
): Promise<SoakRun> {
  const path = options.soakPath;
  const lines = options.soakLines;
  console.log(
    `soak: ${PATHS[path].label}, ${lines} lines, ${options.concurrency} in flight, ${options.soakS} s in ${SOAK_WINDOW_MS / 1000} s windows\n`,
  );
  const { probe, caller } = await orderLoad(ctx, `soak ${path} ${lines} lines`, path, lines, options.concurrency);
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
      cpuMsPerOrder: round((usage?.cpuMs ?? 0) / Math.max(1, window.latencies.length)),
    };
    windows.push(row);
    console.log(
      `${String(row.startS).padStart(4)} s: ${row.ordersPerSec} orders/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ` +
        `RSS ${row.rssMb} MB (peak ${row.peakRssMb}), lag p99 ${row.lagP99Ms} ms, service CPU ${row.cpuMsPerOrder} ms/order, ${row.errors} errors`,
    );
  };
  await runLoad(caller.call, {
    concurrency: options.concurrency,
    warmupMs: options.warmupS * 1000,
    durationMs: options.soakS * 1000,
    windowMs: SOAK_WINDOW_MS,
    onMeasureStart: () => {
      fromUs = monotonicUs();
      endPhase = monitor.phase();
    },
    onWindow,
  });
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
      `latency ${v.latencyFlat ? "steady" : "DRIFTING"}: p99 ${v.p99DriftPct}%, service CPU per order ${v.cpuPerOrderDriftPct}% from the first third of the windows to the last; ${v.errors} errors`,
  );
  if (options.soakS >= PUBLISHED_SOAK_S) {
    writeFileSync(join(resultsDir, "last-soak.json"), json);
    writePerformanceMarkdown(resultsDir);
    console.log("wrote bench/results/last-soak.json and README-performance.md");
  }
  return run;
}

/**
 * Memory: the first window still settles (JIT, heap growth to its working size), so RSS is judged
 * from the second window to the last. Latency: the median p99 of the last third of the windows
 * against the first third, so one noisy window decides nothing; CPU per order is reported beside it
 * because a busy neighbour moves latency but hardly the service's own work per order.
 */
function verdict(windows: SoakWindow[]): SoakRun["verdict"] {
  const settled = windows.length > 2 ? windows.slice(1) : windows;
  const first = settled[0];
  const last = settled[settled.length - 1];
  const rssGrowth = first && last && first.rssMb > 0 ? (last.rssMb - first.rssMb) / first.rssMb : 0;
  const third = Math.max(1, Math.floor(windows.length / 3));
  const drift = (value: (w: SoakWindow) => number) => {
    const before = median(windows.slice(0, third).map(value));
    return before > 0 ? median(windows.slice(-third).map(value)) / before - 1 : 0;
  };
  const p99Drift = drift((w) => w.p99Ms);
  const perMinute = settled.map((w) => ({ x: w.startS / 60, y: w.rssMb }));
  return {
    memoryFlat: rssGrowth <= MAX_RSS_GROWTH,
    rssGrowthPct: round(rssGrowth * 100),
    rssSlopeMbPerMin: round(slope(perMinute)),
    latencyFlat: p99Drift <= MAX_P99_DRIFT,
    p99DriftPct: round(p99Drift * 100),
    cpuPerOrderDriftPct: round(drift((w) => w.cpuMsPerOrder) * 100),
    errors: windows.reduce((sum, w) => sum + w.errors, 0),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}
