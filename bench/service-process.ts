import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { startArguments } from "../scripts/start-command.js";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface ServiceOptions {
  databaseUrl: string;
  natsUrl: string;
  poolMax: number;
  logLevel: string;
  /** Where the service's stdout and stderr go (its JSON log). */
  logFile: string;
  /** When set, the service runs with --cpu-prof and writes its profile here on exit. */
  cpuProfileDir?: string;
  /** Extra flags for the service's node (e.g. V8 heap sizing), before `--import tsx`. */
  nodeFlags?: string[];
  extraEnv?: Record<string, string>;
}

/**
 * Orderspine exactly as `npm start` runs it (see startArguments), as its own OS process so its
 * RSS and CPU can be read from /proc and a profile taken with --cpu-prof.
 */
export class ServiceProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly logFile: string,
  ) {}

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error("service process has no pid");
    return pid;
  }

  static async start(options: ServiceOptions): Promise<ServiceProcess> {
    const port = await freePort();
    const nodeFlags = [
      ...(options.nodeFlags ?? []),
      ...(options.cpuProfileDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir] : []),
    ];
    const log = openSync(options.logFile, "w");
    const child = spawn(process.execPath, [...nodeFlags, ...startArguments()], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: options.databaseUrl,
        NATS_URL: options.natsUrl,
        DATABASE_POOL_MAX: String(options.poolMax),
        LOG_LEVEL: options.logLevel,
        ...options.extraEnv,
      },
      // Straight to a file: piping the log through this process would spend the load generator's CPU.
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    const service = new ServiceProcess(child, `http://127.0.0.1:${port}`, options.logFile);
    await service.#waitReady(port, 60_000);
    return service;
  }

  /** SIGTERM and wait for the graceful exit (which is also when --cpu-prof writes its file). */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = once(this.child, "exit") as Promise<[number | null]>;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const [code] = await exited;
    clearTimeout(timer);
    return code;
  }

  /**
   * Ready when the port accepts connections: the service binds it last, after migrating and
   * wiring everything, and this works at every LOG_LEVEL (the "orderspine ready" line is info).
   */
  async #waitReady(port: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`service exited with ${this.child.exitCode}; see ${this.logFile}`);
      if (await accepts(port)) return;
      await sleep(100);
    }
    this.child.kill("SIGKILL");
    throw new Error(`service not ready after ${timeoutMs} ms; see ${this.logFile}`);
  }
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

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no TCP port assigned");
  return address.port;
}
