import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { startArguments } from "../../scripts/start-command.js";
import { freePort } from "./ports.js";

/** Kept for the callers that import it from here; ports.ts is its home. */
export { freePort };

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface StartOptions {
  /**
   * Run the compiled service exactly as `npm start` does (its node flags, dist/service) instead of
   * `src/main.ts` through tsx; the caller builds it first (`npm run build:service`).
   */
  compiled?: boolean;
  /** Extra node arguments, put before the service's own (e.g. `--expose-gc`, `--import <probe>`, `--cpu-prof`). */
  nodeArguments?: readonly string[];
  /** DATABASE_URL; by default the test run's database (vitest's `inject("databaseUrl")`). */
  databaseUrl?: string;
  /** NATS_URL; by default the test run's NATS (vitest's `inject("natsUrl")`). */
  natsUrl?: string;
  /**
   * Send stdout and stderr straight to this file, and count the service ready when its port accepts
   * connections (at any LOG_LEVEL). Without it the log is read line by line into `logLines` and the service
   * is ready at its "orderspine ready" line; the bench uses a file, since piping the log through the load
   * generator would spend its CPU.
   */
  logFile?: string;
  /** How long a service logging to `logFile` has to become ready (default 60 s). */
  readyTimeoutMs?: number;
}

/**
 * Orderspine as a real OS process, for tests that signal or kill it and for the bench, which reads its RSS and
 * CPU from /proc. The one helper both use: it imports vitest only when a test leaves the URLs to the run.
 */
export class ServiceProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    /** The service's log lines (stdout and stderr); empty when it logs to a file. */
    readonly logLines: string[],
    readonly logFile: string | undefined,
  ) {}

  /** `env` goes over process.env and the service's PORT, HOST, DATABASE_URL and NATS_URL. */
  static async start(env: Record<string, string> = {}, options: StartOptions = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const serviceArguments = options.compiled ? startArguments() : ["--import", "tsx", "src/main.ts"];
    const { logFile } = options;
    const log = logFile === undefined ? undefined : openSync(logFile, "w");
    const child = spawn(process.execPath, [...(options.nodeArguments ?? []), ...serviceArguments], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: options.databaseUrl ?? (await injected("databaseUrl")),
        NATS_URL: options.natsUrl ?? (await injected("natsUrl")),
        // Off unless a caller turns it on (with a WEBHOOK_CONSUMER of its own): a dispatcher reading the shared
        // NATS streams under the default consumer name would take other runs' events (see testWebhookConfig).
        WEBHOOK_DISPATCHER: "false",
        ...env,
      },
      stdio: log === undefined ? ["ignore", "pipe", "pipe"] : ["ignore", log, log],
    });
    if (log !== undefined) closeSync(log);
    const service = new ServiceProcess(child, port, [], logFile);
    if (logFile === undefined) await service.#readLog();
    else await service.#waitForPort(options.readyTimeoutMs ?? 60_000);
    return service;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error("service process has no pid");
    return pid;
  }

  /** Resolves with the exit code. */
  async exited(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const [code] = (await once(this.child, "exit")) as [number | null];
    return code;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM, SIGKILL if it has not exited after `timeoutMs`; resolves with the exit code (--cpu-prof writes its file on exit). */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = once(this.child, "exit") as Promise<[number | null]>;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const [code] = await exited;
    clearTimeout(timer);
    return code;
  }

  /** Collects the log into `logLines`; resolves at the "orderspine ready" line, rejects if the service exits first. */
  #readLog(): Promise<void> {
    const { child, logLines } = this;
    return new Promise<void>((resolve, reject) => {
      let buffered = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          logLines.push(line);
          if (line.includes('"msg":"orderspine ready"')) resolve();
        }
      });
      child.stderr?.on("data", (chunk: Buffer) => logLines.push(chunk.toString()));
      child.once("exit", (code) =>
        reject(new Error(`service exited with ${code} before ready:\n${logLines.join("\n")}`)),
      );
    });
  }

  /** The service binds its port last, after migrating and wiring everything. */
  async #waitForPort(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`service exited with ${this.child.exitCode}; see ${this.logFile}`);
      if (await accepts(this.port)) return;
      await sleep(100);
    }
    this.child.kill("SIGKILL");
    throw new Error(`service not ready after ${timeoutMs} ms; see ${this.logFile}`);
  }
}

/** The test run's database or NATS URL; vitest is imported here only, so the bench never loads it. */
async function injected(key: "databaseUrl" | "natsUrl"): Promise<string> {
  const { inject } = await import("vitest");
  return inject(key);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
