import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { startArguments } from "../../scripts/start-command.js";
import { createOrm } from "../../src/database.js";
import { createScratchDatabase } from "../../test/support/scratch-database.js";
import { ServiceProcess } from "../../test/support/service-process.js";
import { renderChart } from "../report/chart.js";
import { writePerformanceMarkdown } from "../report/performance-markdown.js";
import { summarizeProfile, type MonotonicSpan } from "../report/profile-summary.js";
import { pathLabel, textTable } from "../report/table.js";
import { postgresVersion } from "../support/postgres-version.js";
import { RESULTS_DIR, RUNS_DIR } from "../support/results.js";
import { baselineCell, serviceCell, type Cell, type CellResult, type LoadShape } from "./cells.js";
import { parseOptions, USAGE, type BenchOptions } from "./options.js";
import { PATHS } from "./paths.js";
import { checkTargets, machineInfo, withRatios, type BenchRun } from "./run-record.js";
import { runSoak } from "./soak.js";

/**
 * `npm run bench`: Orderspine as a real process on a fresh database, each path and order size
 * measured against the plain-pg baseline in the same run; or `--soak S` for a long run on one path.
 */
// `npm run bench -- --reads [options]` is the ListOrders benchmark of bench/reads/run.ts (also `npm run bench:reads`).
if (process.argv.includes("--reads")) {
  process.argv = process.argv.filter((arg) => arg !== "--reads");
  await import("../reads/run.js");
  process.exit(process.exitCode ?? 0);
}

// `npm run bench -- --write-statement`: CreateOrder's write three ways, in process (bench/writes/write-statement.ts).
if (process.argv.includes("--write-statement")) {
  await import("./write-statement.js");
  process.exit(process.exitCode ?? 0);
}

const parsed = parseOptions(process.argv.slice(2));
if (parsed === "help") {
  console.log(USAGE);
  process.exit(0);
}
const options: BenchOptions = parsed;
const startedAt = new Date();
const outDir = join(RUNS_DIR, startedAt.toISOString().replace(/[:.]/g, "-"));
mkdirSync(outDir, { recursive: true });
const shape: LoadShape = {
  concurrency: options.concurrency,
  warmupMs: options.warmupS * 1000,
  durationMs: options.durationS * 1000,
};
const serviceCommand = ["node", ...options.nodeFlags, ...startArguments()].join(" ");
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;

// A fresh database, migrated the way the service migrates, so the baseline and the service write to identical
// tables and indexes and no earlier run's rows or bloat skew the figures.
const database = await createScratchDatabase(options.databaseUrl, "orderspine_bench", { migrated: true });
const profileDir = options.cpuProf ? join(outDir, "profile") : undefined;
// Exactly as `npm start` runs it, as its own process so its RSS and CPU can be read from /proc and a profile
// taken with --cpu-prof.
const service = await ServiceProcess.start(
  { DATABASE_POOL_MAX: String(options.poolMax), LOG_LEVEL: options.logLevel },
  {
    compiled: true,
    databaseUrl: database.url,
    natsUrl: options.natsUrl,
    logFile: join(outDir, "service.log"),
    nodeArguments: [...options.nodeFlags, ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [])],
  },
);
const orm = await createOrm({ databaseUrl: database.url, poolMax: 2 });
const nats = await connect({ servers: options.natsUrl });
const machine = machineInfo(await postgresVersion(database.url), nats.info?.version ?? "unknown");

// `as boolean`: the SIGINT handler sets it, which TypeScript's narrowing cannot see.
let interrupted = false as boolean;
process.once("SIGINT", () => {
  interrupted = true;
  console.error("\ninterrupted: stopping the service and dropping the bench database...");
  void cleanUp().finally(() => process.exit(130));
});

async function cleanUp(): Promise<void> {
  await nats.close().catch(() => undefined);
  await orm.close(true).catch(() => undefined);
  await service.stop().catch(() => undefined);
  if (!options.keepDatabase) await database.drop().catch(() => undefined);
}

console.log(
  `Orderspine bench on ${machine.cores} x ${machine.cpuModel}, node ${machine.node}, PostgreSQL ${machine.postgres}, NATS ${machine.nats}` +
    `\nThe load generator, the service, PostgreSQL and NATS all share these ${machine.cores} cores: figures are relative, not absolute.` +
    `\n1-minute load average before starting: ${machine.loadAverageAtStart}${machine.loadAverageAtStart > 0.5 ? " (something else is busy: figures will be lower and noisier)" : ""}` +
    `\nservice: ${serviceCommand}` +
    `\nresults and service log: ${outDir}\n`,
);

