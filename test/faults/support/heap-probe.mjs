// Preloaded into the service (`node --expose-gc --import <this file>`) by the fault suite's long profile, and
// nowhere else. On SIGUSR2 it collects garbage (a full, synchronous GC), then appends one line to
// $FAULTS_HEAP_DIR/samples.jsonl: the heap used after that GC and the resident set; on the samples listed in
// $FAULTS_HEAP_SNAPSHOTS (their numbers, from 0) it also writes a heap snapshot there. It changes nothing
// else in the service; without FAULTS_HEAP_DIR it does nothing at all.
import { appendFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { writeHeapSnapshot } from "node:v8";

const dir = process.env.FAULTS_HEAP_DIR;
const snapshotAt = new Set((process.env.FAULTS_HEAP_SNAPSHOTS ?? "").split(",").filter(Boolean).map(Number));
let next = 0;

if (dir) {
  process.on("SIGUSR2", () => {
    const n = next++;
    const gcStart = performance.now();
    globalThis.gc?.();
    const gcMs = performance.now() - gcStart;
    const memory = process.memoryUsage();
    const sample = {
      n,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      gcMs: Math.round(gcMs),
    };
    if (snapshotAt.has(n)) {
      const snapshotStart = performance.now();
      const file = writeHeapSnapshot(join(dir, `heap-${String(n).padStart(2, "0")}.heapsnapshot`));
      sample.snapshot = { file, bytes: statSync(file).size, ms: Math.round(performance.now() - snapshotStart) };
    }
    appendFileSync(join(dir, "samples.jsonl"), `${JSON.stringify(sample)}\n`);
  });
}
