import type { ScenarioResult, WalkResult } from "../reads/scenarios.js";

export interface ReadsRun {
  startedAt: Date;
  orders: number;
  pageSize: number;
  deepPage: number;
  calls: number;
  loadMs: number;
  machine: string;
  /** The machine's 1-minute load average when measuring began and ended: other work on it slows every figure. */
  loadAverage: [number, number];
  scenarios: ScenarioResult[];
  walks: { name: string; walk: WalkResult }[];
  /** EXPLAIN (ANALYZE, BUFFERS) of the deep page's keyset query, run in the database directly. */
  deepPlan: string;
  durationMs: number;
}

const ms = (value: number) => value.toFixed(2);

/** Issue 15's read targets: p99 of a page of `orders`, first and deep pages, filtered or not. */
const READ_TARGETS = [
  { orders: 50, p99Ms: 10 },
  { orders: 500, p99Ms: 40 },
];

/**
 * The run in two lines for README.md (bench/results/reads-summary.md, copied by `npm run docs:sections`): the worst
 * p99 of the ListOrders scenarios per page size against issue 15's targets, and GetOrder's.
 */
export function readsSummaryMarkdown(run: ReadsRun): string {
  const targets = READ_TARGETS.map(({ orders, p99Ms }) => {
    const pages = run.scenarios.filter((s) => s.orders === orders && s.name !== "GetOrder");
    if (pages.length === 0) return `page of ${orders}: not measured`;
    const worst = Math.max(...pages.map((s) => s.latency.p99));
    const verdict = worst < p99Ms ? "met" : `**not met**, ${(worst - p99Ms).toFixed(1)} ms over`;
    return `page of ${orders}: p99 up to ${worst.toFixed(1)} ms (target < ${p99Ms} ms: ${verdict})`;
  });
  const get = run.scenarios.find((s) => s.name === "GetOrder");
  return [
    `\`npm run bench:reads\` (${run.orders.toLocaleString("en-US")} orders, ${run.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC, ` +
      `load ${run.loadAverage[0].toFixed(1)}), ListOrders ${targets.join("; ")}` +
      (get ? `; GetOrder p99 ${get.latency.p99.toFixed(1)} ms.` : "."),
    "",
  ].join("\n");
}

/** The run as Markdown, for bench/results/reads-last-run.md and the terminal. */
export function readsMarkdown(run: ReadsRun): string {
  const lines = [
    "# ListOrders reads benchmark — last run",
    "",
    `Run by \`npm run bench:reads\` on ${run.startedAt.toISOString()} (${(run.durationMs / 1000).toFixed(0)} s in all).`,
    `Machine: ${run.machine}; 1-minute load average ${run.loadAverage[0].toFixed(1)} when measuring began, ` +
      `${run.loadAverage[1].toFixed(1)} when it ended (anything above the number of CPUs means other work competed for them).`,
    "",
    `One tenant with **${run.orders.toLocaleString("en-US")} orders** (one line each), bulk-loaded with generate_series in ` +
      `${(run.loadMs / 1000).toFixed(1)} s into a scratch database with the service's migrations (all indexes in place). ` +
      `The service runs as its own process exactly as \`npm start\` does; one client calls ListOrders (and GetOrder) ` +
      `over gRPC (HTTP/2), one call at a time, ${run.calls} calls per row after 20 warm-up calls; CPU per call is the ` +
      `service process's (from /proc) and the client's (process.cpuUsage) over the measured calls. Page size ${run.pageSize}; ` +
      `"page ${run.deepPage}" is reached by following next_page_token from the first page, then requested again and again.`,
    "",
    "| scenario | request | orders per answer | p50 ms | p99 ms | max ms | service CPU ms per call | client CPU ms per call |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...run.scenarios.map(
      (s) =>
        `| ${s.name} | ${s.request} | ${s.orders} | ${ms(s.latency.p50)} | ${ms(s.latency.p99)} | ${ms(s.latency.max)} | ` +
        `${ms(s.serviceCpuMs)} | ${ms(s.clientCpuMs)} |`,
    ),
    "",
    "Walking to the deep page (every page on the way, each call once):",
    "",
    "| walk | pages | total s | p50 ms per page | p99 ms per page |",
    "|---|---:|---:|---:|---:|",
    ...run.walks.map(
      (w) =>
        `| ${w.name} | ${w.walk.pages} | ${(w.walk.totalMs / 1000).toFixed(1)} | ${ms(w.walk.latency.p50)} | ${ms(w.walk.latency.p99)} |`,
    ),
    "",
    "Why a deep page costs what the first page costs: the page token is a keyset position (create time, id), so the",
    "query starts inside the index `(tenant_id, created_at desc, id desc)` (or the filter's own index) and reads one",
    `page; nothing is skipped with OFFSET. The plan of the page-${run.deepPage} query, run directly in the database:`,
    "",
    "```",
    run.deepPlan,
    "```",
    "",
    "The database's share of a call is that plan's execution time plus two small queries for the page's lines and",
    "history; the rest of the latency above is CPU in the service and in the client (rows to protobuf and back) and",
    "the loopback network, which is what other work competing for the machine's CPUs slows down.",
    "",
  ];
  return lines.join("\n");
}
