import { inject } from "vitest";

/** How loaded the machine was when the fault suite started (measured once, in its global setup: stress.ts). */
export interface RunLoad {
  /** FAULTS_STRESS=1: a busy-looping process at nice 19 on every core for the whole run. */
  stressed: boolean;
  burners: number;
  /**
   * How many times longer than on an idle machine the suite's work takes now: the larger of the CPU and
   * database factors, at least 1. Every scenario's timeout, deadline and wait is multiplied by it.
   */
  slowness: number;
  /** Wall time of a fixed CPU workload run on every core at once, over its CPU time. */
  cpuFactor: number;
  /** The same for a fixed query run on as many PostgreSQL connections at once (0 when not measurable). */
  databaseFactor: number;
  /** 1-minute load average when the factors were measured. */
  loadAverage: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Provided by the fault suite's global setup only. */
    faultsLoad?: RunLoad;
  }
}

const IDLE: RunLoad = { stressed: false, burners: 0, slowness: 1, cpuFactor: 1, databaseFactor: 0, loadAverage: 0 };

/** The run's load; outside the fault suite (nothing provided) an idle machine. */
export function runLoad(): RunLoad {
  try {
    return inject("faultsLoad") ?? IDLE;
  } catch {
    return IDLE;
  }
}

/**
 * A duration tuned on an idle machine, stretched by the measured slowness: the one place where scenario
 * timeouts, deadlines and waits meet the load. What a scenario checks (losses, duplicates, integrity)
 * never changes with it; only how long it is willing to wait does.
 */
export function scaled(ms: number): number {
  return Math.ceil(ms * runLoad().slowness);
}

/** The longest deadline the service accepts from a client (its MAX_TIMEOUT_MS, 60 s by default). */
export const SERVICE_MAX_DEADLINE_MS = 60_000;

/**
 * A client deadline sent to the service (grpc-timeout, connect-timeout-ms): scaled like every wait, but never
 * beyond what the service accepts, which would turn the call into INVALID_ARGUMENT.
 */
export function scaledDeadline(ms: number): number {
  return Math.min(scaled(ms), SERVICE_MAX_DEADLINE_MS);
}
