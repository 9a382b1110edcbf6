import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PATHS } from "../writes/paths.js";
import {
  CHECKOUT_CPU_RATIO_MAX,
  checkoutComparisons,
  checkTargets,
  skuComparisons,
  SKU_CPU_RATIO_MAX,
  type BenchRun,
} from "../writes/run-record.js";
import type { SoakRun, SoakWindow } from "../writes/soak.js";
import { markdownTable, pathLabel } from "./table.js";

/** The profile summary's opening line and its first table (by layer); the rest stays in the linked file. */
function profileExcerpt(summary: string): string[] {
  const lines = summary.split("\n");
  const firstTable = lines.findIndex((l) => l.startsWith("|"));
  const end = lines.findIndex((l, i) => i > firstTable && !l.startsWith("|"));
  if (firstTable < 0) return [];
  return [
    lines[0] ?? "",
    "",
    ...lines.slice(firstTable, end < 0 ? undefined : end),
    "",
    "Full summary (components, functions): [bench/results/last-profile-summary.md](bench/results/last-profile-summary.md).",
  ];
}

function readJson(file: string): unknown {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

/** Some fields of T are missing from files an older bench wrote. */
type Recorded<T, Missing extends keyof T> = Omit<T, Missing> & Partial<Pick<T, Missing>>;

/** last-soak.json as any soak wrote it: those before service CPU was measured have no CPU figures. */
interface RecordedSoak extends Omit<SoakRun, "windows" | "verdict"> {
  windows: Recorded<SoakWindow, "cpuMsPerOrder">[];
  verdict: Recorded<SoakRun["verdict"], "cpuPerOrderDriftPct">;
}

/** The rows with lines by SKU: the catalog they name, how long seeding it took, and their CPU against custom lines. */
function catalogSection(run: BenchRun): string[] {
  const { catalog } = run;
  const comparisons = skuComparisons(run.cells);
  if (!catalog || comparisons.length === 0) return [];
  const n = (value: number) => value.toLocaleString("en-US");
  return [
    `Rows "lines by SKU": orders whose lines name a SKU of the tenant's catalog and a quantity, nothing else, so the ` +
      `service looks every line up (one statement for all of an order's lines: \`resolveCatalogItems\`), takes the ` +
      `name and the price from the catalog and prices the order again; every fifth line names its alternate SKU. ` +
      `The catalog: ${n(catalog.variants)} variants of ${n(catalog.products)} products, ${n(catalog.skus)} SKUs, ` +
      `${n(catalog.prices)} prices, seeded in one tenant by \`bench/writes/catalog.ts\` in ` +
      `**${(catalog.seedMs / 1000).toFixed(1)} s**${catalog.foreignKeysChecked ? " (foreign keys checked row by row)" : ""}; ` +
      `each order names SKUs spread over all of it. The custom-line rows they are compared with are the same path and ` +
      `size with the table's usual lines (SKU, name and price given, no catalog match), in tenants whose catalog is empty. ` +
      `\`--catalog N\`, \`--sku-sizes\` and \`--sku-paths\` change these rows; \`--catalog 0\` leaves them out.`,
    "",
    "| path | lines | svc CPU ms/order, custom lines | svc CPU ms/order, lines by SKU | by SKU / custom |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...comparisons.map(
      (c) =>
        `| ${pathLabel(c.path)} | ${c.lines} | ${c.customCpuMs.toFixed(2)} | ${c.cpuMs.toFixed(2)} | ${c.ratio.toFixed(2)} |`,
    ),
    "",
    `The target is ${SKU_CPU_RATIO_MAX} x at 5 lines (see the targets below); the other sizes are for reading.`,
    "",
  ];
}

/** The checkout rows (issue 12): their CPU, throughput and p99 against the plain custom-line row of their size. */
function checkoutSection(run: BenchRun): string[] {
  const comparisons = checkoutComparisons(run.cells);
  if (comparisons.length === 0) return [];
  return [
    `Rows "checkout": the plain rows' custom lines shipped to a New York City address of the tenant's tax zone (the ` +
      `server computes the tax), with one coupon code of a 10 % promotion without usage limit and a shipping method ` +
      `by id; \`--checkout-paths\` changes these rows (\`--checkout-paths none\` leaves them out).`,
    "",
    "| path | lines | svc CPU ms/order, plain | svc CPU ms/order, checkout | checkout / plain | orders/s, plain / checkout | p99 ms, plain / checkout |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...comparisons.map(
      (c) =>
        `| ${pathLabel(c.path)} | ${c.lines} | ${c.customCpuMs.toFixed(2)} | ${c.cpuMs.toFixed(2)} | ${c.ratio.toFixed(2)} | ` +
        `${c.customOrdersPerSec.toFixed(0)} / ${c.ordersPerSec.toFixed(0)} | ${c.customP99Ms.toFixed(1)} / ${c.p99Ms.toFixed(1)} |`,
    ),
    "",
    `The target is ${CHECKOUT_CPU_RATIO_MAX} x (see the targets below).`,
    "",
  ];
}

