import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_POLICY,
  nextAttemptAfterFailure,
  retryDelayCapMs,
  retryDelayMs,
  shouldDisableEndpoint,
} from "../../../src/webhooks/rules/retry-schedule.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("the retry schedule", () => {
  it("caps the n-th delay at 1, 2, 4, ... minutes, then at 4 hours (the table in docs/webhooks.md)", () => {
    const caps = Array.from({ length: 11 }, (_, i) => retryDelayCapMs(i + 1, DEFAULT_RETRY_POLICY) / MINUTE);
    expect(caps).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 240, 240, 240]);
  });

  it("draws every delay uniformly between 0 and its cap (full jitter)", () => {
    expect(retryDelayMs(3, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
    expect(retryDelayMs(3, DEFAULT_RETRY_POLICY, () => 0.5)).toBe(2 * MINUTE);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const delay = retryDelayMs(n, DEFAULT_RETRY_POLICY, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(retryDelayCapMs(n, DEFAULT_RETRY_POLICY) + 1);
          expect(retryDelayCapMs(n + 1, DEFAULT_RETRY_POLICY)).toBeGreaterThanOrEqual(
            retryDelayCapMs(n, DEFAULT_RETRY_POLICY),
          );
        },
      ),
    );
  });

  it("retries for 3 days after a delivery was queued (at least 24 h, whatever the draws), then gives up", () => {
    const queued = new Date("2026-12-01T00:00:00Z");
    // Whatever the random draws, a failing delivery keeps being retried until the horizon and never after it.
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 400, maxLength: 400 }),
        (draws) => {
          let now = queued;
          let failures = 0;
          for (const draw of draws) {
            failures += 1;
            const next = nextAttemptAfterFailure(failures, queued, now, DEFAULT_RETRY_POLICY, () => draw);
            if (next === null) {
              expect(now.getTime() - queued.getTime()).toBeGreaterThanOrEqual(3 * DAY);
              return;
            }
            expect(next.getTime()).toBeGreaterThanOrEqual(now.getTime());
            expect(next.getTime() - now.getTime()).toBeLessThanOrEqual(4 * HOUR);
            now = next;
          }
          // 400 draws of 0 move no time at all: still within the horizon, still retrying.
          expect(now.getTime() - queued.getTime()).toBeLessThan(3 * DAY);
        },
      ),
    );
    expect(nextAttemptAfterFailure(1, queued, new Date(queued.getTime() + 3 * DAY), DEFAULT_RETRY_POLICY)).toBeNull();
    expect(
      nextAttemptAfterFailure(1, queued, new Date(queued.getTime() + 3 * DAY - 1), DEFAULT_RETRY_POLICY),
    ).not.toBeNull();
  });

  it("disables an endpoint after 5 days of failures without a success", () => {
    const since = new Date("2026-12-01T00:00:00Z");
    expect(shouldDisableEndpoint(since, new Date(since.getTime() + 5 * DAY - 1), DEFAULT_RETRY_POLICY)).toBe(false);
    expect(shouldDisableEndpoint(since, new Date(since.getTime() + 5 * DAY), DEFAULT_RETRY_POLICY)).toBe(true);
  });
});
