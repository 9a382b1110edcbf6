import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { startArguments } from "../scripts/start-command.js";
import { freePort } from "./support/ports.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("npm start with nothing configured", () => {
  it("runs the compiled service on an embedded PostgreSQL, prints a curl that creates the seed 000 order, serves the console", async () => {
    // What `npm start` does: build (prestart), then run node with the start script's arguments.
    await promisify(execFile)(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"]);
    const dir = await mkdtemp(join(tmpdir(), "orderspine-start-"));
    await chmod(dir, 0o755); // the embedded server runs as the OS user postgres when we are root
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const port = await freePort();
    const child = spawn(process.execPath, startArguments(), {
      env: {
        ...process.env,
        DATABASE_URL: "",
        PORT: String(port),
        ORDERSPINE_EMBEDDED_PG_DIR: join(dir, "data", "postgres"),
        ORDERSPINE_EMBEDDED_PG_PORT: String(await freePort()),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    });

    let output = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready banner:\n${output}`)), 60_000);
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Create a customer and an order:") && output.includes("}'\n")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    });
    expect(output).toContain(`Orderspine is ready on http://localhost:${port}`);

    // Paste the printed commands into a shell, exactly as a newcomer would.
    const snippet = output.slice(output.indexOf("  KEY="), output.lastIndexOf("}'") + 2);
    const { stdout } = await promisify(execFile)("bash", ["-c", snippet]);
    const { order } = JSON.parse(stdout) as { order: Record<string, unknown> };
    expect(order).toMatchObject({
      status: "ORDER_STATUS_PLACED",
      subtotal: "2316.00",
      total: "2316.00",
      orderNumber: "1001",
    });

    // The compiled service finds the web console (or its "not built" page) from dist/ too.
    const page = await fetch(`http://localhost:${port}/`);
    expect(page.status).toBe(200);
    const builtIndex = join("web", "dist", "index.html");
    if (existsSync(builtIndex)) expect(await page.text()).toBe(await readFile(builtIndex, "utf8"));
    else expect(await page.text()).toContain("npm run build:web");

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 120_000);
});
