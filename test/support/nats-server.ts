import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";

const NATS_SERVER = process.env.ORDERSPINE_NATS_SERVER ?? "/usr/sbin/nats-server";

/** How a private server is started; each has a default of its own (a free port, a fresh temporary store). */
export interface PrivateNatsServerOptions {
  readonly port?: number;
  /** JetStream's store directory; dispose() removes it. */
  readonly storeDir?: string;
  /** More nats-server arguments, e.g. a cluster node's name, cluster listen address and routes (nats-cluster.ts). */
  readonly arguments?: readonly string[];
}

/**
 * A nats-server with JetStream owned by one test, so the test can stop and restart it without disturbing the shared
 * server other test files use. Restarts reuse the port and the store directory, like a real outage would.
 */
export class PrivateNatsServer {
  #process: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    readonly storeDir: string,
    readonly serverArguments: readonly string[],
  ) {}

  static async start(options: PrivateNatsServerOptions = {}): Promise<PrivateNatsServer> {
    const server = new PrivateNatsServer(
      options.port ?? (await freePort()),
      options.storeDir ?? (await mkdtemp(join(tmpdir(), "orderspine-nats-"))),
      options.arguments ?? [],
    );
    await server.resume();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts the server again after stop(), with the same port and store. */
  async resume(): Promise<void> {
    const child = spawn(
      NATS_SERVER,
      ["-a", "127.0.0.1", "-p", String(this.port), "-js", "-sd", this.storeDir, ...this.serverArguments],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    this.#process = child;
    await new Promise<void>((resolve, reject) => {
      let log = "";
      child.stderr.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("Server is ready")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`nats-server exited with ${code}: ${log}`)));
    });
  }

  /**
   * Stops the server: SIGTERM by default; SIGKILL for a crash (no goodbye to clients, no flush), after which the
   * store comes back as JetStream left it, its duplicate window included, as on a real host.
   */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.#process;
    this.#process = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill(signal);
    await exited;
  }

  /** Freezes the server process: connections stay open but nothing is answered, like a hung server. */
  pause(): void {
    this.#process?.kill("SIGSTOP");
  }

  unpause(): void {
    this.#process?.kill("SIGCONT");
  }

  async dispose(): Promise<void> {
    this.unpause();
    await this.stop();
    await rm(this.storeDir, { recursive: true, force: true });
  }
}
