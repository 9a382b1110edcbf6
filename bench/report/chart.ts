import { isBaseline, type CellResult } from "../writes/cells.js";
import { lineKindOf } from "../writes/run-record.js";
import { cellLabel, ordered, ratioText } from "./table.js";

const COLORS: Record<CellResult["path"], string> = {
  baseline: "#9e9e9e",
  "baseline-batched": "#616161",
  grpc: "#1f77b4",
  "connect-json": "#ff7f0e",
  "connect-binary": "#2ca02c",
};

/** Rows with lines by SKU: a darker shade of their path's colour. */
const SKU_COLORS: Record<CellResult["path"], string> = {
  baseline: "#9e9e9e",
  "baseline-batched": "#616161",
  grpc: "#0b3d66",
  "connect-json": "#a64b00",
  "connect-binary": "#176117",
};

/** Checkout rows: a lighter shade, so they do not pass for their path's plain row. */
const CHECKOUT_COLORS: Record<CellResult["path"], string> = {
  baseline: "#9e9e9e",
  "baseline-batched": "#616161",
  grpc: "#9ecae1",
  "connect-json": "#fdbe85",
  "connect-binary": "#a1d99b",
};

const PALETTES = { custom: COLORS, sku: SKU_COLORS, checkout: CHECKOUT_COLORS } as const;

const colorOf = (cell: CellResult) => PALETTES[lineKindOf(cell)][cell.path];

interface Panel {
  title: string;
  value: (cell: CellResult) => number;
  /** Lines drawn above the bar, the last one nearest to it. */
  label: (cell: CellResult) => string[];
}

const PANEL_WIDTH = 460;
const PANEL_HEIGHT = 300;
const MARGIN = { top: 70, left: 60, bottom: 50, gap: 40 };
const LEGEND_ROW = 18;

/**
 * A self-contained SVG of throughput and p99 latency per path and order size: two grouped bar
 * panels, the two baselines' bars (per order, then group commit) first in every group. Hand-written (no chart dependency) because two
 * bar panels are a few dozen lines of SVG. Only the sizes with a baseline row: 500-line orders by SKU would
 * flatten every other bar (the table has them).
 */
export function renderChart(cells: readonly CellResult[], subtitle: string): string {
  const withBaseline = new Set(cells.filter((c) => isBaseline(c.path)).map((c) => c.lines));
  const sorted = ordered(cells.filter((c) => withBaseline.has(c.lines)));
  const sizes = [...new Set(sorted.map((c) => c.lines))];
  const series = [...new Map(sorted.map((c) => [cellLabel(c), c])).values()];
  const panels: Panel[] = [
    {
      title: "Throughput (orders/s, higher is better; x = ratio to per-order baseline)",
      value: (c) => c.ordersPerSec,
      label: (c) =>
        c.path === "baseline" ? [c.ordersPerSec.toFixed(0)] : [`${ratioText(c.ratio)}x`, c.ordersPerSec.toFixed(0)],
    },
    {
      title: "p99 latency (ms, lower is better)",
      value: (c) => c.latencyMs.p99,
      label: (c) => [c.latencyMs.p99.toFixed(c.latencyMs.p99 < 10 ? 1 : 0)],
    },
  ];
  const width = MARGIN.left + panels.length * (PANEL_WIDTH + MARGIN.gap);
  // Legend entries side by side, each as wide as its text (about 6.5 px a character at 12 px), on as many rows
  // as the chart's width takes.
  const legend: string[] = [];
  let x = MARGIN.left;
  let y = 50;
  for (const cell of series) {
    const label = cellLabel(cell);
    const entryWidth = 16 + Math.max(150, label.length * 6.5) + 20;
    if (x > MARGIN.left && x + entryWidth > width) {
      x = MARGIN.left;
      y += LEGEND_ROW;
    }
    legend.push(
      `<rect x="${x}" y="${y}" width="12" height="12" fill="${colorOf(cell)}"/>`,
      `<text x="${x + 16}" y="${y + 10}">${escape(label)}</text>`,
    );
    x += entryWidth;
  }
  const top = MARGIN.top + (y - 50);
  const height = top + PANEL_HEIGHT + MARGIN.bottom + 20;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="16" font-weight="bold">Orderspine CreateOrder vs plain pg, per order and with group commit</text>`,
    `<text x="${MARGIN.left}" y="40" fill="#555">${escape(subtitle)}</text>`,
    ...legend,
  ];
  panels.forEach((panel, p) => {
    const x0 = MARGIN.left + p * (PANEL_WIDTH + MARGIN.gap);
    const y0 = top + 20;
    // Headroom above the tallest bar for its two label lines.
    const { step, ticks } = axis(1.1 * Math.max(1, ...sorted.map(panel.value)));
    const max = step * ticks;
    const scale = (v: number) => (v / max) * PANEL_HEIGHT;
    parts.push(`<text x="${x0}" y="${y0 - 8}" font-weight="bold">${escape(panel.title)}</text>`);
    for (let t = 0; t <= ticks; t++) {
      const value = step * t;
      const y = y0 + PANEL_HEIGHT - scale(value);
      parts.push(
        `<line x1="${x0}" x2="${x0 + PANEL_WIDTH}" y1="${y}" y2="${y}" stroke="#e0e0e0"/>`,
        `<text x="${x0 - 6}" y="${y + 4}" text-anchor="end" fill="#555">${Number(value.toPrecision(6))}</text>`,
      );
    }
    const groupWidth = PANEL_WIDTH / sizes.length;
    const barWidth = (groupWidth * 0.8) / series.length;
    sizes.forEach((lines, g) => {
      const gx = x0 + g * groupWidth + groupWidth * 0.1;
      parts.push(
        `<text x="${gx + groupWidth * 0.4}" y="${y0 + PANEL_HEIGHT + 18}" text-anchor="middle">${lines} line${lines === 1 ? "" : "s"}</text>`,
      );
      series.forEach((seriesCell, s) => {
        const cell = sorted.find((c) => cellLabel(c) === cellLabel(seriesCell) && c.lines === lines);
        if (!cell) return;
        const h = scale(panel.value(cell));
        const bx = gx + s * barWidth;
        parts.push(
          `<rect x="${bx.toFixed(1)}" y="${(y0 + PANEL_HEIGHT - h).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${colorOf(cell)}"/>`,
        );
        panel
          .label(cell)
          .reverse()
          .forEach((line, i) => {
            const y = y0 + PANEL_HEIGHT - h - 4 - i * 11;
            parts.push(
              `<text x="${(bx + barWidth / 2 - 1).toFixed(1)}" y="${y.toFixed(1)}" text-anchor="middle" font-size="10">${escape(line)}</text>`,
            );
          });
      });
    });
    parts.push(
      `<line x1="${x0}" x2="${x0 + PANEL_WIDTH}" y1="${y0 + PANEL_HEIGHT}" y2="${y0 + PANEL_HEIGHT}" stroke="#333"/>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

/** Round axis steps (1, 2, 2.5 or 5 times a power of ten), about five of them up to `max`. */
function axis(max: number): { step: number; ticks: number } {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  return { step, ticks: Math.max(1, Math.ceil(max / step)) };
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
