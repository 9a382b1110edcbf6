import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../support/service-process.js";

const NATS_SERVER = process.env.ORDERSPINE_NATS_SERVER ?? "/usr/sbin/nats-server";

/**
 * A nats-server with JetStream that a scenario may SIGKILL: no goodbye to clients, no flush, the way a
 * crashed or OOM-killed server goes. It comes back on the same port with the same store, so what
 * JetStream had stored (its duplicate window included) survives as it would on a real host.
 */
export class KillableNats {
  #process: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    readonly storeDir: string,
  ) {}

  static async start(): Promise<KillableNats> {
    const server = new KillableNats(await freePort(), await mkdtemp(join(tmpdir(), "orderspine-faults-nats-")));
    await server.restart();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    const child = spawn(NATS_SERVER, ["-a", "127.0.0.1", "-p", String(this.port), "-js", "-sd", this.storeDir], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.#process = child;
    await new Promise<void>((resolve, reject) => {
      let log = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("Server is ready")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`nats-server exited with ${code}: ${log}`)));
    });
  }

  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const child = this.#process;
    this.#process = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill(signal);
    await exited;
  }

  async dispose(): Promise<void> {
    await this.kill("SIGTERM");
    await rm(this.storeDir, { recursive: true, force: true });
  }
}
