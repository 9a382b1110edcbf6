import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../../src/platform/outbox/retry-delay.js";

const options = { initialMs: 1000, maxMs: 30_000 };

describe("retryDelayMs", () => {
  it("doubles per failure, between half and all of the exponential delay", () => {
    expect(retryDelayMs(1, options, () => 0)).toBe(500);
    expect(retryDelayMs(1, options, () => 1)).toBe(1000);
    expect(retryDelayMs(2, options, () => 0)).toBe(1000);
    expect(retryDelayMs(3, options, () => 1)).toBe(4000);
  });

  it("never exceeds the cap, even after very many failures", () => {
    expect(retryDelayMs(6, options, () => 1)).toBe(30_000);
    expect(retryDelayMs(10_000, options, () => 1)).toBe(30_000);
    expect(retryDelayMs(10_000, options, () => 0)).toBe(15_000);
  });

  it("spreads retries with random jitter", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(4, options)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(4000);
      expect(delay).toBeLessThanOrEqual(8000);
    }
  });
});
