import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { scrape } from "../../test/support/metrics.js";
import { pathLabel } from "../report/table.js";
import { round } from "../support/stats.js";
import { BatchedBaseline } from "./baseline.js";
import {
  baselineCell,
  batchedBaselineCell,
  cellTenant,
  serviceCell,
  type Cell,
  type CellResult,
  type LoadShape,
  type ServiceCellContext,
} from "./cells.js";
import type { PathName } from "./paths.js";
import { atMost, throughputTargets, type MachineInfo, type TargetCheck } from "./run-record.js";

/** The sweep's order size and paths (issue 15): 5 lines over gRPC and Connect JSON. */
export const SWEEP_LINES = 5;
const SWEEP_PATHS: PathName[] = ["grpc", "connect-json"];

type SweepRowName = CellResult["path"];

/** The rows of each concurrency in the order they are shown. */
export const SWEEP_ROW_ORDER: SweepRowName[] = [
  "baseline",
  "baseline-batched",
  "grpc",
  "connect-json",
  "connect-binary",
];

export interface SweepRow {
  row: SweepRowName;
  concurrency: number;
  ordersPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Orders per committed write statement (1 for the per-order baseline); warm-up included. */
  meanBatch: number | null;
  /** The service process's CPU per order (none for the baselines, which run in the bench's process). */
  cpuMsPerOrder: number | null;
  /** Orders/s against the per-order and the batched baseline at the same concurrency. */
  xBaseline: number;
  xBatched: number;
}

interface SweepCell {
  row: SweepRowName;
  concurrency: number;
  cell: Cell;
  /** Orders and committed statements so far, read around each slice. */
  batches?: () => Promise<{ orders: number; statements: number }>;
  orders: number;
  statements: number;
}

/** The run a sweep was part of, as its markdown and JSON say. */
export interface SweepRun {
  command: string;
  startedAt: string;
  machine: MachineInfo;
  options: SweepOptions;
}

export interface SweepOptions {
  concurrencies: number[];
  durationS: number;
  warmupS: number;
  rounds: number;
  poolMax: number;
  databaseUrl: string;
}

/**
 * The concurrency sweep: the per-order baseline, the baseline with the same group commit, and CreateOrder over gRPC
 * and Connect JSON, at 5 lines and each concurrency, measured in rounds like the table (each row one slice per round,
 * every row of the sweep in turn).
 */
export async function runSweep(ctx: ServiceCellContext, options: SweepOptions): Promise<SweepRow[]> {
  const metricsUrl = `${ctx.serviceUrl}/metrics`;
  const serviceBatches = async () => {
    const scraped = await scrape(metricsUrl);
    return {
      orders: scraped.value("orderspine_create_order_batch_size_sum") ?? 0,
      statements: scraped.value("orderspine_create_order_batch_size_count") ?? 0,
    };
  };
  const cells: SweepCell[] = [];
  const tenants: { probe: { stop(): Promise<void> } }[] = [];
  for (const concurrency of options.concurrencies) {
    const base = { concurrency, orders: 0, statements: 0 };
    cells.push({
      ...base,
      row: "baseline",
      cell: await baselineCell(options.databaseUrl, options.poolMax, SWEEP_LINES),
    });
    const batched = await BatchedBaseline.prepare(options.databaseUrl, options.poolMax, SWEEP_LINES);
    cells.push({
      ...base,
      row: "baseline-batched",
      cell: batchedBaselineCell(batched),
      batches: () => Promise.resolve({ orders: batched.orders, statements: batched.statements }),
    });
    for (const path of SWEEP_PATHS) {
      const tenant = await cellTenant(ctx, `sweep ${path} ${concurrency} in flight`);
      tenants.push(tenant);
      const spec = { path, lines: SWEEP_LINES, lineKind: "custom" as const };
      cells.push({ ...base, row: path, cell: serviceCell(ctx, tenant, spec, concurrency), batches: serviceBatches });
    }
  }
  const sliceMs = (options.durationS * 1000) / options.rounds;
  for (let r = 1; r <= options.rounds; r++)
    for (const c of cells) {
      const shape: LoadShape = { concurrency: c.concurrency, warmupMs: options.warmupS * 1000, durationMs: sliceMs };
      const before = await c.batches?.();
      const ordersPerSec = await c.cell.runSlice(shape);
      const after = await c.batches?.();
      if (before && after) {
        c.orders += after.orders - before.orders;
        c.statements += after.statements - before.statements;
      }
      console.log(
        `sweep round ${r}/${options.rounds}  ${pathLabel(c.row)}, ${c.concurrency} in flight: ${ordersPerSec} orders/s`,
      );
    }
  const results: { c: SweepCell; result: CellResult }[] = [];
  for (const c of cells) results.push({ c, result: await c.cell.finish() });
  await Promise.all(tenants.map((t) => t.probe.stop()));
  return results.map(({ c, result }) => {
    const at = (row: SweepRowName) =>
      results.find((other) => other.c.row === row && other.c.concurrency === c.concurrency)?.result.ordersPerSec ?? 0;
    const ratio = (of: number) => (of > 0 ? round(result.ordersPerSec / of) : Number.NaN);
    return {
      row: c.row,
      concurrency: c.concurrency,
      ordersPerSec: result.ordersPerSec,
      p50Ms: result.latencyMs.p50,
      p99Ms: result.latencyMs.p99,
      errors: result.errors,
      meanBatch: c.row === "baseline" ? 1 : c.statements > 0 ? round(c.orders / c.statements) : null,
      cpuMsPerOrder: result.service?.cpuMsPerOrder ?? null,
      xBaseline: ratio(at("baseline")),
      xBatched: ratio(at("baseline-batched")),
    };
  });
}

