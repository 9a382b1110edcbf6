/**
 * A value a beforeAll assigns, as its afterAll sees it. afterAll runs even when beforeAll failed before the
 * assignment, so the `let` the tests read as assigned may still be undefined there:
 *
 *   afterAll(() => ifSetUp(service)?.shutdown());
 */
export function ifSetUp<T>(value: T): T | undefined {
  return value;
}
