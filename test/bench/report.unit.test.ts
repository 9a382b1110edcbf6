import { describe, expect, it } from "vitest";
import { renderChart } from "../../bench/report/chart.js";
import { readmeSummary } from "../../bench/report/readme-summary.js";
import { markdownTable } from "../../bench/report/table.js";
import type { CellResult } from "../../bench/writes/cells.js";
import { checkTargets, machineInfo, withRatios, type BenchRun } from "../../bench/writes/run-record.js";
import type { SweepRecord, SweepRow } from "../../bench/writes/sweep.js";

function cell(path: CellResult["path"], ordersPerSec: number, p99: number): CellResult {
  return {
    path,
    lines: 5,
    lineKind: "custom",
    ordersPerSec,
    latencyMs: { count: 1000, p50: p99 / 2, p95: p99, p99, max: p99 },
    ratio: 1,
    errors: 0,
    errorKinds: {},
    ...(path === "baseline" || path === "baseline-batched"
      ? {}
      : {
          service: { peakRssMb: 200, endRssMb: 190, cpuMsPerOrder: 1.5 },
          eventLag: { count: 1000, p50Ms: 20, p99Ms: 80, maxMs: 90, missing: 0, duplicates: 0 },
        }),
    generatorCpuMsPerOrder: 0.5,
    machineBusy: 0.9,
    spans: [],
  };
}

const cells = withRatios([
  cell("grpc", 250, 120),
  cell("baseline", 1000, 80),
  cell("connect-json", 1050, 70),
  cell("baseline-batched", 2000, 60),
  cell("connect-binary", 900, 75),
]);

describe("the bench's table against both baselines", () => {
  it("gives every row its ratio to the per-order and to the batched baseline of its size", () => {
    expect(cells.map((c) => [c.path, c.ratio, c.ratioBatched])).toEqual([
      ["grpc", 0.25, 0.13],
      ["baseline", 1, 0.5],
      ["connect-json", 1.05, 0.53],
      ["baseline-batched", 2, 1],
      ["connect-binary", 0.9, 0.45],
    ]);
    const table = markdownTable(cells).split("\n");
    expect(table[0]).toContain("| x baseline | x batched |");
    expect(table.slice(2).map((row) => row.split(" | ")[0])).toEqual([
      "| baseline: plain pg, per order",
      "| baseline: plain pg, group commit",
      "| gRPC (HTTP/2, binary)",
      "| Connect JSON (HTTP/1.1)",
      "| Connect binary (HTTP/2)",
    ]);
    const chart = renderChart(cells, "a run");
    expect(chart).toContain("baseline: plain pg, per order");
    expect(chart).toContain("baseline: plain pg, group commit");
  });

  it("checks issue 15's targets at 5 lines with the ones before it, each with how far", () => {
    const targets = checkTargets(cells, [5], 32);
    expect(targets.map((t) => [t.target, t.met])).toEqual([
      ["Connect JSON, 5 lines, 32 in flight: >= 1.0 x the per-order baseline's orders/s", true],
      ["gRPC, 5 lines, 32 in flight: >= 0.9 x the per-order baseline's orders/s", false],
      ["Connect JSON, 5 lines, 32 in flight: p99 <= the per-order baseline's p99", true],
      ["gRPC, 5 lines, 32 in flight: p99 <= the per-order baseline's p99", false],
      ["Connect JSON, 5 lines, 32 in flight: >= 0.7 x the batched baseline's orders/s", false],
      ["zero errors", true],
      ["event lag p99 < 100 ms at 5 lines", true],
      ["event lag p99 < 200 ms at every order size of 5 lines", true],
      ["every order's event in the stream exactly once", true],
      ["service RSS < 300 MB", true],
    ]);
    expect(targets[1]?.actual).toBe("0.25 x, 0.65 x short");
    expect(targets[3]?.actual).toBe("120 against 80 ms, 40 ms over");
  });

  it("summarises the 5-line rows, the p50 at 1 in flight and the targets for the README", () => {
    const run: BenchRun = {
      startedAt: "2026-12-01T12:00:00.000Z",
      finishedAt: "2026-12-01T12:10:00.000Z",
      command: "npm run bench",
      serviceCommand: "node dist/service/src/main.js",
      options: { concurrency: 32, poolMax: 10, sizes: [5] } as BenchRun["options"],
      machine: { ...machineInfo("15", "2.9"), cores: 2, cpuModel: "AMD EPYC", loadAverageAtStart: 0.4 },
      cells,
      targets: checkTargets(cells, [5], 32),
    };
    const alone = (row: SweepRow["row"], p50Ms: number): SweepRow => ({
      row,
      concurrency: 1,
      ordersPerSec: 500,
      p50Ms,
      p99Ms: 5,
      errors: 0,
      meanBatch: 1,
      cpuMsPerOrder: null,
      xBaseline: 1,
      xBatched: 1,
    });
    const sweep: SweepRecord = {
      command: run.command,
      startedAt: run.startedAt,
      machine: run.machine,
      options: { concurrencies: [1], durationS: 20, warmupS: 3, rounds: 2, poolMax: 10, databaseUrl: "" },
      rows: [alone("connect-json", 2.5), alone("baseline", 1), alone("grpc", 1.8)],
    };
    const summary = readmeSummary(run, sweep);
    expect(summary).toContain("`npm run bench`, 2026-12-01 12:00 UTC, 2 x AMD EPYC, load average 0.4 at the start");
    expect(summary).toContain("| Connect JSON (HTTP/1.1) | 1050 | 1.05 | 0.53 | 70.0 | 1.50 |");
    expect(summary).toContain("| baseline: plain pg, group commit | 2000 | 2.00 | 1.00 | 60.0 | - |");
    expect(summary).toContain(
      "At 1 in flight (the same run's sweep), p50: baseline: plain pg, per order 1.0 ms, gRPC (HTTP/2, binary) 1.8 ms, Connect JSON (HTTP/1.1) 2.5 ms.",
    );
    expect(summary).toContain(
      "- **not met**: Connect JSON (HTTP/1.1), 1 in flight: p50 within 1 ms of the per-order baseline's — 2.5 against 1 ms (+1.5 ms), 0.5 ms over",
    );
    expect(summary).toContain("Targets (5 lines, 32 in flight unless they say otherwise; on this machine):");
    expect(summary).toContain("- **not met**: gRPC: >= 0.9 x the per-order baseline's orders/s — 0.25 x, 0.65 x short");
    expect(summary).toMatch(/^- met: Connect JSON: >= 1.0 x .*; zero errors \(0 errors\);/m);
  });
});
