import { describe, expect, it } from "vitest";
import { CommitSnapshot, parseTransactionId } from "../../../src/platform/database/commit-snapshot.js";

describe("CommitSnapshot", () => {
  it("sees the commits of transactions that had ended before it was taken, and no others", () => {
    const snapshot = CommitSnapshot.parse("100:105:100,103");
    if (snapshot === undefined) throw new Error("not parsed");
    expect(snapshot.sawCommitOf(99n)).toBe(true);
    expect(snapshot.sawCommitOf(100n)).toBe(false);
    expect(snapshot.sawCommitOf(101n)).toBe(true);
    expect(snapshot.sawCommitOf(103n)).toBe(false);
    expect(snapshot.sawCommitOf(104n)).toBe(true);
    expect(snapshot.sawCommitOf(105n)).toBe(false);
    expect(snapshot.sawCommitOf(2n ** 40n)).toBe(false);
  });

  it("reads a snapshot with nothing in progress, and nothing else", () => {
    expect(CommitSnapshot.parse("7:7:")?.sawCommitOf(6n)).toBe(true);
    expect(CommitSnapshot.parse("7:7:")?.sawCommitOf(7n)).toBe(false);
    expect(CommitSnapshot.parse("")).toBeUndefined();
    expect(CommitSnapshot.parse("a:b:")).toBeUndefined();
  });

  it("takes a transaction id from a notification's payload, or nothing from any other payload", () => {
    expect(parseTransactionId("4294967301")).toBe(4294967301n);
    expect(parseTransactionId("")).toBeUndefined();
    expect(parseTransactionId("x1")).toBeUndefined();
  });
});
