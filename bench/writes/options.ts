import { parseArgs } from "node:util";
import { workers } from "../../src/platform/config/config.js";
import { isPathName, PATHS, type ClientKind, type PathName } from "./paths.js";

export interface BenchOptions {
  concurrency: number;
  durationS: number;
  warmupS: number;
  /** Each row's duration is measured in this many slices, one per round over all rows. */
  rounds: number;
  paths: PathName[];
  sizes: number[];
  /** Variants of the catalog seeded for the rows with lines by SKU; 0 = no such rows. */
  catalogVariants: number;
  /** Order sizes of the rows with lines by SKU, each beside a custom-line row of the same path and size. */
  skuSizes: number[];
  skuPaths: PathName[];
  /** Paths of the checkout rows (tax, a coupon code, a shipping method) at 5 lines, beside the plain row; [] = none. */
  checkoutPaths: PathName[];
  poolMax: number;
  /** WORKERS of the service: worker processes serving its port (1: the service's own process). */
  workers: number;
  /** Seconds of soak at the default load instead of the table run; 0 = no soak. */
  soakS: number;
  soakPath: PathName;
  soakLines: number;
  cpuProf: boolean;
  client: ClientKind;
  logLevel: string;
  /** Extra node flags for the service process. */
  nodeFlags: string[];
  databaseUrl: string;
  natsUrl: string;
  keepDatabase: boolean;
  /** Calls in flight of the concurrency sweep at 5 lines (sweep.ts); [] = no sweep. */
  sweepConcurrencies: number[];
  /** Only the sweep, not the table. */
  sweepOnly: boolean;
  /** The service's CREATE_ORDER_BATCH: on (its default) or off, to measure what group commit changes. */
  createOrderBatch: "on" | "off";
}

/** The table `npm run bench` measures with no options: only a run of it replaces the recorded figures. */
export const DEFAULT_TABLE = {
  paths: Object.keys(PATHS).join(","),
  sizes: "1,5,20",
  catalog: "1000000",
  skuSizes: "5,500",
  skuPaths: "grpc",
  checkoutPaths: "grpc",
};

/** Whether `options` measure the default table (other load figures such as --duration may differ). */
export function isDefaultTable(options: BenchOptions): boolean {
  return (
    options.paths.join() === DEFAULT_TABLE.paths &&
    options.sizes.join() === DEFAULT_TABLE.sizes &&
    String(options.catalogVariants) === DEFAULT_TABLE.catalog &&
    options.skuSizes.join() === DEFAULT_TABLE.skuSizes &&
    options.skuPaths.join() === DEFAULT_TABLE.skuPaths &&
    options.checkoutPaths.join() === DEFAULT_TABLE.checkoutPaths &&
    options.workers === 1
  );
}

export const USAGE = `npm run bench -- [options]
  --concurrency N   calls in flight (default 32)
  --duration S      measured seconds per cell (default 20)
  --warmup S        unrecorded seconds before each measured slice (default 3)
  --rounds N        measure each row in N slices, one round over all rows at a time, so a busy
                    neighbour on the machine hits the baseline and the paths alike (default 2)
  --paths a,b       of ${Object.keys(PATHS).join(", ")} (default all)
  --sizes 1,5,20    order lines per order (default 1,5,20)
  --catalog N       seed a catalog of N variants (N/2 products, 2N SKUs, 2N prices) in one more tenant and add rows
                    whose lines name SKUs of it, beside custom-line rows of the same path and size
                    (default 1000000; 0 = none)
  --sku-sizes 5,500 order sizes of the rows with lines by SKU (default 5,500)
  --sku-paths a,b   paths of the rows with lines by SKU (default grpc)
  --checkout-paths a,b
                    paths of the checkout rows: 5 custom lines shipped to a taxed zone with a coupon code and a
                    shipping method by id, beside the plain 5-line row of the same path (default grpc; none = no rows)
  --pool N          DATABASE_POOL_MAX of the service and the baseline's pool (default 10)
  --workers N       WORKERS of the service: worker processes on its port, or auto (default 1); its CPU and RSS
                    figures are of all its processes
  --soak S          soak mode: S seconds on one path, figures per 30 s window (e.g. --soak 300)
  --soak-path P     path for the soak (default grpc)   --soak-lines N (default 5)
  --client K        wire (default: pre-encoded requests, status checked, like h2load/ghz) or connect
                    (the @connectrpc/connect-node client library, which costs the shared cores more CPU)
  --cpu-prof        run the service with --cpu-prof; the profile and its summary land in bench/results/runs/
  --log-level L     the service's LOG_LEVEL (default info, as in production)
  --node-flags=F    extra flags for the service's node, e.g. --node-flags=--max-semi-space-size=8 (space-separated)
  --keep-db         keep the bench database afterwards
  --sweep 1,8,32,128
                    after the table, the concurrency sweep at 5 lines: the per-order baseline, the baseline with group
                    commit, gRPC and Connect JSON at each number of calls in flight (default 1,8,32,128; none = no sweep)
  --sweep-only      the sweep alone, without the table
  --create-order-batch on|off
                    the service's CREATE_ORDER_BATCH (default on): off measures it without group commit
Environment: DATABASE_URL (a maintenance database on the server; default postgres://postgres@127.0.0.1:5432/postgres),
NATS_URL (default nats://127.0.0.1:4222).`;