function machineLine(m: BenchRun["machine"]): string {
  return `${m.cores} x ${m.cpuModel}, ${m.memoryGb} GB RAM, Linux ${m.kernel}; Node ${m.node}, PostgreSQL ${m.postgres}, NATS ${m.nats} — all on this one machine`;
}

/**
 * Renders the "Performance" section docs/performance.md shows from the committed last-run files, so the
 * figures there are always the output of `npm run bench`, never typed by hand. The analysis in
 * bench/results/performance-notes.md (written by people, about the profile) is appended as is.
 */
export function writePerformanceMarkdown(resultsDir: string): void {
  const run = readJson(join(resultsDir, "last-run.json")) as BenchRun | undefined;
  const soak = readJson(join(resultsDir, "last-soak.json")) as RecordedSoak | undefined;
  const parts = ["## Performance", ""];
  parts.push(
    "`npm run bench` starts Orderspine as a real process on a fresh database on the local PostgreSQL, with the local",
    "NATS JetStream, and drives `CreateOrder` at a fixed concurrency over each wire path. In the same run two baselines do",
    "the same database work — order number, then order, lines and outbox row in one statement — with the plain `pg`",
    "driver and nothing else, at the same pool size and concurrency: one transaction per order (what a hand-written",
    "service does; `x baseline` is Orderspine's orders/s divided by its), and the same with Orderspine's group commit",
    "(`GroupCommit`: the orders that arrive while a write is in flight go in the next statement, up to 64; the limit of",
    "the batching itself; `x batched`). Event lag is from the order's `create_time` to JetStream storing its",
    "`order.created` event.",
    "",
  );
  if (run) {
    parts.push(
      `Last run: ${run.startedAt.slice(0, 16).replace("T", " ")} UTC on ${machineLine(run.machine)}.`,
      `Command: \`${run.command}\` (${run.options.concurrency} calls in flight; each row measured for ${run.options.durationS} s in ${run.options.rounds} slices taken in turns with the other rows, each after ${run.options.warmupS} s of warm-up; pool ${run.options.poolMax}; ${run.options.client} client); the service ran as \`${run.serviceCommand}\`.`,
      `Load average when it started: ${run.machine.loadAverageAtStart}. The load generator, the service, PostgreSQL and NATS share the same cores, so the figures compare paths with each other and with the baseline; they are not a capacity figure for a dedicated server.`,
      "",
      markdownTable(run.cells),
      "",
      `Paths: ${Object.values(PATHS)
        .map((p) => p.label)
        .join("; ")}. "svc CPU ms/order" is the service process's CPU time per order.`,
      "",
      ...catalogSection(run),
      ...checkoutSection(run),
      "![Throughput and p99 latency per path and order size](bench/results/last-run.svg)",
      "",
      "Targets (on this machine):",
      "",
      // The targets as they are set now, so a run recorded before one was added still shows it (unchecked).
      ...checkTargets(run.cells, run.options.sizes, run.options.concurrency).map(
        (t) => `- ${t.met ? "met" : "**not met**"}: ${t.target} — ${t.actual}`,
      ),
      "",
    );
  } else {
    parts.push("No benchmark run recorded yet: run `npm run bench`.", "");
  }
  if (soak) {
    const v = soak.verdict;
    parts.push(
      `### Soak`,
      "",
      `\`${soak.command}\` on ${soak.startedAt.slice(0, 16).replace("T", " ")} UTC: ${PATHS[soak.path].label}, ${soak.lines} lines, ${soak.concurrency} in flight, figures per 30 s window.`,
      "",
      "| from s | orders/s | p50 ms | p99 ms | RSS MB | peak RSS MB | lag p99 ms | svc CPU ms/order | errors |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...soak.windows.map(
        (w) =>
          `| ${w.startS} | ${w.ordersPerSec.toFixed(0)} | ${w.p50Ms.toFixed(1)} | ${w.p99Ms.toFixed(1)} | ${w.rssMb.toFixed(0)} | ${w.peakRssMb.toFixed(0)} | ${w.lagP99Ms.toFixed(1)} | ${(w.cpuMsPerOrder ?? 0).toFixed(2)} | ${w.errors} |`,
      ),
      "",
      `Memory ${v.memoryFlat ? "flat" : "**growing**"}: ${v.rssGrowthPct}% RSS change from the second window to the last (${v.rssSlopeMbPerMin} MB/min). ` +
        `Latency ${v.latencyFlat ? "steady" : "**drifting**"}: median p99 of the last third of the windows ${v.p99DriftPct}% against the first third; ` +
        `service CPU per order ${v.cpuPerOrderDriftPct ?? 0}%. ${v.errors} errors. Load average when it started: ${soak.machine.loadAverageAtStart}.`,
      "",
    );
  }
  const profile = join(resultsDir, "last-profile-summary.md");
  if (existsSync(profile))
    parts.push("### Where the time goes", "", ...profileExcerpt(readFileSync(profile, "utf8")), "");
  const notes = join(resultsDir, "performance-notes.md");
  if (existsSync(notes)) parts.push(readFileSync(notes, "utf8").trim(), "");
  writeFileSync(join(resultsDir, "README-performance.md"), parts.join("\n"));
}
