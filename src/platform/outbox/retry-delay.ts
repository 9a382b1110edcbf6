export interface RetryDelayOptions {
  /** Delay after the first failure, before jitter. */
  readonly initialMs: number;
  /** Upper bound of the exponential part. */
  readonly maxMs: number;
}

/**
 * How long to wait before trying again after `failures` consecutive failures (1 = the first failure): capped
 * exponential backoff with "equal jitter". Half of the delay is fixed so a flapping server is never hammered; the
 * other half is random so several relay replicas, and the rows of one failed batch, do not retry in lockstep.
 */
export function retryDelayMs(failures: number, options: RetryDelayOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, failures - 1);
  const capped = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(capped / 2 + (random() * capped) / 2);
}