export function parseOptions(argv: string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      concurrency: { type: "string", default: "32" },
      duration: { type: "string", default: "20" },
      warmup: { type: "string", default: "3" },
      rounds: { type: "string", default: "2" },
      paths: { type: "string", default: DEFAULT_TABLE.paths },
      sizes: { type: "string", default: DEFAULT_TABLE.sizes },
      catalog: { type: "string", default: DEFAULT_TABLE.catalog },
      "sku-sizes": { type: "string", default: DEFAULT_TABLE.skuSizes },
      "sku-paths": { type: "string", default: DEFAULT_TABLE.skuPaths },
      "checkout-paths": { type: "string", default: DEFAULT_TABLE.checkoutPaths },
      pool: { type: "string", default: "10" },
      workers: { type: "string", default: "1" },
      soak: { type: "string", default: "0" },
      "soak-path": { type: "string", default: "grpc" },
      "soak-lines": { type: "string", default: "5" },
      "cpu-prof": { type: "boolean", default: false },
      client: { type: "string", default: "wire" },
      "log-level": { type: "string", default: "info" },
      "node-flags": { type: "string", default: "" },
      "keep-db": { type: "boolean", default: false },
      sweep: { type: "string", default: "1,8,32,128" },
      "sweep-only": { type: "boolean", default: false },
      "create-order-batch": { type: "string", default: "on" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return "help";
  const paths = values.paths.split(",").map((p) => p.trim());
  const skuPaths = values["sku-paths"].split(",").map((p) => p.trim());
  const checkoutPaths =
    values["checkout-paths"] === "none" ? [] : values["checkout-paths"].split(",").map((p) => p.trim());
  for (const p of [...paths, ...skuPaths, ...checkoutPaths, values["soak-path"]])
    if (!isPathName(p)) throw new Error(`unknown path "${p}"; known: ${Object.keys(PATHS).join(", ")}`);
  return {
    concurrency: positive("concurrency", values.concurrency),
    durationS: positive("duration", values.duration),
    warmupS: nonNegative("warmup", values.warmup),
    rounds: positive("rounds", values.rounds),
    paths: paths.filter(isPathName),
    sizes: values.sizes.split(",").map((s) => positive("sizes", s)),
    catalogVariants: nonNegativeInteger("catalog", values.catalog),
    skuSizes: values["sku-sizes"].split(",").map((s) => positive("sku-sizes", s)),
    skuPaths: skuPaths.filter(isPathName),
    checkoutPaths: checkoutPaths.filter(isPathName),
    poolMax: positive("pool", values.pool),
    workers: workers(values.workers),
    soakS: nonNegative("soak", values.soak),
    soakPath: isPathName(values["soak-path"]) ? values["soak-path"] : "grpc",
    soakLines: positive("soak-lines", values["soak-lines"]),
    cpuProf: values["cpu-prof"],
    client: clientKind(values.client),
    logLevel: values["log-level"],
    nodeFlags: values["node-flags"].split(" ").filter((f) => f !== ""),
    databaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    natsUrl: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
    keepDatabase: values["keep-db"],
    sweepConcurrencies: values.sweep === "none" ? [] : values.sweep.split(",").map((c) => positive("sweep", c)),
    sweepOnly: values["sweep-only"],
    createOrderBatch: onOff(values["create-order-batch"]),
  };
}

function onOff(raw: string): "on" | "off" {
  if (raw === "on" || raw === "off") return raw;
  throw new Error(`--create-order-batch must be on or off, got "${raw}"`);
}

function clientKind(raw: string): ClientKind {
  if (raw === "wire" || raw === "connect") return raw;
  throw new Error(`--client must be wire or connect, got "${raw}"`);
}

function nonNegative(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number, got "${raw}"`);
  return value;
}

function nonNegativeInteger(name: string, raw: string): number {
  const value = nonNegative(name, raw);
  if (!Number.isInteger(value)) throw new Error(`--${name} must be a whole number, got "${raw}"`);
  return value;
}

function positive(name: string, raw: string): number {
  const value = nonNegative(name, raw);
  if (value === 0) throw new Error(`--${name} must be positive`);
  return value;
}
