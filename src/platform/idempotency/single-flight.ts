/**
 * Identical calls that are in flight at once in this process share one execution: the first runs,
 * the others wait for its outcome and get the same answer (or the same error). Without it, N
 * concurrent retries of one request_id each take a pooled connection only to queue behind the first
 * call's idempotency row; a storm of them exhausted the pool and was answered UNAVAILABLE while the
 * database was up (issue 9). Across replicas the idempotency record still decides.
 */
export class SingleFlight {
  readonly #inFlight = new Map<string, Promise<unknown>>();

  /** Runs `work` unless a call with the same key is running; then answers with that call's outcome. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#inFlight.get(key);
    // Same key means same procedure and same request fingerprint (see idempotently), so the same T.
    if (running) return running as Promise<T>;
    const execution = work().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, execution);
    return execution;
  }

  /** How many distinct calls are running (for tests). */
  get size(): number {
    return this.#inFlight.size;
  }
}