let exitCode = 0;
/** The service cells' measured windows: the profile summary counts only those samples. */
let profiledSpans: MonotonicSpan[];
try {
  if (options.soakS > 0) {
    const soak = await runSoak(
      { orm, nats, serviceUrl: service.url, servicePid: service.pid, client: options.client },
      options,
      outDir,
      RESULTS_DIR,
      { command, machine, startedAt },
    );
    profiledSpans = [soak.span];
    if (!soak.verdict.memoryFlat || !soak.verdict.latencyFlat || soak.verdict.errors > 0) exitCode = 1;
  } else {
    const cells = await runTable();
    const { databaseUrl: _databaseUrl, natsUrl: _natsUrl, ...recordedOptions } = options;
    const run: BenchRun = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command,
      serviceCommand,
      options: recordedOptions,
      machine,
      cells,
      targets: checkTargets(cells),
    };
    profiledSpans = cells.filter((c) => c.path !== "baseline").flatMap((c) => c.spans);
    publish(run);
    if (run.targets.some((t) => !t.met)) exitCode = 1;
  }
} finally {
  if (!interrupted) await cleanUp();
}
if (profileDir) reportProfile(profileDir, profiledSpans);
process.exit(exitCode);

async function runTable(): Promise<CellResult[]> {
  const total = options.sizes.length * (options.paths.length + 1);
  const sliceMs = shape.durationMs / options.rounds;
  const minutes = (total * options.rounds * (options.warmupS + sliceMs / 1000)) / 60;
  console.log(
    `${total} rows, each measured for ${options.durationS} s at ${options.concurrency} in flight, in ${options.rounds} round(s) of ` +
      `${options.warmupS} s warm-up + ${sliceMs / 1000} s: about ${minutes.toFixed(1)} min\n`,
  );
  const ctx = { orm, nats, serviceUrl: service.url, servicePid: service.pid, client: options.client };
  const cells: Cell[] = [];
  for (const lines of options.sizes) {
    cells.push(await baselineCell(database.url, options.poolMax, lines));
    for (const path of options.paths) cells.push(await serviceCell(ctx, path, lines, options.concurrency));
  }
  for (let round = 1; round <= options.rounds; round++) {
    for (const cell of cells) {
      const ordersPerSec = await cell.runSlice({ ...shape, durationMs: sliceMs });
      console.log(
        `round ${round}/${options.rounds}  ${pathLabel(cell.path)}, ${cell.lines} lines: ${ordersPerSec} orders/s`,
      );
    }
  }
  console.log("");
  const results: CellResult[] = [];
  for (const cell of cells) {
    const row = await cell.finish();
    results.push(row);
    const lag = row.eventLag ? `, lag p99 ${row.eventLag.p99Ms} ms` : "";
    console.log(
      `${pathLabel(row.path)}, ${row.lines} lines: ${row.ordersPerSec} orders/s, p99 ${row.latencyMs.p99} ms, ${row.errors} errors${lag}`,
    );
  }
  return withRatios(results);
}

function publish(run: BenchRun): void {
  const subtitle = `${run.startedAt.slice(0, 16).replace("T", " ")} UTC, ${run.machine.cores} x ${run.machine.cpuModel}, ${run.options.concurrency} in flight, pool ${run.options.poolMax}`;
  const json = JSON.stringify(run, null, 2) + "\n";
  const svg = renderChart(run.cells, subtitle);
  writeFileSync(join(outDir, "result.json"), json);
  writeFileSync(join(outDir, "chart.svg"), svg);
  console.log(`\n${textTable(run.cells)}\n`);
  for (const t of run.targets) console.log(`${t.met ? "met    " : "MISSED "} ${t.target}: ${t.actual}`);
  // Only a complete, unprofiled run replaces the figures docs/performance.md shows.
  const complete =
    options.paths.length === Object.keys(PATHS).length && options.sizes.join() === "1,5,20" && !options.cpuProf;
  if (complete) {
    writeFileSync(join(RESULTS_DIR, "last-run.json"), json);
    writeFileSync(join(RESULTS_DIR, "last-run.svg"), svg);
    writePerformanceMarkdown(RESULTS_DIR);
    console.log(`\nwrote bench/results/last-run.json, last-run.svg and README-performance.md`);
  } else {
    console.log(`\npartial or profiled run: bench/results/last-run.* left as they were; this run is in ${outDir}`);
  }
}

function reportProfile(dir: string, spans: MonotonicSpan[]): void {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread (1 is tsx's loader worker).
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile") && f.split(".")[4] === "0");
  if (!file) {
    console.log(`no CPU profile found in ${dir}`);
    return;
  }
  const header = `Profile of the service during \`${command}\` (${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC, ${machine.cores} x ${machine.cpuModel}), measured windows only.\n\n`;
  const summary = header + summarizeProfile(join(dir, file), spans);
  writeFileSync(join(outDir, "profile-summary.md"), summary);
  writeFileSync(join(RESULTS_DIR, "last-profile-summary.md"), summary);
  writePerformanceMarkdown(RESULTS_DIR);
  console.log(`\n${summary}\nprofile: ${join(dir, file)} (open in Chrome DevTools > Performance, or speedscope)`);
}
