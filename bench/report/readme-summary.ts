import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CellResult } from "../writes/cells.js";
import {
  checkTargets,
  lineKindOf,
  TARGET_LINES,
  targetLoad,
  type BenchRun,
  type TargetCheck,
} from "../writes/run-record.js";
import { lowLoadTargets, SWEEP_ROW_ORDER, type SweepRecord, type SweepRow } from "../writes/sweep.js";
import { ordered, pathLabel, ratioText } from "./table.js";

function readJson(file: string): unknown {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

const when = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** The table's 5-line rows of plain custom lines: the two baselines and every path, at the run's concurrency. */
function fiveLineRows(run: BenchRun): string[] {
  const rows = ordered(run.cells.filter((c) => c.lines === TARGET_LINES && lineKindOf(c) === "custom"));
  const cpu = (c: CellResult) => (c.service ? c.service.cpuMsPerOrder.toFixed(2) : "-");
  return [
    `| ${TARGET_LINES} lines, ${run.options.concurrency} in flight | orders/s | x per order | x batched | p99 ms | svc CPU ms/order |`,
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (c) =>
        `| ${pathLabel(c.path)} | ${c.ordersPerSec.toFixed(0)} | ${ratioText(c.ratio)} | ${ratioText(c.ratioBatched)} | ` +
        `${c.latencyMs.p99.toFixed(1)} | ${cpu(c)} |`,
    ),
  ];
}

/** The sweep's p50 at 1 in flight: what batching costs a lone call. */
function aloneLine(sweep: SweepRecord, run: BenchRun | undefined): string[] {
  const alone = sweep.rows
    // The batched baseline waits for nothing alone either: the per-order one is the reference.
    .filter((r) => r.concurrency === 1 && r.row !== "baseline-batched")
    .sort((a, b) => SWEEP_ROW_ORDER.indexOf(a.row) - SWEEP_ROW_ORDER.indexOf(b.row));
  if (alone.length === 0) return [];
  const source =
    run?.command === sweep.command && run.startedAt === sweep.startedAt
      ? "the same run's sweep"
      : `the sweep of \`${sweep.command}\`, ${when(sweep.startedAt)}, load average ${sweep.machine.loadAverageAtStart}`;
  const p50s = alone.map((r) => `${pathLabel(r.row)} ${r.p50Ms.toFixed(1)} ms`).join(", ");
  return [`At 1 in flight (${source}), p50: ${p50s}.`, ""];
}

/**
 * Targets not met one a line with how far; the met ones in one line. The load of the table above ("5 lines, 32 in
 * flight") is said once, in the heading, not in every target that names it.
 */
function targetLines(targets: readonly TargetCheck[], concurrency: number): string[] {
  const text = (t: TargetCheck) => t.target.replace(`, ${targetLoad(concurrency)}:`, ":");
  const met = targets.filter((t) => t.met);
  return [
    `Targets (${targetLoad(concurrency)} unless they say otherwise; on this machine):`,
    "",
    ...targets.filter((t) => !t.met).map((t) => `- **not met**: ${text(t)} — ${t.actual}`),
    ...(met.length > 0 ? [`- met: ${met.map((t) => `${text(t)} (${t.actual})`).join("; ")}`] : []),
  ];
}

/**
 * The compact summary README.md's "Performance and reliability" shows (`npm run docs:sections` copies it there):
 * the 5-line rows at the table's concurrency against both baselines, the sweep's p50 at 1 in flight, and the
 * targets, met or not and how far; from the committed last-run.json and sweep.json, so it is always the output of
 * the last complete `npm run bench`, never typed by hand. docs/performance.md has the full table and the rest.
 */
export function readmeSummary(run: BenchRun | undefined, sweep: SweepRecord | undefined): string {
  if (!run) return "No benchmark run recorded yet: run `npm run bench`.\n";
  const m = run.machine;
  // The targets as they are set now, so a run recorded before one was added still shows it (unchecked).
  const targets = [
    ...checkTargets(run.cells, run.options.sizes, run.options.concurrency),
    ...(sweep ? lowLoadTargets(sweep.rows) : []),
  ];
  return [
    `\`${run.command}\`, ${when(run.startedAt)}, ${m.cores} x ${m.cpuModel}, load average ${m.loadAverageAtStart} at the ` +
      `start, pool ${run.options.poolMax}:`,
    "",
    ...fiveLineRows(run),
    "",
    ...(sweep ? aloneLine(sweep, run) : []),
    ...targetLines(targets, run.options.concurrency),
    "",
  ].join("\n");
}

export function writeReadmeSummary(resultsDir: string): void {
  const run = readJson(join(resultsDir, "last-run.json")) as BenchRun | undefined;
  // sweep.json from before it recorded its run is a bare array of rows: nothing to say where it came from.
  const sweep = readJson(join(resultsDir, "sweep.json")) as SweepRecord | SweepRow[] | undefined;
  writeFileSync(
    join(resultsDir, "README-summary.md"),
    readmeSummary(run, sweep && !Array.isArray(sweep) ? sweep : undefined),
  );
}
