import { setImmediate as yieldToEventLoop, setTimeout as sleep } from "node:timers/promises";
import { ConnectError, Code } from "@connectrpc/connect";

/** One unit of work the generator repeats: an RPC, or the baseline's transaction. */
export type Call = () => Promise<unknown>;

export interface LoadOptions {
  /** Calls in flight at every moment (closed loop: each worker starts its next call when the last ends). */
  concurrency: number;
  /** Calls run but are not recorded, so JIT, pools and connections are warm when measuring starts. */
  warmupMs: number;
  durationMs: number;
  /** Length of a reporting window (soak mode); one window spans the whole duration by default. */
  windowMs?: number;
  /** Called when warm-up ends and recording starts. */
  onMeasureStart?: () => void;
  /** Called as each window closes, before the next one's figures are complete. */
  onWindow?: (window: LoadWindow) => void;
}

export interface LoadWindow {
  index: number;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  /** Latencies (ms) of the calls that succeeded in this window. */
  latencies: number[];
  errors: number;
  /** Errors by gRPC code name (or message for non-RPC failures). */
  errorKinds: Record<string, number>;
}

/**
 * Closed-loop load: `concurrency` workers call back to back for warm-up plus duration. A call is
 * counted in the window in which it completes, so every window's rate is completions / length.
 */
export async function runLoad(call: Call, options: LoadOptions): Promise<LoadWindow[]> {
  const windowMs = options.windowMs ?? options.durationMs;
  const windowCount = Math.max(1, Math.ceil(options.durationMs / windowMs));
  const origin = performance.now();
  const epochOrigin = Date.now();
  const measureFrom = origin + options.warmupMs;
  const measureUntil = measureFrom + options.durationMs;
  const windows: LoadWindow[] = Array.from({ length: windowCount }, (_, index) => ({
    index,
    startedAt: epochOrigin + options.warmupMs + index * windowMs,
    durationMs: Math.min(windowMs, options.durationMs - index * windowMs),
    latencies: [],
    errors: 0,
    errorKinds: {},
  }));
  const windowAt = (now: number): LoadWindow | undefined =>
    now < measureFrom || now >= measureUntil ? undefined : windows[Math.floor((now - measureFrom) / windowMs)];

  const worker = async (): Promise<void> => {
    while (performance.now() < measureUntil) {
      const started = performance.now();
      try {
        await call();
        const ended = performance.now();
        windowAt(ended)?.latencies.push(ended - started);
      } catch (error) {
        const window = windowAt(performance.now());
        if (window) {
          window.errors += 1;
          const kind = errorKind(error);
          window.errorKinds[kind] = (window.errorKinds[kind] ?? 0) + 1;
        }
        // A call that fails at once (service gone) must not starve timers and I/O.
        await yieldToEventLoop();
      }
    }
  };
  const reporter = async (): Promise<void> => {
    await sleep(Math.max(0, measureFrom - performance.now()));
    options.onMeasureStart?.();
    for (const window of windows) {
      const closesAt = measureFrom + window.index * windowMs + window.durationMs;
      await sleep(Math.max(0, closesAt - performance.now()));
      options.onWindow?.(window);
    }
  };
  await Promise.all([reporter(), ...Array.from({ length: options.concurrency }, worker)]);
  return windows;
}

function errorKind(error: unknown): string {
  if (error instanceof ConnectError) {
    // A plain number: it came over the wire, and Code may have no name for it.
    const code: number = error.code;
    return Code[code] ?? String(code);
  }
  return error instanceof Error ? error.message.slice(0, 80) : String(error);
}
