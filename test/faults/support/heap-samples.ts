import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { waitFor } from "../../support/wait-for.js";
import type { ServiceProcess } from "../../support/service-process.js";
import { scaled } from "./slowness.js";

/** One sample of heap-probe.mjs: the service's memory right after a forced full GC. */
export interface HeapSample {
  n: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  gcMs: number;
  snapshot?: { file: string; bytes: number; ms: number };
}

const PROBE = resolve(import.meta.dirname, "heap-probe.mjs");

/**
 * The service's V8 heap over a run (the long profile): heap-probe.mjs is preloaded into it, and each
 * sample() makes it collect garbage and report the heap used after that, the live set a leak would grow;
 * samples listed in `snapshotAt` also write a heap snapshot, to compare in Chrome DevTools.
 */
export class HeapSamples {
  readonly samples: HeapSample[] = [];
  #chain: Promise<void> = Promise.resolve();
  #service: ServiceProcess | undefined;

  constructor(
    readonly dir: string,
    private readonly snapshotAt: readonly number[],
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** A folder under test-results/ (not in git) for this run's samples and snapshots. */
  static inTestResults(snapshotAt: readonly number[]): HeapSamples {
    const stamp = new Date().toISOString().replaceAll(":", "-").replace(/\..*/, "");
    return new HeapSamples(resolve("test-results", "faults-heap", stamp), snapshotAt);
  }

  /** Node flags and environment that preload the probe into the service. */
  get serviceOptions(): { nodeArguments: string[]; env: Record<string, string> } {
    return {
      nodeArguments: ["--expose-gc", "--import", pathToFileURL(PROBE).href],
      env: { FAULTS_HEAP_DIR: this.dir, FAULTS_HEAP_SNAPSHOTS: this.snapshotAt.join(",") },
    };
  }

  attach(service: ServiceProcess): void {
    this.#service = service;
  }

  /** Asks for the next sample; samples are taken one after another, never two at once. */
  sample(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#take());
    return this.#chain;
  }

  /** Waits for every sample asked for. */
  settled(): Promise<void> {
    return this.#chain;
  }

  async #take(): Promise<void> {
    const service = this.#service;
    if (!service || service.child.exitCode !== null || service.child.signalCode !== null) return;
    const wanted = this.samples.length + 1;
    service.kill("SIGUSR2");
    // A snapshot of a few hundred megabytes takes seconds, more on a loaded machine.
    await waitFor(`heap sample ${wanted - 1} of the service`, () => this.#read().length >= wanted, scaled(180_000));
    this.samples.splice(0, this.samples.length, ...this.#read());
  }

  #read(): HeapSample[] {
    const file = join(this.dir, "samples.jsonl");
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as HeapSample);
  }
}
