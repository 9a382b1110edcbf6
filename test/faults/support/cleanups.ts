import { afterEach } from "vitest";
import { scaled } from "./slowness.js";

type Cleanup = () => unknown;

/**
 * Registers an afterEach that undoes, newest first, what a scenario started (services, servers,
 * pools), even when the scenario failed half-way. Every step runs; the first error is rethrown.
 */
export function useCleanups(): (cleanup: Cleanup) => void {
  const stack: Cleanup[] = [];
  afterEach(async () => {
    let first: { error: unknown } | undefined;
    while (stack.length > 0) {
      try {
        await stack.pop()?.();
      } catch (error) {
        first ??= { error };
      }
    }
    if (first) throw first.error;
  }, scaled(120_000));
  return (cleanup) => stack.push(cleanup);
}
