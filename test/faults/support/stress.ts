import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg, setPriority } from "node:os";
import pg from "pg";
import type { RunLoad } from "./slowness.js";

/**
 * FAULTS_STRESS=1: the load of a busy machine, made on purpose. One busy-looping process per core at
 * nice 19, for the whole run: the suite's own processes (nice 0) still get the CPU they ask for within
 * this session, but everything outside it — PostgreSQL and NATS among them, each in its own scheduling
 * group — shares every core with the burners, as it would with other people's work.
 */
export interface CpuBurners {
  pids: number[];
  stop(): void;
}

/**
 * Each burner spins in slices of 100 ms and exits as soon as its parent is gone (its parent pid
 * changes when it is re-parented), so a crashed or killed test runner leaves no burner behind.
 */
const BURNER = `
const parent = process.ppid;
for (;;) {
  const until = Date.now() + 100;
  while (Date.now() < until);
  if (process.ppid !== parent) process.exit(0);
}`;

export function startCpuBurners(count = availableParallelism()): CpuBurners {
  const children: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, ["-e", BURNER], { stdio: "ignore" });
    if (child.pid !== undefined) setPriority(child.pid, 19);
    // Never what keeps the runner alive: when it exits, each burner sees its parent gone and exits too.
    child.unref();
    children.push(child);
  }
  const stop = (): void => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  // Also when the runner exits without running its teardown (an uncaught error, process.exit).
  process.once("exit", stop);
  return { pids: children.flatMap((c) => (c.pid === undefined ? [] : [c.pid])), stop };
}

/** A fixed CPU workload of about 100 ms on an idle core, timed three times in one process (after a warm-up). */
const CPU_PROBE = `
function work() { let x = 0; for (let i = 0; i < 5e6; i++) x = (x + i * i) % 1000003; return x; }
work();
const samples = [];
for (let r = 0; r < 3; r++) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  work();
  const used = process.cpuUsage(cpu);
  samples.push([performance.now() - start, (used.user + used.system) / 1000]);
}
console.log(JSON.stringify(samples));`;

/** [wall ms, cpu ms] of the CPU probe, run on every core at once. */
async function cpuSamples(parallel: number): Promise<[number, number][]> {
  const runs = Array.from(
    { length: parallel },
    () =>
      new Promise<[number, number][]>((resolve, reject) => {
        const child = spawn(process.execPath, ["-e", CPU_PROBE], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.once("error", reject);
        child.once("exit", (code) =>
          code === 0 ? resolve(JSON.parse(out) as [number, number][]) : reject(new Error(`cpu probe exited ${code}`)),
        );
      }),
  );
  return (await Promise.all(runs)).flat();
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (ms) a process has used, from /proc; undefined where it cannot be read (another host or namespace). */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * [wall ms, cpu ms] of a fixed query (about 300 ms of one backend's CPU), run three times on `parallel`
 * connections at once; the backend's CPU time comes from /proc, so PostgreSQL must run on this machine.
 */
async function databaseSamples(databaseUrl: string, parallel: number): Promise<[number, number][]> {
  const runs = Array.from({ length: parallel }, async () => {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
      const pid = rows[0]?.pid ?? 0;
      const samples: [number, number][] = [];
      for (let r = 0; r < 3; r++) {
        const cpuBefore = processCpuMs(pid);
        const start = performance.now();
        await client.query("select sum(x) from generate_series(1, 2000000) x");
        const wall = performance.now() - start;
        const cpuAfter = processCpuMs(pid);
        if (cpuBefore === undefined || cpuAfter === undefined) return [];
        samples.push([wall, cpuAfter - cpuBefore]);
      }
      return samples;
    } finally {
      await client.end();
    }
  });
  return (await Promise.all(runs)).flat();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Wall time over CPU time of a workload run on every core at once: 1 when each run had a core to itself,
 * 2 when it got half of one. The median of the ratios, so one unlucky run does not decide.
 */
function factor(samples: readonly [number, number][]): number {
  const ratios = samples.filter(([, cpu]) => cpu > 0).map(([wall, cpu]) => wall / cpu);
  return ratios.length === 0 ? 0 : Math.round(median(ratios) * 100) / 100;
}

/**
 * Measures how much slower than an idle machine this one is now, for the suite's two kinds of work: its
 * own processes (tests, service, NATS) and PostgreSQL. Both factors compare a workload's wall time with
 * its own CPU time, so neither needs a reference measured on another machine or another day.
 */
export async function measureLoad(databaseUrl: string, stress: CpuBurners | undefined): Promise<RunLoad> {
  const cores = availableParallelism();
  const cpuFactor = factor(await cpuSamples(cores));
  const databaseFactor = factor(await databaseSamples(databaseUrl, cores).catch(() => []));
  const slowness = Math.min(8, Math.max(1, cpuFactor, databaseFactor));
  return {
    stressed: stress !== undefined,
    burners: stress?.pids.length ?? 0,
    slowness: Math.round(slowness * 10) / 10,
    cpuFactor,
    databaseFactor,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function stressRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.FAULTS_STRESS ?? "";
  if (value === "" || value === "0") return false;
  if (value === "1") return true;
  throw new Error(`FAULTS_STRESS must be 1 or 0, got "${value}"`);
}
