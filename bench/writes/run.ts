import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { startArguments } from "../../scripts/start-command.js";
import { createOrm } from "../../src/database.js";
import { createScratchDatabase } from "../../test/support/scratch-database.js";
import { ServiceProcess } from "../../test/support/service-process.js";
import { renderChart } from "../report/chart.js";
import { writePerformanceMarkdown } from "../report/performance-markdown.js";
import { compareProfiles, summarizeProfile, type MonotonicSpan } from "../report/profile-summary.js";
import { writeReadmeSummary } from "../report/readme-summary.js";
import { cellLabel, pathLabel, textTable } from "../report/table.js";
import { postgresVersion } from "../support/postgres-version.js";
import { RESULTS_DIR, RUNS_DIR } from "../support/results.js";
import { BatchedBaseline } from "./baseline.js";
import { seedCatalog, type SeededCatalog } from "./catalog.js";
import {
  baselineCell,
  batchedBaselineCell,
  cellTenant,
  isBaseline,
  serviceCell,
  type Cell,
  type CellResult,
  type CellTenant,
  type LoadShape,
} from "./cells.js";
import { checkoutSetUp } from "./fixtures.js";
import { isDefaultTable, parseOptions, USAGE, type BenchOptions } from "./options.js";
import type { PathName } from "./paths.js";
import {
  CHECKOUT_LINES,
  checkoutComparisons,
  checkTargets,
  kindComparisons,
  lineKindOf,
  machineInfo,
  skuComparisons,
  withRatios,
  type BenchRun,
  type KindComparison,
} from "./run-record.js";
import { runSoak } from "./soak.js";
import { runSweep, sweepMarkdown, sweepTargets, writeSweep } from "./sweep.js";

/**
 * `npm run bench`: Orderspine as a real process on a fresh database, each path and order size
 * measured against both plain-pg baselines (per order, and with group commit) in the same run, then the
 * concurrency sweep; or `--soak S` for a long run on one path.
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
  {
    DATABASE_POOL_MAX: String(options.poolMax),
    LOG_LEVEL: options.logLevel,
    WORKERS: String(options.workers),
    CREATE_ORDER_BATCH: options.createOrderBatch,
  },
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
/** Rows by SKU and checkout rows beside their custom-line rows, whose profiles the summary compares. */
let comparedRows: [custom: CellResult, other: CellResult, kind: KindComparison["kind"]][] = [];
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
  } else if (options.sweepOnly) {
    await sweep();
    profiledSpans = [];
  } else {
    const { cells, catalog } = await runTable();
    const { databaseUrl: _databaseUrl, natsUrl: _natsUrl, ...recordedOptions } = options;
    const run: BenchRun = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command,
      serviceCommand,
      options: recordedOptions,
      machine,
      ...(catalog ? { catalog } : {}),
      cells,
      targets: checkTargets(cells, options.sizes, options.concurrency),
    };
    // The summary is of the table's main rows (custom lines at --sizes), as before the rows by SKU; those are
    // compared with their custom-line rows after it.
    profiledSpans = cells
      .filter((c) => !isBaseline(c.path) && lineKindOf(c) === "custom" && options.sizes.includes(c.lines))
      .flatMap((c) => c.spans);
    comparedRows = [...kindComparisons(cells, "sku"), ...kindComparisons(cells, "checkout")].flatMap((comparison) => {
      const rowOf = (kind: string) =>
        cells.find((c) => c.path === comparison.path && c.lines === comparison.lines && lineKindOf(c) === kind);
      const [custom, other] = [rowOf("custom"), rowOf(comparison.kind)];
      return custom && other ? [[custom, other, comparison.kind] as const] : [];
    });
    publish(run);
    if (run.targets.some((t) => !t.met)) exitCode = 1;
    if (options.sweepConcurrencies.length > 0) await sweep();
  }
} finally {
  if (!interrupted) await cleanUp();
}
if (profileDir) reportProfile(profileDir, profiledSpans, comparedRows);
process.exit(exitCode);

/** The concurrency sweep (sweep.ts); a run of the default concurrencies, unprofiled, replaces bench/results/sweep.md. */
async function sweep(): Promise<void> {
  const ctx = { orm, nats, serviceUrl: service.url, servicePid: service.pid, client: options.client };
  const concurrencies = options.sweepConcurrencies;
  console.log(`\nconcurrency sweep at 5 lines: ${concurrencies.join(", ")} in flight\n`);
  const rows = await runSweep(ctx, {
    concurrencies,
    durationS: options.durationS,
    warmupS: options.warmupS,
    rounds: options.rounds,
    poolMax: options.poolMax,
    databaseUrl: database.url,
  });
  const run = {
    command,
    startedAt: startedAt.toISOString(),
    machine,
    options: {
      concurrencies,
      durationS: options.durationS,
      warmupS: options.warmupS,
      rounds: options.rounds,
      poolMax: options.poolMax,
      databaseUrl: "",
    },
  };
  const markdown = sweepMarkdown(rows, run);
  console.log(`\n${markdown}`);
  writeSweep(outDir, markdown, rows, run);
  if (concurrencies.join() === "1,8,32,128" && !options.cpuProf && options.createOrderBatch === "on") {
    writeSweep(RESULTS_DIR, markdown, rows, run);
    writeReadmeSummary(RESULTS_DIR);
    console.log("wrote bench/results/sweep.md, sweep.json and README-summary.md");
  }
  if (sweepTargets(rows).some((t) => !t.met)) exitCode = 1;
}

