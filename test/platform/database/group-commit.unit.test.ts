import { describe, expect, it } from "vitest";
import {
  GroupCommit,
  type GroupCommitLimits,
  type StatementReport,
} from "../../../src/platform/database/group-commit.js";

/** A write the test completes by hand: what is in flight stays in flight until release(). */
class Gate {
  #release: (() => void) | undefined;
  #fail: ((error: unknown) => void) | undefined;
  readonly opened = new Promise<void>((resolve, reject) => {
    this.#release = resolve;
    this.#fail = reject;
  });
  release(): void {
    this.#release?.();
  }
  fail(error: unknown): void {
    this.#fail?.(error);
  }
}

interface Item {
  id: string;
  bytes?: number;
  parameters?: number;
  /** writeOne fails for this item with this error. */
  failsAlone?: Error;
}

const LIMITS: GroupCommitLimits = { maxItems: 64, maxBytes: 1_000_000, maxParameters: 65_000 };

/** A GroupCommit over recorded writes: each batch and each lone write waits for its gate. */
function recorder(limits: GroupCommitLimits = LIMITS, writeAllError?: (ids: string[]) => Error | undefined) {
  const batches: string[][] = [];
  const alone: string[] = [];
  const reports: StatementReport[] = [];
  const gates: Gate[] = [];
  const gated = async () => {
    const gate = new Gate();
    gates.push(gate);
    await gate.opened;
  };
  const commit = new GroupCommit<Item>({
    writeAll: async (items) => {
      batches.push(items.map((i) => i.id));
      await gated();
      const error = writeAllError?.(items.map((i) => i.id));
      if (error) throw error;
    },
    writeOne: async (item) => {
      alone.push(item.id);
      await gated();
      if (item.failsAlone) throw item.failsAlone;
    },
    size: (item) => ({ bytes: item.bytes ?? 10, parameters: item.parameters ?? 10 }),
    limits,
    onStatement: (report) => reports.push(report),
  });
  /** Opens every gate until nothing is in flight or queued (a microtask turn between rounds). */
  const settle = async () => {
    for (let round = 0; round < 100; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      const open = gates.splice(0);
      if (open.length === 0 && commit.queued === 0) return;
      for (const gate of open) gate.release();
    }
  };
  return { commit, batches, alone, reports, gates, settle };
}

function outcome(promise: Promise<void>): Promise<string> {
  return promise.then(
    () => "ok",
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

describe("GroupCommit", () => {
  it("writes an item alone at once when nothing is in flight: at low load nothing waits", async () => {
    const { commit, batches, alone, gates } = recorder();
    const written = commit.write({ id: "a" });
    // Started synchronously: its write is in flight before the caller's next turn.
    expect(alone).toEqual(["a"]);
    expect(batches).toEqual([]);
    gates[0]?.release();
    await written;
  });

  it("queues what arrives while a write is in flight and writes it as the next batch, answering each after its commit", async () => {
    const { commit, batches, alone, reports, gates } = recorder();
    const first = commit.write({ id: "a" });
    const later = ["b", "c", "d"].map((id) => commit.write({ id }));
    let answered = 0;
    for (const p of later) void p.then(() => answered++);
    expect(commit.queued).toBe(3);
    gates[0]?.release();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([["b", "c", "d"]]);
    // In flight, not yet committed: nobody is answered.
    expect(answered).toBe(0);
    gates[1]?.release();
    await Promise.all(later);
    expect(answered).toBe(3);
    expect(alone).toEqual(["a"]);
    expect(reports).toEqual([
      { size: 1, committed: true },
      { size: 3, committed: true },
    ]);
  });

  it("cuts batches at the most items, bytes and parameters, in arrival order", async () => {
    for (const [limits, items, expected] of [
      [{ ...LIMITS, maxItems: 2 }, [{}, {}, {}, {}, {}], [["1", "2"], ["3", "4"], ["5"]]],
      [{ ...LIMITS, maxBytes: 25 }, [{}, {}, {}, { bytes: 100 }, {}], [["1", "2"], ["3"], ["4"], ["5"]]],
      [
        { ...LIMITS, maxParameters: 30 },
        [{}, {}, {}, {}, {}],
        [
          ["1", "2", "3"],
          ["4", "5"],
        ],
      ],
    ] as const) {
      const { commit, batches, alone, settle } = recorder(limits);
      const written = [
        commit.write({ id: "0" }),
        ...items.map((item, i) => commit.write({ id: String(i + 1), ...item })),
      ];
      await settle();
      await Promise.all(written);
      // A batch of one is written alone.
      const all = [...batches, ...alone.slice(1).map((id) => [id])].sort((a, b) => Number(a[0]) - Number(b[0]));
      expect(all).toEqual(expected);
    }
  });

  it("writes the halves of a failed batch again, down to items alone, so one item's error never fails the others", async () => {
    // The statement fails whenever item 3 is in it (its number is taken, say); alone, it fails with its own error.
    const { commit, batches, alone, reports, settle } = recorder(LIMITS, (ids) =>
      ids.includes("3") ? new Error("duplicate key") : undefined,
    );
    const first = commit.write({ id: "0" });
    const ids = ["1", "2", "3", "4", "5", "6", "7", "8"];
    const results = ids.map((id) =>
      outcome(commit.write(id === "3" ? { id, failsAlone: new Error("order number taken") } : { id })),
    );
    await settle();
    await first;
    expect(await Promise.all(results)).toEqual(ids.map((id) => (id === "3" ? "order number taken" : "ok")));
    expect(batches).toEqual([ids, ["1", "2", "3", "4"], ["5", "6", "7", "8"], ["1", "2"], ["3", "4"]]);
    expect(alone).toEqual(["0", "3", "4"]);
    // Every statement, in the order they ended: the committed ones hold every order but the refused one.
    expect(reports.filter((r) => r.committed).map((r) => r.size)).toEqual([1, 4, 2, 1]);
    expect(reports.filter((r) => !r.committed).map((r) => r.size)).toEqual([8, 4, 2, 1]);
  });

  it("answers every item of a failed batch as it would be answered alone", async () => {
    const { commit, alone, settle } = recorder(LIMITS, () => new Error("duplicate key"));
    const first = commit.write({ id: "a" });
    const results = [
      commit.write({ id: "b" }),
      commit.write({ id: "c", failsAlone: new Error("order number taken") }),
      commit.write({ id: "d" }),
    ].map(outcome);
    await settle();
    await first;
    expect(await Promise.all(results)).toEqual(["ok", "order number taken", "ok"]);
    expect(alone.sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("fails every item of a batch whose outcome is unknown (connection lost) with that error, retrying none", async () => {
    const lost = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const { commit, alone, settle } = recorder(LIMITS, () => lost);
    const first = commit.write({ id: "a" });
    const results = ["b", "c"].map((id) => outcome(commit.write({ id })));
    await settle();
    await first;
    expect(await Promise.all(results)).toEqual(["read ECONNRESET", "read ECONNRESET"]);
    expect(alone).toEqual(["a"]);
  });

  it("answers a lone item's error to it, and keeps writing what queued behind it", async () => {
    const { commit, settle } = recorder();
    const first = outcome(commit.write({ id: "a", failsAlone: new Error("refused") }));
    const next = outcome(commit.write({ id: "b" }));
    await settle();
    expect([await first, await next]).toEqual(["refused", "ok"]);
  });
});
