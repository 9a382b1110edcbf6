import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
  type EmbeddedPostgresLogger,
} from "../../../src/platform/config/embedded-postgres.js";
import { freePort } from "../../support/service-process.js";

/** fast: SIGINT, open transactions are rolled back and clients told (57P01). immediate: SIGQUIT, a crash and WAL recovery. */
export type PostgresStop = "fast" | "immediate";

const quiet: EmbeddedPostgresLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

/**
 * A PostgreSQL of the scenario's own (the embedded-postgres binaries, on its own port and data
 * directory) that it can stop and start again while the service keeps running against it; the
 * shared server on 5432 is never touched.
 */
export class RestartablePostgres {
  #handle: EmbeddedPostgresHandle | null = null;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<RestartablePostgres> {
    const workDir = await mkdtemp(join(tmpdir(), "orderspine-faults-pg-"));
    // As root the server runs as the OS user postgres, which must be able to enter the (0700) temp dir.
    await chmod(workDir, 0o755);
    const server = new RestartablePostgres(join(workDir, "data"), await freePort());
    await server.startAgain();
    return server;
  }

  get databaseUrl(): string {
    if (this.#handle === null) throw new Error("PostgreSQL is not running");
    return this.#handle.databaseUrl;
  }

  async startAgain(): Promise<void> {
    this.#handle = await startEmbeddedPostgres({ dataDir: this.dataDir, port: this.port, logger: quiet });
  }

  async stop(mode: PostgresStop): Promise<void> {
    const handle = this.#handle;
    if (handle === null) return;
    if (mode === "immediate") {
      const pid = Number.parseInt(
        (await readFile(join(this.dataDir, "postmaster.pid"), "utf8")).split("\n")[0] ?? "",
        10,
      );
      process.kill(pid, "SIGQUIT");
    }
    // Also after SIGQUIT: stop() is what lets embedded-postgres forget the process, and the SIGINT it
    // sends is ignored by a server already in immediate shutdown.
    await handle.stop();
    this.#handle = null;
  }

  async dispose(): Promise<void> {
    await this.stop("fast");
    await rm(join(this.dataDir, ".."), { recursive: true, force: true });
  }
}
