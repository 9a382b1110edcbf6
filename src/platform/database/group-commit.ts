import { isConnectionPoolExhausted, isDatabaseUnavailable } from "./errors.js";

// Smart batching (group commit) without a timer, as Kafka's producer and TigerBeetle batch requests: one batch is
// written at a time; what arrives while it is in flight queues, and when it completes everything queued (up to the
// limits) goes as the next batch. At low load a batch is one item and nothing waits for anything; under load batches
// grow by themselves, and the fixed cost of a write (its round trip, its commit) is paid once per batch.

/** How large one batch may grow. */
export interface GroupCommitLimits {
  /** Most items in one batch (1: every item is written alone, as without batching). */
  maxItems: number;
  /** Most bytes of bound parameters in one batch (an estimate the caller gives per item). */
  maxBytes: number;
  /** Most bound parameters in one statement: PostgreSQL's protocol counts them in 16 bits. */
  maxParameters: number;
}

/** What one item adds to its batch's statement. */
export interface ItemSize {
  bytes: number;
  parameters: number;
}

/** Every statement a group commit runs (a batch's, its halves' when it failed, an item's alone), once it ended. */
export interface StatementReport {
  /** Items in the statement. */
  size: number;
  /** It committed (else it failed and wrote nothing, or its outcome is unknown). */
  committed: boolean;
}

export interface GroupCommitOptions<Item, Result = undefined> {
  /**
   * Writes every item in ONE statement, its own transaction: all of them or none. Called with 2 or more items;
   * answers each item's result in the items' order (nothing when Result is undefined).
   */
  writeAll(items: readonly Item[]): Promise<BatchResults<Result>>;
  /** Writes one item in its own statement: what an item would be without batching. */
  writeOne(item: Item): Promise<ItemResult<Result>>;
  size(item: Item): ItemSize;
  limits: GroupCommitLimits;
  /** Told of every statement, e.g. to observe the sizes of those that committed in a histogram. */
  onStatement?: (report: StatementReport) => void;
}

/** What a batch's statement answers: anything for a plain write (Result undefined), else each item's result in order. */
export type BatchResults<Result> = [Result] extends [undefined] ? unknown : readonly Result[];

/** What an item's own statement answers: anything for a plain write, else its result. */
export type ItemResult<Result> = [Result] extends [undefined] ? unknown : Result;

/** 65,535 parameters at most in one statement; a little room for the statement's own. */
export const MAX_STATEMENT_PARAMETERS = 65_000;

interface Queued<Item, Result> {
  item: Item;
  size: ItemSize;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes items in batches, each item answered only once its batch committed. Each item stays atomic and
 * independent of the others in its batch: when the batch's statement fails (one item's unique value is taken, a
 * refusal, ...), nothing of it was written, and its halves are written again, down to items alone with
 * `writeOne`, so each item gets the success or the error it would have had without batching. Only a batch whose
 * outcome is unknown (the connection was lost, the database is down) or that could not start (no pooled
 * connection) fails all its items with that error, as each of them would have failed alone.
 */
export class GroupCommit<Item, Result = undefined> {
  readonly #queue: Queued<Item, Result>[] = [];
  #writing = false;

  constructor(private readonly options: GroupCommitOptions<Item, Result>) {}

  /** Resolves with its result once `item` is committed; rejects with the error writing it alone would have given. */
  write(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#queue.push({ item, size: this.options.size(item), resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  /** Items queued behind the batch in flight. */
  get queued(): number {
    return this.#queue.length;
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      for (let batch = this.#take(); batch.length > 0; batch = this.#take()) await this.#writeBatch(batch);
    } finally {
      this.#writing = false;
    }
  }

  /** The next batch: queued items in arrival order while they fit the limits; always at least one. */
  #take(): Queued<Item, Result>[] {
    const { maxItems, maxBytes, maxParameters } = this.options.limits;
    let bytes = 0;
    let parameters = 0;
    let count = 0;
    for (const queued of this.#queue) {
      bytes += queued.size.bytes;
      parameters += queued.size.parameters;
      if (count > 0 && (count >= maxItems || bytes > maxBytes || parameters > maxParameters)) break;
      count += 1;
    }
    return this.#queue.splice(0, count);
  }

  /**
   * Writes `batch` in one statement; when that fails, writes each half again the same way (at once, they are
   * independent), down to items alone. One bad item among n costs about 2 log2(n) statements, and the others still
   * commit in groups.
   */
  async #writeBatch(batch: readonly Queued<Item, Result>[]): Promise<void> {
    const [only] = batch;
    if (batch.length === 1 && only) {
      let committed = true;
      await this.options.writeOne(only.item).then(
        (result) => only.resolve(result as Result),
        (error: unknown) => {
          committed = false;
          only.reject(error);
        },
      );
      this.options.onStatement?.({ size: 1, committed });
      return;
    }
    let results: BatchResults<Result>;
    try {
      results = await this.options.writeAll(batch.map((queued) => queued.item));
    } catch (error) {
      this.options.onStatement?.({ size: batch.length, committed: false });
      if (isDatabaseUnavailable(error) || isConnectionPoolExhausted(error)) {
        for (const queued of batch) queued.reject(error);
        return;
      }
      // The statement failed as a whole and wrote nothing.
      const half = Math.ceil(batch.length / 2);
      await Promise.all([this.#writeBatch(batch.slice(0, half)), this.#writeBatch(batch.slice(half))]);
      return;
    }
    this.options.onStatement?.({ size: batch.length, committed: true });
    batch.forEach((queued, i) => queued.resolve((Array.isArray(results) ? results[i] : undefined) as Result));
  }
}
