/**
 * A PostgreSQL snapshot as `pg_current_snapshot()::text` gives it (`xmin:xmax:xip,...`): which transactions had
 * committed when a statement took it. A background loop that is told of a commit by the committing transaction's id
 * (a notification's payload) can tell from the snapshot of its last read whether that read already saw the commit.
 */
export class CommitSnapshot {
  private constructor(
    private readonly xmin: bigint,
    private readonly xmax: bigint,
    private readonly inProgress: ReadonlySet<bigint>,
  ) {}

  /** Undefined for anything that is not a snapshot's text. */
  static parse(text: string): CommitSnapshot | undefined {
    const match = /^(\d+):(\d+):([\d,]*)$/.exec(text);
    if (!match) return undefined;
    const [, xmin = "", xmax = "", xip = ""] = match;
    return new CommitSnapshot(BigInt(xmin), BigInt(xmax), new Set(xip === "" ? [] : xip.split(",").map(BigInt)));
  }

  /**
   * Whether a transaction known to have committed (its notification arrived) is visible in the snapshot: it had
   * finished before the snapshot was taken (below xmin, or below xmax and not in progress then).
   */
  sawCommitOf(xid: bigint): boolean {
    return xid < this.xmin || (xid < this.xmax && !this.inProgress.has(xid));
  }
}

/** A transaction id as `pg_current_xact_id()::text` gives it; undefined for anything else. */
export function parseTransactionId(text: string): bigint | undefined {
  return /^\d+$/.test(text) ? BigInt(text) : undefined;
}
