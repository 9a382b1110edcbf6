import { isBaseline, type CellResult } from "../writes/cells.js";
import { PATHS } from "../writes/paths.js";
import { lineKindOf } from "../writes/run-record.js";

/** The rows of the two plain-`pg` references. */
const BASELINE_LABELS = {
  baseline: "baseline: plain pg, per order",
  "baseline-batched": "baseline: plain pg, group commit",
} as const;

const HEADER = [
  "path",
  "lines",
  "orders/s",
  "p50 ms",
  "p95 ms",
  "p99 ms",
  "x baseline",
  "x batched",
  "errors",
  "peak RSS MB",
  "lag p50 ms",
  "lag p99 ms",
  "svc CPU ms/order",
];
const RIGHT_ALIGNED = new Set(HEADER.slice(1));

export function pathLabel(path: CellResult["path"]): string {
  return isBaseline(path) ? BASELINE_LABELS[path] : PATHS[path].label;
}

const KIND_LABELS = { custom: "", sku: ", lines by SKU", checkout: ", checkout" } as const;

/** The path, and the orders' kind when not plain custom lines: "gRPC (HTTP/2, binary), lines by SKU". */
export function cellLabel(cell: Pick<CellResult, "path" | "lineKind">): string {
  return `${pathLabel(cell.path)}${KIND_LABELS[lineKindOf(cell)]}`;
}

/**
 * A ratio, or "-" where there is none (no baseline of that size: NaN in the run, null in its JSON; absent in runs
 * from before the batched baseline was measured).
 */
export function ratioText(ratio: number | null | undefined): string {
  return ratio !== null && ratio !== undefined && Number.isFinite(ratio) ? ratio.toFixed(2) : "-";
}

function rows(cells: readonly CellResult[]): string[][] {
  const dash = "-";
  return cells.map((c) => [
    cellLabel(c),
    String(c.lines),
    c.ordersPerSec.toFixed(0),
    c.latencyMs.p50.toFixed(1),
    c.latencyMs.p95.toFixed(1),
    c.latencyMs.p99.toFixed(1),
    ratioText(c.ratio),
    ratioText(c.ratioBatched),
    String(c.errors),
    c.service ? c.service.peakRssMb.toFixed(0) : dash,
    c.eventLag ? c.eventLag.p50Ms.toFixed(1) : dash,
    c.eventLag ? c.eventLag.p99Ms.toFixed(1) : dash,
    c.service ? c.service.cpuMsPerOrder.toFixed(2) : dash,
  ]);
}

/**
 * Sorted by size, then the baselines first (per order, then batched), so each size's rows sit under their
 * baselines; lines by SKU and checkout rows after the custom lines.
 */
export function ordered(cells: readonly CellResult[]): CellResult[] {
  const kindRank = { custom: 0, sku: 10, checkout: 20 } as const;
  const pathRank = (path: CellResult["path"]) =>
    path === "baseline" ? -2 : path === "baseline-batched" ? -1 : Object.keys(PATHS).indexOf(path);
  const rank = (c: CellResult) => pathRank(c.path) + kindRank[lineKindOf(c)];
  return [...cells].sort((a, b) => a.lines - b.lines || rank(a) - rank(b));
}

export function textTable(cells: readonly CellResult[]): string {
  const body = rows(ordered(cells));
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => (RIGHT_ALIGNED.has(HEADER[i] ?? "") ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join("  ");
  return [line(HEADER), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

export function markdownTable(cells: readonly CellResult[]): string {
  const align = HEADER.map((h) => (RIGHT_ALIGNED.has(h) ? "---:" : "---"));
  return [HEADER, align, ...rows(ordered(cells))].map((r) => `| ${r.join(" | ")} |`).join("\n");
}