/** Issue 15's targets at 5 lines, checked against the sweep; never asserted in tests. */
export function sweepTargets(rows: readonly SweepRow[]): TargetCheck[] {
  const at32 = rows
    .filter((r) => r.concurrency === 32)
    .map((r) => ({ path: r.row, ordersPerSec: r.ordersPerSec, p99Ms: r.p99Ms }));
  const errors = rows.reduce((sum, r) => sum + r.errors, 0);
  return [
    ...throughputTargets(at32, 32),
    ...lowLoadTargets(rows),
    { target: "zero errors", met: errors === 0, actual: `${errors} errors` },
  ];
}

/** At 1 in flight, batching must cost nothing: each path's p50 within 1 ms of the per-order baseline's. */
export function lowLoadTargets(rows: readonly SweepRow[]): TargetCheck[] {
  const alone = rows.find((r) => r.row === "baseline" && r.concurrency === 1);
  if (!alone) return [];
  return SWEEP_PATHS.flatMap((path) => {
    const row = rows.find((r) => r.row === path && r.concurrency === 1);
    if (!row) return [];
    const extra = round(row.p50Ms - alone.p50Ms);
    return [
      atMost(`${pathLabel(path)}, 1 in flight: p50 within 1 ms of the per-order baseline's`, extra, 1, " ms", {
        shown: `${row.p50Ms} against ${alone.p50Ms} ms (+${extra} ms)`,
      }),
    ];
  });
}

/** The sweep as the markdown section docs/performance.md shows (bench/results/sweep.md). */
export function sweepMarkdown(rows: readonly SweepRow[], run: SweepRun): string {
  const n = (v: number | null, digits: number) => (v === null || !Number.isFinite(v) ? "-" : v.toFixed(digits));
  const ordered = [...rows].sort(
    (a, b) => a.concurrency - b.concurrency || SWEEP_ROW_ORDER.indexOf(a.row) - SWEEP_ROW_ORDER.indexOf(b.row),
  );
  const { machine, options } = run;
  return [
    "### Concurrency sweep: group commit at 5 lines",
    "",
    `\`${run.command}\` on ${run.startedAt.slice(0, 16).replace("T", " ")} UTC, ${machine.cores} x ${machine.cpuModel}, load average ${machine.loadAverageAtStart} at the start: ` +
      `each row ${options.durationS} s in ${options.rounds} slice(s) after ${options.warmupS} s of warm-up, the rows in turns; pool ${options.poolMax}. ` +
      "The per-order baseline is the table's (order number, then order, lines and outbox row in one statement, per order); the batched baseline " +
      "is the same work with the same group commit (`GroupCommit`, up to 64 orders a statement), the limit of the batching itself. " +
      "Batch: orders per committed write statement (Orderspine's from `orderspine_create_order_batch_size`, warm-up included).",
    "",
    "| row | in flight | orders/s | p50 ms | p99 ms | x per-order baseline | x batched baseline | batch | svc CPU ms/order | errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...ordered.map(
      (r) =>
        `| ${pathLabel(r.row)} | ${r.concurrency} | ${r.ordersPerSec.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${n(r.xBaseline, 2)} | ${n(r.xBatched, 2)} | ${n(r.meanBatch, 2)} | ${n(r.cpuMsPerOrder, 2)} | ${r.errors} |`,
    ),
    "",
    "Targets (issue 15; never asserted in tests):",
    "",
    ...sweepTargets(rows).map((t) => `- ${t.met ? "met" : "**not met**"}: ${t.target} — ${t.actual}`),
    "",
  ].join("\n");
}

/** What sweep.json records: the run's command, time, machine and options, and the rows. */
export interface SweepRecord extends SweepRun {
  rows: SweepRow[];
}

export function writeSweep(dir: string, markdown: string, rows: readonly SweepRow[], run: SweepRun): void {
  writeFileSync(join(dir, "sweep.md"), markdown);
  const record: SweepRecord = { ...run, rows: [...rows] };
  writeFileSync(join(dir, "sweep.json"), JSON.stringify(record, null, 2) + "\n");
}
