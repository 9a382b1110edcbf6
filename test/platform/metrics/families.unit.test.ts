import { Registry } from "prom-client";
import { expect, it } from "vitest";
import { counterFamily, histogramFamily } from "../../../src/platform/metrics/families.js";
import { parseExposition } from "../../support/metrics.js";

it("a counter's bound series add up, and every scrape shows the totals (not the totals added again)", async () => {
  const registry = new Registry();
  const calls = counterFamily(registry, { name: "calls_total", help: "Calls.", labelNames: ["code"] });
  const ok = calls.labels({ code: "OK" });
  ok.inc();
  ok.inc(2);
  calls.labels({ code: "OK" }).inc();
  calls.labels({ code: "NotFound" }).inc();
  for (let scrape = 0; scrape < 2; scrape++) {
    const metrics = parseExposition(await registry.metrics());
    expect(metrics.types.get("calls_total")).toBe("counter");
    expect(metrics.value("calls_total", { code: "OK" })).toBe(4);
    expect(metrics.value("calls_total", { code: "NotFound" })).toBe(1);
  }
});

it("a histogram writes cumulative buckets up to +Inf, the sum and the count of each series", async () => {
  const registry = new Registry();
  const seconds = histogramFamily(registry, {
    name: "handling_seconds",
    help: "Handling.",
    labelNames: ["method"],
    buckets: [0.01, 0.1, 1],
  });
  const get = seconds.labels({ method: "Get" });
  for (const value of [0.005, 0.01, 0.05, 0.5, 30]) get.observe(value);
  seconds.labels({ method: "List" }).observe(0.2);

  const metrics = parseExposition(await registry.metrics());
  expect(metrics.types.get("handling_seconds")).toBe("histogram");
  const bucket = (method: string, le: string) => metrics.value("handling_seconds_bucket", { method, le });
  // A value on a bound counts in that bucket (le: less than or equal).
  expect(["0.01", "0.1", "1", "+Inf"].map((le) => bucket("Get", le))).toEqual([2, 3, 4, 5]);
  expect(["0.01", "0.1", "1", "+Inf"].map((le) => bucket("List", le))).toEqual([0, 0, 1, 1]);
  expect(metrics.value("handling_seconds_sum", { method: "Get" })).toBeCloseTo(30.565);
  expect(metrics.value("handling_seconds_count", { method: "Get" })).toBe(5);
});

it("an unlabelled histogram observes directly; labels a family does not declare are refused when bound", () => {
  const registry = new Registry();
  const sizes = histogramFamily(registry, { name: "batch_size", help: "Sizes.", buckets: [1, 2] });
  sizes.observe(2);
  const calls = counterFamily(registry, { name: "calls_total", help: "Calls.", labelNames: ["code"] });
  expect(() => calls.labels({ code: "OK", tenant: "t" } as { code: string })).toThrow(
    "calls_total has the labels code, got code, tenant",
  );
  const stray: Record<string, string> = { kind: "x" };
  expect(() => sizes.labels(stray)).toThrow("batch_size has the labels (none)");
});
