import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

const run = promisify(execFile);
const repo = process.cwd();

let service: TestService;
let tenant: TestTenant;
let consumer: string;

/**
 * Another Node service, in its own folder, that depends on orderspine the way `npm install
 * ../orderspine` links it, and on its own copy of connect (here: links to ours).
 */
async function createConsumer(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "orderspine-consumer-"));
  await mkdir(join(dir, "node_modules"));
  await symlink(repo, join(dir, "node_modules", "orderspine"), "dir");
  for (const scope of ["@connectrpc", "@types"])
    await symlink(join(repo, "node_modules", scope), join(dir, "node_modules", scope), "dir");
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        target: "es2023",
        strict: true,
        noEmit: true,
        types: ["node"],
        skipLibCheck: true,
      },
    }),
  );
  await copyFile(join(repo, "docs", "examples", "node-client.ts"), join(dir, "node-client.ts"));
  return dir;
}

beforeAll(async () => {
  await run("node_modules/.bin/tsc", ["-p", "tsconfig.gen.json"]);
  consumer = await createConsumer();
  service = await startTestService();
  tenant = await service.newTenant();
}, 120_000);
afterAll(async () => {
  await ifSetUp(service)?.shutdown();
  if (consumer) await rm(consumer, { recursive: true, force: true });
});

describe("the orderspine package for other Node services", () => {
  it("type-checks docs/clients.md's example against the exported declarations", async () => {
    await expect(run(join(repo, "node_modules/.bin/tsc"), ["-p", "."], { cwd: consumer })).resolves.toBeDefined();
  }, 60_000);

  it("runs the example with plain node, creating an order through the exported service definitions", async () => {
    const { stdout } = await run(process.execPath, ["node-client.ts"], {
      cwd: consumer,
      env: { ...process.env, ORDERSPINE_URL: service.url, ORDERSPINE_KEY: tenant.key, NODE_OPTIONS: "" },
    });
    expect(stdout.trim()).toBe("1001 2316.00");
  }, 60_000);

  it("exports only gen/, proto/ and package.json", async () => {
    const attempt = run(process.execPath, ["--input-type=module", "-e", 'await import("orderspine/src/app.js")'], {
      cwd: consumer,
    });
    await expect(attempt).rejects.toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