async function runTable(): Promise<{ cells: CellResult[]; catalog?: SeededCatalog }> {
  const ctx = { orm, nats, serviceUrl: service.url, servicePid: service.pid, client: options.client };
  const tenants: CellTenant[] = [];
  const ownTenant = async (label: string) => {
    const tenant = await cellTenant(ctx, label);
    tenants.push(tenant);
    return tenant;
  };
  // Lines by SKU: one tenant with the seeded catalog, shared by those rows.
  let catalog: SeededCatalog | undefined;
  let catalogTenant: CellTenant | undefined;
  const skuTenant = async () => {
    if (catalogTenant) return catalogTenant;
    catalogTenant = await ownTenant("catalog");
    const variants = options.catalogVariants;
    console.log(`seeding the catalog of ${variants.toLocaleString("en-US")} variants...`);
    catalog = await seedCatalog(database.url, catalogTenant.tenantId, variants);
    console.log(
      `seeded ${catalog.products.toLocaleString("en-US")} products, ${variants.toLocaleString("en-US")} variants, ` +
        `${catalog.skus.toLocaleString("en-US")} SKUs and ${catalog.prices.toLocaleString("en-US")} prices in ` +
        `${(catalog.seedMs / 1000).toFixed(1)} s${catalog.foreignKeysChecked ? " (foreign keys checked row by row)" : ""}\n`,
    );
    return catalogTenant;
  };

  // The rows, made in the order they are measured: by size, the baselines first (per order, then with group
  // commit), lines by SKU after custom lines.
  const planned: (() => Promise<Cell>)[] = [];
  const skuSizes = options.catalogVariants > 0 ? options.skuSizes : [];
  const checkoutSizes = options.checkoutPaths.length > 0 ? [CHECKOUT_LINES] : [];
  for (const size of [...new Set([...options.sizes, ...skuSizes, ...checkoutSizes])].sort((a, b) => a - b)) {
    const paths = options.sizes.includes(size) ? options.paths : [];
    if (paths.length > 0) {
      planned.push(() => baselineCell(database.url, options.poolMax, size));
      planned.push(async () => batchedBaselineCell(await BatchedBaseline.prepare(database.url, options.poolMax, size)));
    }
    const custom = (path: PathName) => async () =>
      serviceCell(
        ctx,
        await ownTenant(`${path} ${size} lines`),
        { path, lines: size, lineKind: "custom" },
        options.concurrency,
      );
    for (const path of paths) planned.push(custom(path));
    const customPaths = new Set(paths);
    if (checkoutSizes.includes(size))
      for (const path of options.checkoutPaths) {
        // Checkout rows are compared with the plain custom-line row of the same path and size, in the same rounds.
        if (!customPaths.has(path)) planned.push(custom(path));
        customPaths.add(path);
        planned.push(async () => {
          const tenant = await ownTenant(`${path} ${size} lines checkout`);
          const checkout = await checkoutSetUp(orm, service.url, tenant.tenantId);
          return serviceCell(ctx, tenant, { path, lines: size, lineKind: "checkout", checkout }, options.concurrency);
        });
      }
    if (!skuSizes.includes(size)) continue;
    for (const path of options.skuPaths) {
      // Lines by SKU are compared with custom lines of the same path and size, measured in the same rounds.
      if (!customPaths.has(path)) planned.push(custom(path));
      customPaths.add(path);
      planned.push(async () =>
        serviceCell(
          ctx,
          await skuTenant(),
          { path, lines: size, lineKind: "sku", catalogVariants: options.catalogVariants },
          options.concurrency,
        ),
      );
    }
  }

  const sliceMs = shape.durationMs / options.rounds;
  const minutes = (planned.length * options.rounds * (options.warmupS + sliceMs / 1000)) / 60;
  console.log(
    `${planned.length} rows, each measured for ${options.durationS} s at ${options.concurrency} in flight, in ${options.rounds} round(s) of ` +
      `${options.warmupS} s warm-up + ${sliceMs / 1000} s: about ${minutes.toFixed(1)} min` +
      `${skuSizes.length > 0 ? ", after seeding the catalog" : ""}\n`,
  );
  // Seeding first: no cell's connection then sits idle through it.
  if (skuSizes.length > 0) await skuTenant();
  const cells: Cell[] = [];
  for (const make of planned) cells.push(await make());
  for (let round = 1; round <= options.rounds; round++) {
    for (const cell of cells) {
      const ordersPerSec = await cell.runSlice({ ...shape, durationMs: sliceMs });
      console.log(
        `round ${round}/${options.rounds}  ${cellLabel(cell)}, ${cell.lines} lines: ${ordersPerSec} orders/s`,
      );
    }
  }
  console.log("");
  const results: CellResult[] = [];
  for (const cell of cells) {
    const row = await cell.finish();
    results.push(row);
    const lag = row.eventLag ? `, lag p99 ${row.eventLag.p99Ms} ms` : "";
    const cpu = row.service ? `, service CPU ${row.service.cpuMsPerOrder} ms/order` : "";
    console.log(
      `${cellLabel(row)}, ${row.lines} lines: ${row.ordersPerSec} orders/s, p99 ${row.latencyMs.p99} ms, ${row.errors} errors${lag}${cpu}`,
    );
  }
  await Promise.all(tenants.map((t) => t.probe.stop()));
  return { cells: withRatios(results), catalog };
}

