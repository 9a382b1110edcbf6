import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * bench/results/: the recorded results the docs show (last-run.json and .svg, last-soak.json,
 * last-profile-summary.md, reads-last-run.md, sweep.md and .json, README-performance.md and README-summary.md
 * (README.md's section) rendered from them, and the
 * hand-written performance-notes.md), committed; each run's own files (result, chart, service log,
 * CPU profile) go to runs/<start time>/ below it, which git ignores.
 */
export const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));
export const RUNS_DIR = join(RESULTS_DIR, "runs");
