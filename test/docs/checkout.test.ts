import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

// docs/checkout.md's examples, run as written against one tenant in the page's order: the set-up block, then each
// block whose answers the page shows (one answer, or a list with one per command).

const FILE = "docs/checkout.md";
const SET_UP = "<!-- test/docs/checkout.test.ts runs every command of the next block, in order, with an admin key -->";
const EXAMPLE = "<!-- test/docs/checkout.test.ts runs the next block (";
const PAGE = readFileSync(FILE, "utf8");

/** Each example's commands and the answers shown under it. */
function examples(): { commands: string[]; answers: unknown[] }[] {
  const found: { commands: string[]; answers: unknown[] }[] = [];
  for (let at = PAGE.indexOf(EXAMPLE); at >= 0; at = PAGE.indexOf(EXAMPLE, at + 1)) {
    const rest = PAGE.slice(at);
    // each marker line names its block, so curlCommands finds the block after this one
    const commands = curlCommands(FILE, rest.slice(0, rest.indexOf("\n")));
    const shown: unknown = JSON.parse(/```json\n([\s\S]*?)```/.exec(rest)?.[1] ?? "");
    found.push({ commands, answers: commands.length === 1 ? [shown] : (shown as unknown[]) });
  }
  return found;
}

let service: TestService;
let tenant: TestTenant;
let env: Record<string, string>;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ role: "admin" });
  const testKey = (await tenant.issueKey({ role: "admin", mode: "test" })).key;
  env = { KEY: tenant.key, TEST_KEY: testKey };
});
afterAll(() => ifSetUp(service)?.shutdown());

it("docs/checkout.md sets up the shop and every example is answered as the page shows", async () => {
  expect(PAGE.split(SET_UP)).toHaveLength(2);
  const setUp = curlCommands(FILE, SET_UP);
  expect(setUp).toHaveLength(5);
  const answers: unknown[] = [];
  for (const command of setUp) answers.push(await runCurl(command, service.url, env));
  expect(answers).toMatchObject([
    { taxZone: { displayName: "New York City" } },
    { taxSettings: { taxShipping: true } },
    { shippingMethod: { displayName: "UPS Ground" } },
    { promotion: { codes: ["SPRING10"] } },
    { giftCard: { code: "ALICE-GIFT-0001", balance: "25.00" } },
  ]);
  env.GROUND_ID = (answers[2] as { shippingMethod: { id: string } }).shippingMethod.id;

  const found = examples();
  expect(found).toHaveLength(4);
  for (const { commands, answers: shown } of found) {
    expect(commands).toHaveLength(shown.length);
    for (const [i, command] of commands.entries()) {
      expect(await runCurl(command, service.url, env), command).toMatchObject(shown[i] as object);
    }
  }
});
