import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

const run = promisify(execFile);
const PAGE = readFileSync("docs/orders.md", "utf8");
const MARKER = "<!-- test/docs/orders.test.ts runs the command of the next block";

/** The page's curl command (continuation lines joined) and the answer it shows. */
function example(): { command: string; answer: unknown } {
  const after = PAGE.slice(PAGE.indexOf(MARKER));
  const command = /```sh\n([\s\S]*?)```/.exec(after)?.[1];
  const answer = /```json\n([\s\S]*?)```/.exec(after)?.[1];
  if (!PAGE.includes(MARKER) || !command || !answer) throw new Error("docs/orders.md has no example after the marker");
  return { command: command.replace(/\\\n\s*/g, "").trim(), answer: JSON.parse(answer) };
}

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
});
afterAll(() => ifSetUp(service)?.shutdown());

it("docs/orders.md's guest order is answered as the page shows", async () => {
  const { command, answer } = example();
  const { stdout } = await run("bash", ["-c", command.replaceAll("http://localhost:8080", service.url)], {
    env: {
      ...process.env,
      KEY: tenant.key,
      PATH: `${join(process.cwd(), "node_modules/.bin")}:${process.env.PATH ?? ""}`,
    },
  });
  // the page shows the euro sign after a space; the service answers with the no-break space Intl uses
  expect(JSON.parse(stdout.replaceAll("\u00a0", " "))).toMatchObject(answer as object);
});
