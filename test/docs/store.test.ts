import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

const run = promisify(execFile);
const PAGE = readFileSync("docs/store.md", "utf8");
const MARKER = "<!-- test/docs/store.test.ts runs every command of the next block";

/** The curl commands of docs/store.md's block, continuation lines joined (the CHANNEL_ID line is the env below). */
function storeCommands(): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(PAGE.slice(PAGE.indexOf(MARKER)))?.[1];
  if (!PAGE.includes(MARKER) || !block) throw new Error("docs/store.md has no block after the marker");
  return block
    .replace(/\\\n\s*/g, "")
    .replace(/\n(?=\s+")/g, "")
    .split("\n")
    .filter((line) => line.startsWith("curl "));
}

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ role: "admin" });
});
afterAll(() => ifSetUp(service)?.shutdown());

it("docs/store.md's examples set up a market, two channels and a stock location as written", async () => {
  const commands = storeCommands();
  expect(commands).toHaveLength(6);
  const outputs: Record<string, unknown>[] = [];
  for (const command of commands) {
    const b2b = outputs[2]?.salesChannel as { id?: string } | undefined;
    const { stdout } = await run("bash", ["-c", command.replaceAll("http://localhost:8080", service.url)], {
      env: { ...process.env, KEY: tenant.key, CHANNEL_ID: b2b?.id ?? "" },
    });
    outputs.push(JSON.parse(stdout) as Record<string, unknown>);
  }
  const [market, online, b2b, location, updated, list] = outputs;
  expect(market).toMatchObject({
    market: { name: "North America", currency: "USD", countries: ["CA", "US"], defaultLocale: "en-US" },
  });
  expect(online).toMatchObject({ salesChannel: { name: "Online Store", primary: true } });
  expect(b2b).toMatchObject({ salesChannel: { name: "B2B Portal" } });
  expect(b2b?.salesChannel).not.toHaveProperty("primary");
  expect(location).toMatchObject({
    stockLocation: { name: "Newark warehouse", address: { city: "Newark", country: "US" }, active: true },
  });
  expect(updated).toMatchObject({ salesChannel: { name: "B2B Portal", primary: true } });
  expect(list).toMatchObject({
    salesChannels: [{ name: "Online Store" }, { name: "B2B Portal", primary: true }],
  });
  expect((list?.salesChannels as object[])[0]).not.toHaveProperty("primary");
});
