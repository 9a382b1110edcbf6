import { readFileSync } from "node:fs";

/** Linux's clock ticks per second for /proc CPU times (USER_HZ, 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/**
 * The process and its child processes (WORKERS > 1: the cluster primary and its workers), from /proc; the figures
 * below are of all of them together, so a clustered service counts its workers' memory and CPU.
 */
function withChildren(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return [pid, ...(children === "" ? [] : children.split(" ").map(Number))];
  } catch {
    return [pid];
  }
}

/** Resident set size of a process and its children in bytes, from /proc (undefined once it has exited). */
export function rssBytes(pid: number): number | undefined {
  const sizes = withChildren(pid).map(processRssBytes);
  return sizes[0] === undefined ? undefined : sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
}

function processRssBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU time a process and its children have used, in milliseconds. */
export function cpuMs(pid: number): number {
  return withChildren(pid).reduce((sum, each) => sum + processCpuMs(each), 0);
}

function processCpuMs(pid: number): number {
  try {
    // The command name (field 2) may contain spaces; the fields we want follow its closing ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Busy and total CPU ticks of the whole machine, summed over its cores. */
export interface MachineCpu {
  busy: number;
  total: number;
}

export function machineCpu(): MachineCpu {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total };
}

/** Fraction of the machine's CPU capacity that was busy between two snapshots (0..1). */
export function busyFraction(from: MachineCpu, to: MachineCpu): number {
  const total = to.total - from.total;
  return total > 0 ? (to.busy - from.busy) / total : 0;
}

export interface PhaseUsage {
  /** Highest RSS sampled during the phase, bytes. */
  peakRssBytes: number;
  /** RSS at the end of the phase, bytes. */
  endRssBytes: number;
  /** CPU time the process used during the phase, ms. */
  cpuMs: number;
  /** Share of the machine's CPU (all cores) that was busy, 0..1. */
  machineBusy: number;
}

/**
 * Samples a process's RSS a few times a second so a phase can report its peak; CPU comes from the
 * kernel's counters at the phase's start and end, which is exact.
 */
export class ProcessMonitor {
  readonly #timer: NodeJS.Timeout;
  #phasePeak = 0;

  constructor(
    readonly pid: number,
    sampleEveryMs = 200,
  ) {
    this.#timer = setInterval(() => this.#sample(), sampleEveryMs);
    this.#timer.unref();
  }

  /** Starts a phase; calling the returned function ends it and returns its figures. */
  phase(): () => PhaseUsage {
    const cpuAtStart = cpuMs(this.pid);
    const machineAtStart = machineCpu();
    this.#phasePeak = rssBytes(this.pid) ?? 0;
    return () => {
      this.#sample();
      return {
        peakRssBytes: this.#phasePeak,
        endRssBytes: rssBytes(this.pid) ?? 0,
        cpuMs: cpuMs(this.pid) - cpuAtStart,
        machineBusy: busyFraction(machineAtStart, machineCpu()),
      };
    };
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #sample(): void {
    const rss = rssBytes(this.pid);
    if (rss !== undefined && rss > this.#phasePeak) this.#phasePeak = rss;
  }
}
