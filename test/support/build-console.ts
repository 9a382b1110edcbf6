import { execFile } from "node:child_process";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { inject } from "vitest";

const run = promisify(execFile);

/** The lock and the note of which test run built web/dist last (test-results/ is gitignored). */
const STATE_DIR = join(process.cwd(), "test-results", "console-build");
/** Longer than any build: a lock this old was left by a run that died while building. */
const STALE_LOCK_MS = 120_000;

/**
 * Builds the console as `npm run build:web` does, once per test run, whichever console test file asks first.
 * Test files run in parallel and the service serves web/dist, so a second build must never empty that folder
 * under a page another file is loading: the builds take a lock, and a file that finds the console already built
 * for this run (the run's own database names it) uses that build.
 */
export async function buildConsoleOnce(): Promise<void> {
  const runId = inject("databaseUrl");
  const lock = join(STATE_DIR, "lock");
  const builtFor = join(STATE_DIR, "built-for");
  await mkdir(STATE_DIR, { recursive: true });
  await acquire(lock);
  try {
    if ((await readFile(builtFor, "utf8").catch(() => "")) === runId) return;
    await run("node_modules/.bin/vite", ["build", "web", "--logLevel", "warn"]);
    await writeFile(builtFor, runId);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function acquire(lock: string): Promise<void> {
  const deadline = Date.now() + 2 * STALE_LOCK_MS;
  for (;;) {
    try {
      await mkdir(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const since = await stat(lock).then(
      (held) => Date.now() - held.mtimeMs,
      () => 0,
    );
    if (since > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`the console build lock ${lock} was not released`);
    await sleep(100);
  }
}
