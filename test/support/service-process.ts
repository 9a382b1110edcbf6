import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { inject } from "vitest";
import { startArguments } from "../../scripts/start-command.js";

export interface StartOptions {
  /**
   * Run the compiled service exactly as `npm start` does (its node flags, dist/service) instead of
   * `src/main.ts` through tsx; the caller builds it first (`npm run build:service`).
   */
  compiled?: boolean;
  /** Extra node arguments, put before the service's own (e.g. `--expose-gc`, `--import <probe>`). */
  nodeArguments?: readonly string[];
}

/** Orderspine as a real OS process, for tests that signal or kill it. */
export class ServiceProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly logLines: string[],
  ) {}

  static async start(env: Record<string, string> = {}, options: StartOptions = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const serviceArguments = options.compiled ? startArguments() : ["--import", "tsx", "src/main.ts"];
    const child = spawn(process.execPath, [...(options.nodeArguments ?? []), ...serviceArguments], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: inject("databaseUrl"),
        NATS_URL: inject("natsUrl"),
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const logLines: string[] = [];
    const ready = new Promise<void>((resolve, reject) => {
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
    await ready;
    return new ServiceProcess(child, port, logLines);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
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
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
