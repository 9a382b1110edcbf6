/**
 * When a failed delivery is tried again (docs/webhooks.md, "Retries"): exponential backoff with full jitter.
 * After the n-th failed attempt the next one waits a uniformly random time between 0 and
 * min(maxDelayMs, baseMs x 2^(n-1)), so retries of many deliveries spread out instead of hitting a recovering
 * receiver together; a delivery is retried while its last failure is less than `horizonMs` after it was queued,
 * then it is FAILED. An endpoint whose attempts have failed for `disableAfterMs` without a success is disabled.
 */
export interface RetryPolicy {
  /** The cap of the first retry's delay; doubled per failure. */
  readonly baseMs: number;
  /** The cap of any one delay. */
  readonly maxDelayMs: number;
  /** How long after it was queued a delivery is still retried. */
  readonly horizonMs: number;
  /** How long an endpoint's attempts may fail without a success before it is disabled. */
  readonly disableAfterMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The production schedule: delays capped at 1 min, 2 min, 4 min, ... up to 4 h; 3 days of retries; disabled after 5 days. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: MINUTE,
  maxDelayMs: 4 * HOUR,
  horizonMs: 3 * DAY,
  disableAfterMs: 5 * DAY,
};

/** The upper bound of the wait after `failures` failed attempts (1 = the first): baseMs x 2^(failures-1), capped. */
export function retryDelayCapMs(failures: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(0, failures - 1), 52);
  return Math.min(policy.maxDelayMs, policy.baseMs * 2 ** exponent);
}

/** The wait after `failures` failed attempts: full jitter, uniform in [0, retryDelayCapMs]. */
export function retryDelayMs(failures: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * retryDelayCapMs(failures, policy));
}

/**
 * After the `failures`-th failed attempt at `now` of a delivery queued at `queuedAt`: when to try again, or null
 * to give up (the horizon has passed).
 */
export function nextAttemptAfterFailure(
  failures: number,
  queuedAt: Date,
  now: Date,
  policy: RetryPolicy,
  random: () => number = Math.random,
): Date | null {
  if (now.getTime() - queuedAt.getTime() >= policy.horizonMs) return null;
  return new Date(now.getTime() + retryDelayMs(failures, policy, random));
}

/** Whether an endpoint failing since `failingSince` (its first failure after the last success) is disabled at `now`. */
export function shouldDisableEndpoint(failingSince: Date, now: Date, policy: RetryPolicy): boolean {
  return now.getTime() - failingSince.getTime() >= policy.disableAfterMs;
}
