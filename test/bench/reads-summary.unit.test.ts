import { describe, expect, it } from "vitest";
import { readsSummaryMarkdown, type ReadsRun } from "../../bench/report/reads-markdown.js";
import type { ScenarioResult } from "../../bench/reads/scenarios.js";

function scenario(name: string, orders: number, p99: number): ScenarioResult {
  return {
    name,
    request: name,
    orders,
    latency: { p50: p99 / 2, p95: p99, p99, max: p99, count: 300 },
    serviceCpuMs: 1,
    clientCpuMs: 1,
  };
}

function run(scenarios: ScenarioResult[]): ReadsRun {
  return {
    startedAt: new Date("2026-12-01T10:18:35Z"),
    orders: 1_000_000,
    pageSize: 50,
    deepPage: 1000,
    calls: 300,
    loadMs: 1,
    machine: "test",
    loadAverage: [0.5, 0.6],
    scenarios,
    walks: [],
    deepPlan: "",
    durationMs: 1,
  };
}

describe("readsSummaryMarkdown (README's line of npm run bench:reads)", () => {
  it("gives the worst p99 per page size against issue 15's targets, and how far a missed one is", () => {
    const text = readsSummaryMarkdown(
      run([
        scenario("first page", 50, 9.5),
        scenario("page 1000, by status", 50, 12.25),
        scenario("first page of 500", 500, 38),
        scenario("GetOrder", 1, 2.5),
      ]),
    );
    expect(text).toContain("1,000,000 orders, 2026-12-01 10:18 UTC, load 0.5");
    expect(text).toContain("page of 50: p99 up to 12.3 ms (target < 10 ms: **not met**, 2.3 ms over)");
    expect(text).toContain("page of 500: p99 up to 38.0 ms (target < 40 ms: met)");
    expect(text).toContain("GetOrder p99 2.5 ms.");
  });

  it("says a page size was not measured rather than meeting its target", () => {
    expect(readsSummaryMarkdown(run([scenario("first page", 50, 5)]))).toContain("page of 500: not measured");
  });
});