function publish(run: BenchRun): void {
  const subtitle = `${run.startedAt.slice(0, 16).replace("T", " ")} UTC, ${run.machine.cores} x ${run.machine.cpuModel}, ${run.options.concurrency} in flight, pool ${run.options.poolMax}`;
  const json = JSON.stringify(run, null, 2) + "\n";
  const svg = renderChart(run.cells, subtitle);
  writeFileSync(join(outDir, "result.json"), json);
  writeFileSync(join(outDir, "chart.svg"), svg);
  console.log(`\n${textTable(run.cells)}\n`);
  for (const c of skuComparisons(run.cells))
    console.log(
      `lines by SKU, ${c.lines} lines (${pathLabel(c.path)}): ${c.cpuMs} ms of service CPU per order, ${c.ratio} x the custom lines' ${c.customCpuMs}`,
    );
  for (const c of checkoutComparisons(run.cells))
    console.log(
      `checkout, ${c.lines} lines (${pathLabel(c.path)}): ${c.cpuMs} ms of service CPU per order, ${c.ratio} x the plain row's ${c.customCpuMs}; ` +
        `${c.ordersPerSec} against ${c.customOrdersPerSec} orders/s, p99 ${c.p99Ms} against ${c.customP99Ms} ms`,
    );
  for (const t of run.targets) console.log(`${t.met ? "met    " : "MISSED "} ${t.target}: ${t.actual}`);
  // Only a complete, unprofiled run replaces the figures docs/performance.md shows.
  const complete = isDefaultTable(options) && !options.cpuProf && options.createOrderBatch === "on";
  if (complete) {
    writeFileSync(join(RESULTS_DIR, "last-run.json"), json);
    writeFileSync(join(RESULTS_DIR, "last-run.svg"), svg);
    writePerformanceMarkdown(RESULTS_DIR);
    writeReadmeSummary(RESULTS_DIR);
    console.log(`\nwrote bench/results/last-run.json, last-run.svg, README-performance.md and README-summary.md`);
  } else {
    console.log(`\npartial or profiled run: bench/results/last-run.* left as they were; this run is in ${outDir}`);
  }
}

function reportProfile(
  dir: string,
  spans: MonotonicSpan[],
  compared: (readonly [CellResult, CellResult, KindComparison["kind"]])[],
): void {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread (1 is tsx's loader worker).
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile") && f.split(".")[4] === "0");
  if (!file) {
    console.log(`no CPU profile found in ${dir}`);
    return;
  }
  const header = `Profile of the service during \`${command}\` (${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC, ${machine.cores} x ${machine.cpuModel}), measured windows only.\n\n`;
  const kindLabels = { sku: "lines by SKU", checkout: "checkout" } as const;
  const comparisons = compared.map(([custom, other, kind]) =>
    [
      `\n### ${pathLabel(other.path)}, ${other.lines} lines: custom lines against ${kindLabels[kind]}\n`,
      compareProfiles(
        join(dir, file),
        { label: "custom lines", spans: custom.spans, orders: custom.latencyMs.count },
        { label: kindLabels[kind], spans: other.spans, orders: other.latencyMs.count },
      ),
    ].join("\n"),
  );
  const summary = header + summarizeProfile(join(dir, file), spans) + comparisons.join("");
  writeFileSync(join(outDir, "profile-summary.md"), summary);
  writeFileSync(join(RESULTS_DIR, "last-profile-summary.md"), summary);
  writePerformanceMarkdown(RESULTS_DIR);
  console.log(`\n${summary}\nprofile: ${join(dir, file)} (open in Chrome DevTools > Performance, or speedscope)`);
}
