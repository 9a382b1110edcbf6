import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The parts of a V8 .cpuprofile (as written by `node --cpu-prof`) this summary reads. */
interface CpuProfile {
  /** Microseconds on the monotonic clock (CLOCK_MONOTONIC on Linux, as process.hrtime). */
  startTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NOT_BUSY = new Set(["(idle)", "(root)"]);

/**
 * Layers a sample is charged to: walking from the sampled function towards the root, the first
 * frame that belongs to one of these owns the sample (a socket write called by pg is the pg
 * driver's; one called by HTTP/2 for a response is the RPC layer's).
 */
const LAYERS: [layer: string, owns: (component: string) => boolean][] = [
  ["ORM (MikroORM, kysely)", (c) => c.startsWith("@mikro-orm/") || c === "kysely"],
  ["PostgreSQL driver (pg)", (c) => c === "pg" || c.startsWith("pg-")],
  ["validation (protovalidate, CEL)", (c) => c === "@bufbuild/protovalidate" || c === "@bufbuild/cel"],
  [
    "RPC (Connect, protobuf, HTTP/2, HTTP/1.1)",
    (c) =>
      c.startsWith("@connectrpc/") ||
      c === "@bufbuild/protobuf" ||
      c === "node:http2" ||
      c.startsWith("node:_http") ||
      c === "node:http" ||
      c === "cors",
  ],
  ["events (NATS client)", (c) => c.startsWith("@nats-io/")],
  ["logging (pino)", (c) => c === "pino" || c === "sonic-boom" || c.startsWith("pino-")],
  ["money (decimal.js)", (c) => c === "decimal.js"],
  ["Orderspine code (src/)", (c) => c.startsWith("src/")],
  ["garbage collection", (c) => c === "(garbage collector)"],
];

/** A span of the monotonic clock in microseconds, e.g. one measured cell. */
export interface MonotonicSpan {
  fromUs: number;
  toUs: number;
}

/** Now on the clock V8 stamps profile samples with, in microseconds. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Where the service's CPU time went, as markdown: self and inclusive time by component (package,
 * Node subsystem, or folder of this repo) and the hottest functions. Only samples inside `spans`
 * (the measured windows) count, so start-up (compiling TypeScript, loading modules) and set-up
 * stay out; idle time is left out too, so shares are of the time the process was busy.
 */
export function summarizeProfile(file: string, spans: readonly MonotonicSpan[] = [], top = 20): string {
  const { busyUs, byLayer, selfByComponent, inclusiveByComponent, selfByFunction, inclusiveByAppFunction } =
    tallyProfile(readProfile(file), spans);
  const pct = (us: number) => `${((100 * us) / Math.max(1, busyUs)).toFixed(1)}%`;
  const table = (title: string, header: string, rows: [string, number][]) =>
    [
      `**${title}**`,
      "",
      `| ${header} | share of busy CPU |`,
      "| --- | ---: |",
      ...rows.slice(0, top).map(([k, us]) => `| ${k} | ${pct(us)} |`),
      "",
    ].join("\n");
  return [
    `Busy CPU in the measured windows: ${(busyUs / 1e6).toFixed(1)} s (idle excluded).`,
    "",
    table("By layer (each sample charged to the nearest layer on its stack)", "layer", sorted(byLayer)),
    table("Self time by component", "component", sorted(selfByComponent)),
    table(
      "Inclusive time by component (time with the component anywhere on the stack)",
      "component",
      sorted(inclusiveByComponent),
    ),
    table("Inclusive time of Orderspine's own functions", "function", sorted(inclusiveByAppFunction)),
    table("Hottest functions (self time)", "function", sorted(selfByFunction)),
  ].join("\n");
}

/** Rows measured alike but for one thing (e.g. custom lines and lines by SKU), to compare their profiles. */
export interface ProfiledRows {
  label: string;
  spans: readonly MonotonicSpan[];
  /** Orders completed in the spans. */
  orders: number;
}

/**
 * Two sets of rows side by side, in sampled milliseconds of busy CPU per order: by layer, then the functions
 * whose cost per order differs most (Orderspine's own inclusive, everyone's self time). Sampled time counts the
 * moments the process was busy, so on a shared machine it exceeds the CPU time /proc reports, alike for both.
 */
export function compareProfiles(file: string, a: ProfiledRows, b: ProfiledRows, top = 12): string {
  const profile = readProfile(file);
  const [ta, tb] = [tallyProfile(profile, a.spans), tallyProfile(profile, b.spans)];
  const perOrder = (us: number | undefined, orders: number) => (us ?? 0) / 1000 / Math.max(1, orders);
  const table = (title: string, header: string, ma: Map<string, number>, mb: Map<string, number>, limit: number) => {
    const keys = [...new Set([...ma.keys(), ...mb.keys()])];
    const rows = keys
      .map((k) => [k, perOrder(ma.get(k), a.orders), perOrder(mb.get(k), b.orders)] as const)
      .sort((x, y) => Math.abs(y[2] - y[1]) - Math.abs(x[2] - x[1]))
      .slice(0, limit);
    return [
      `**${title}**`,
      "",
      `| ${header} | ${a.label} | ${b.label} | difference |`,
      "| --- | ---: | ---: | ---: |",
      ...rows.map(
        ([k, x, y]) => `| ${k} | ${x.toFixed(2)} | ${y.toFixed(2)} | ${(y - x >= 0 ? "+" : "") + (y - x).toFixed(2)} |`,
      ),
      "",
    ].join("\n");
  };
  return [
    `Sampled busy CPU per order: ${a.label} ${perOrder(ta.busyUs, a.orders).toFixed(2)} ms (${a.orders} orders), ` +
      `${b.label} ${perOrder(tb.busyUs, b.orders).toFixed(2)} ms (${b.orders} orders).`,
    "",
    table("By layer, ms per order", "layer", ta.byLayer, tb.byLayer, LAYERS.length + 1),
    table(
      "Orderspine's own functions (inclusive), ms per order, largest differences",
      "function",
      ta.inclusiveByAppFunction,
      tb.inclusiveByAppFunction,
      top,
    ),
    table(
      "Self time by function, ms per order, largest differences",
      "function",
      ta.selfByFunction,
      tb.selfByFunction,
      top,
    ),
  ].join("\n");
}

function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
}

