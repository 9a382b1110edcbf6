/**
 * The wait between two rounds of a background loop (the outbox relay, the webhook worker, stream consumers): for
 * a time, cut short by the loop's stop signal and, when the wait is wakeable, by wake(). A wake() that comes while
 * a round runs is kept, so the next wakeable wait returns at once and nothing signalled meanwhile waits a poll.
 */
export class LoopPause {
  readonly #stop: AbortSignal;
  #wakeRequested = false;
  #wakeUp: (() => void) | null = null;

  constructor(stop: AbortSignal) {
    this.#stop = stop;
  }

  /** A round starts: it will see what was signalled so far, so earlier wake-ups are spent. */
  newRound(): void {
    this.#wakeRequested = false;
  }

  wake(): void {
    this.#wakeRequested = true;
    this.#wakeUp?.();
  }

  /** Waits for `ms`, for the stop signal and, if `wakeable`, for wake(). */
  wait(ms: number, wakeable: boolean): Promise<void> {
    if (this.#stop.aborted || (wakeable && this.#wakeRequested)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wakeUp = null;
        this.#stop.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#stop.addEventListener("abort", done);
      if (wakeable) this.#wakeUp = done;
    });
  }
}
