import { describe, expect, it } from "vitest";
import { SingleFlight } from "../../../src/platform/idempotency/single-flight.js";

/** A promise and the functions that settle it, so a test decides when "work" finishes. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("SingleFlight", () => {
  it("runs one execution for concurrent calls with one key and gives every caller its answer", async () => {
    const flights = new SingleFlight();
    const gate = deferred<string>();
    let runs = 0;
    const work = () => {
      runs += 1;
      return gate.promise;
    };
    const answers = Promise.all(Array.from({ length: 5 }, () => flights.run("k", work)));
    expect(flights.size).toBe(1);
    gate.resolve("answer");
    expect(await answers).toEqual(["answer", "answer", "answer", "answer", "answer"]);
    expect(runs).toBe(1);
  });

  it("shares a failure with every waiting caller", async () => {
    const flights = new SingleFlight();
    const gate = deferred<string>();
    const calls = [flights.run("k", () => gate.promise), flights.run("k", () => gate.promise)];
    gate.reject(new Error("database busy"));
    for (const call of calls) await expect(call).rejects.toThrow("database busy");
  });

  it("runs calls with different keys independently", async () => {
    const flights = new SingleFlight();
    let runs = 0;
    const work = () => Promise.resolve(++runs);
    expect(await Promise.all([flights.run("a", work), flights.run("b", work)])).toEqual([1, 2]);
  });

  it("forgets a key once its execution settled, so a later call runs again", async () => {
    const flights = new SingleFlight();
    let runs = 0;
    await flights.run("k", () => Promise.resolve(++runs));
    await flights.run("k", () => Promise.reject(new Error("no"))).catch(() => undefined);
    expect(flights.size).toBe(0);
    expect(await flights.run("k", () => Promise.resolve(++runs))).toBe(2);
  });
});