interface Tally {
  busyUs: number;
  byLayer: Map<string, number>;
  selfByComponent: Map<string, number>;
  inclusiveByComponent: Map<string, number>;
  selfByFunction: Map<string, number>;
  inclusiveByAppFunction: Map<string, number>;
}

/** Busy microseconds of the samples inside `spans` (all of them without spans), by layer, component and function. */
function tallyProfile(profile: CpuProfile, spans: readonly MonotonicSpan[]): Tally {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const tally: Tally = {
    busyUs: 0,
    byLayer: new Map(),
    selfByComponent: new Map(),
    inclusiveByComponent: new Map(),
    selfByFunction: new Map(),
    inclusiveByAppFunction: new Map(),
  };
  let at = profile.startTime;
  const inSpans = (t: number) => spans.length === 0 || spans.some((s) => t >= s.fromUs && t < s.toUs);
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(id);
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (!leaf || NOT_BUSY.has(leaf.callFrame.functionName) || !inSpans(at)) return;
    tally.busyUs += us;
    add(tally.selfByComponent, component(leaf.callFrame), us);
    add(tally.selfByFunction, functionKey(leaf.callFrame), us);
    const components = new Set<string>();
    const appFunctions = new Set<string>();
    let layer: string | undefined;
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = byId.get(node)?.callFrame;
      if (!frame) break;
      const c = component(frame);
      components.add(c);
      layer ??= LAYERS.find(([, owns]) => owns(c))?.[0];
      if (isAppCode(frame.url)) appFunctions.add(functionKey(frame));
    }
    add(tally.byLayer, layer ?? "other (Node internals, V8, event loop)", us);
    for (const c of components) add(tally.inclusiveByComponent, c, us);
    for (const f of appFunctions) add(tally.inclusiveByAppFunction, f, us);
  });
  return tally;
}

function sorted(m: Map<string, number>): [string, number][] {
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

function isAppCode(url: string): boolean {
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  return path.startsWith(REPO_ROOT) && !path.includes("/node_modules/");
}

function functionKey(frame: { functionName: string; url: string }): string {
  // No line numbers: they are the compiled JavaScript's, which do not match the source.
  return `${frame.functionName || "(anonymous)"} ${location(frame.url)}`;
}

function location(url: string): string {
  if (url === "") return "(native)";
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf("/node_modules/");
  if (modules >= 0) return path.slice(modules + "/node_modules/".length);
  return path.startsWith(REPO_ROOT) ? repoPath(path) : path;
}

/** A file of this repo relative to its root, the compiled service (dist/service/src/x.js) named as its source (src/x.js). */
function repoPath(path: string): string {
  const relative = path.slice(REPO_ROOT.length);
  return relative.startsWith(COMPILED_DIR) ? relative.slice(COMPILED_DIR.length) : relative;
}

/** Where `npm run build:service` writes the service that `npm start` runs (tsconfig.build.json). */
const COMPILED_DIR = "dist/service/";

/** A package name, a Node subsystem, a folder of this repo, or V8's own (GC, program). */
export function component(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) {
    const parts = url.slice("node:".length).split("/");
    return `node:${parts[0] === "internal" ? (parts[1] ?? "internal").replace(/\.js$/, "") : parts[0]}`;
  }
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const rest = path.slice(modules + "/node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? "?");
  }
  if (path.startsWith(REPO_ROOT)) {
    const rest = repoPath(path).split("/");
    return rest[0] === "src" && rest.length > 2 ? `src/${rest[1]}` : (rest[0] ?? "?");
  }
  return "other";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file)
    throw new Error(
      'usage: node --import tsx bench/report/profile-summary.ts <file.cpuprofile> [\'[{"fromUs":..,"toUs":..}]\']',
    );
  const spans = process.argv[3] ? (JSON.parse(process.argv[3]) as MonotonicSpan[]) : [];
  console.log(summarizeProfile(file, spans));
}
