import { describe, expect, it } from "vitest";
import { parseOptions } from "../../bench/writes/options.js";
import { sweepTargets, type SweepRow } from "../../bench/writes/sweep.js";

function row(partial: Partial<SweepRow> & Pick<SweepRow, "row" | "concurrency">): SweepRow {
  return {
    ordersPerSec: 100,
    p50Ms: 5,
    p99Ms: 50,
    errors: 0,
    meanBatch: 1,
    cpuMsPerOrder: null,
    xBaseline: 1,
    xBatched: 1,
    ...partial,
  };
}

describe("the bench's concurrency sweep", () => {
  it("runs after the table at 1, 8, 32 and 128 in flight unless told otherwise", () => {
    const defaults = parseOptions([]);
    if (defaults === "help") throw new Error("no help asked for");
    expect(defaults).toMatchObject({ sweepConcurrencies: [1, 8, 32, 128], sweepOnly: false, createOrderBatch: "on" });
    expect(parseOptions(["--sweep", "none"])).toMatchObject({ sweepConcurrencies: [] });
    expect(parseOptions(["--sweep", "32", "--sweep-only", "--create-order-batch", "off"])).toMatchObject({
      sweepConcurrencies: [32],
      sweepOnly: true,
      createOrderBatch: "off",
    });
    expect(() => parseOptions(["--create-order-batch", "maybe"])).toThrow(/on or off/);
  });

  it("checks issue 15's targets against the rows at 32 and 1 in flight, and says how far from each", () => {
    const targets = sweepTargets([
      row({ row: "baseline", concurrency: 32, ordersPerSec: 1000, p99Ms: 80 }),
      row({ row: "baseline-batched", concurrency: 32, ordersPerSec: 2000, p99Ms: 60 }),
      row({ row: "connect-json", concurrency: 32, ordersPerSec: 1050, p99Ms: 70 }),
      row({ row: "grpc", concurrency: 32, ordersPerSec: 250, p99Ms: 90 }),
      row({ row: "baseline", concurrency: 1, p50Ms: 1 }),
      row({ row: "grpc", concurrency: 1, p50Ms: 1.8 }),
      row({ row: "connect-json", concurrency: 1, p50Ms: 2.5, errors: 1 }),
    ]);
    expect(targets.map((t) => [t.target, t.met, t.actual])).toEqual([
      ["Connect JSON, 5 lines, 32 in flight: >= 1.0 x the per-order baseline's orders/s", true, "1.05 x"],
      ["gRPC, 5 lines, 32 in flight: >= 0.9 x the per-order baseline's orders/s", false, "0.25 x, 0.65 x short"],
      ["Connect JSON, 5 lines, 32 in flight: p99 <= the per-order baseline's p99", true, "70 against 80 ms"],
      ["gRPC, 5 lines, 32 in flight: p99 <= the per-order baseline's p99", false, "90 against 80 ms, 10 ms over"],
      ["Connect JSON, 5 lines, 32 in flight: >= 0.7 x the batched baseline's orders/s", false, "0.53 x, 0.17 x short"],
      [
        "gRPC (HTTP/2, binary), 1 in flight: p50 within 1 ms of the per-order baseline's",
        true,
        "1.8 against 1 ms (+0.8 ms)",
      ],
      [
        "Connect JSON (HTTP/1.1), 1 in flight: p50 within 1 ms of the per-order baseline's",
        false,
        "2.5 against 1 ms (+1.5 ms), 0.5 ms over",
      ],
      ["zero errors", false, "1 errors"],
    ]);
  });
});
