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

  it("checks issue 15's targets against the rows at 32 and 1 in flight", () => {
    const targets = sweepTargets([
      row({ row: "baseline", concurrency: 32, p99Ms: 80 }),
      row({ row: "connect-json", concurrency: 32, xBaseline: 1.05, xBatched: 0.6, p99Ms: 70 }),
      row({ row: "grpc", concurrency: 32, xBaseline: 0.85, p99Ms: 90 }),
      row({ row: "baseline", concurrency: 1, p50Ms: 1 }),
      row({ row: "grpc", concurrency: 1, p50Ms: 1.8 }),
      row({ row: "connect-json", concurrency: 1, p50Ms: 2.5, errors: 1 }),
    ]);
    expect(targets.map((t) => [t.target.split(":")[0], t.met])).toEqual([
      ["Connect JSON, 32 in flight", true],
      ["gRPC, 32 in flight", false],
      ["Connect JSON (HTTP/1.1), 32 in flight", true],
      ["gRPC (HTTP/2, binary), 32 in flight", false],
      ["Connect JSON, 32 in flight", false],
      ["gRPC (HTTP/2, binary), 1 in flight", true],
      ["Connect JSON (HTTP/1.1), 1 in flight", false],
      ["zero errors", false],
    ]);
  });
});
