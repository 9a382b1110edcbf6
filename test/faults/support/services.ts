import { readFileSync } from "node:fs";
import { ServiceProcess, type StartOptions } from "../../support/service-process.js";
import { scaled } from "./slowness.js";

/**
 * Orderspine as its own OS process, started exactly as `npm start` starts it (compiled, with its node flags: the
 * heap ceiling included), as every scenario runs it. build-service.ts compiles it before the suite. Its shutdown
 * grace is 10 s on an idle machine, scaled by the run's slowness. `nodeArguments` go before npm start's own
 * (the long profile's heap probe).
 */
export function startService(
  env: Record<string, string> = {},
  options: Pick<StartOptions, "nodeArguments"> = {},
): Promise<ServiceProcess> {
  return ServiceProcess.start(
    { SHUTDOWN_GRACE_MS: String(scaled(10_000)), ...env },
    { compiled: true, nodeArguments: options.nodeArguments },
  );
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs` (20 s, scaled); resolves with the exit code. */
export async function stopService(service: ServiceProcess, graceMs = scaled(20_000)): Promise<number | null> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return service.child.exitCode;
  const timer = setTimeout(() => service.kill("SIGKILL"), graceMs);
  service.kill("SIGTERM");
  try {
    return await service.exited();
  } finally {
    clearTimeout(timer);
  }
}

export function isRunning(service: ServiceProcess): boolean {
  return service.child.exitCode === null && service.child.signalCode === null;
}

/** Resident memory of the service process, from /proc (Linux). */
export function rssMb(service: ServiceProcess): number {
  const status = readFileSync(`/proc/${service.child.pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/**
 * What the service reports as a bug of its own: the error interceptor's "unexpected error" (a call
 * answered INTERNAL), fatal lines, and anything on stderr (uncaught errors, connect-node's "handler
 * for rpc ... failed"). Errors it logs about a dependency being down are expected in outages.
 */
export function unexpectedErrors(service: ServiceProcess): string[] {
  return service.logLines.filter(
    (line) =>
      line.includes('"msg":"unexpected error"') ||
      /"level":60\b/.test(line) ||
      (line.trim() !== "" && !line.startsWith("{") && !isNodeWarning(line)),
  );
}

/**
 * Node's own process warnings on stderr, e.g. the TimeoutOverflowWarning connect-es 2.1.1 causes by
 * arming a timer with a client's out-of-range grpc-timeout even though it rejects the call.
 */
export function isNodeWarning(line: string): boolean {
  return /^\(node:\d+\) \w*Warning: /.test(line);
}

/** Log lines at level error (50) or above: dependency outages as well as bugs. */
export function errorLogLines(service: ServiceProcess): number {
  return service.logLines.filter((line) => /"level":(50|60)\b/.test(line)).length;
}

/** Calls the service logged with the given final codes (its logging interceptor's "rpc" lines). */
export function loggedCalls(service: ServiceProcess, codes: readonly string[]): number {
  const wanted = codes.map((code) => `"code":"${code}"`);
  return service.logLines.filter((line) => line.includes('"msg":"rpc"') && wanted.some((w) => line.includes(w))).length;
}
