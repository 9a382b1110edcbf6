import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { freePort } from "../support/ports.js";
import { startTestService, testWebhookConfig, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { waitFor } from "../support/wait-for.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

const PAGE = "docs/webhooks.md";
let service: TestService;
let tenant: TestTenant;
let admin: Clients;
const children: ChildProcess[] = [];

beforeAll(async () => {
  service = await startTestService({
    webhooks: testWebhookConfig({ dispatcher: true, allowHttp: true, allowPrivate: true, pollIntervalMs: 100 }),
  });
  tenant = await service.newTenant({ role: "admin" });
  admin = clientsFor("connect-json-http1", service.url, tenant.key);
});
afterAll(async () => {
  for (const child of children) child.kill();
  await ifSetUp(service)?.shutdown();
});

/** The code block of `language` that follows `marker` in the page. */
function codeBlock(marker: string, language: string): string {
  const page = readFileSync(PAGE, "utf8");
  const at = page.indexOf(marker);
  const block = new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(page.slice(at))?.[1];
  if (at < 0 || !block) throw new Error(`${PAGE} has no ${language} block after "${marker}"`);
  return block;
}

/** Runs a documented receiver; its output lines are collected. */
function runReceiver(command: string, args: string[], env: Record<string, string>): string[] {
  const lines: string[] = [];
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  child.stdout.on("data", (chunk: Buffer) => lines.push(...chunk.toString().split("\n").filter(Boolean)));
  return lines;
}

/** Creates an endpoint with the page's own command, pointed at a local port; returns its secret. */
async function createdWithThePagesCommand(port: number): Promise<string> {
  const [create] = curlCommands(PAGE, "<!-- test/docs/webhooks.test.ts runs the command of the next block");
  const answer = (await runCurl(create ?? "", service.url, {
    KEY: tenant.key,
    WEBHOOK_URL: `http://127.0.0.1:${port}/webhooks`,
  })) as { webhookEndpoint: { secret: string; eventTypes: string[]; description: string } };
  expect(answer.webhookEndpoint).toMatchObject({
    eventTypes: ["order.created", "order.fulfilled", "order.delivered"],
    description: "ERP sync",
  });
  expect(answer.webhookEndpoint.secret).toMatch(/^whsec_/);
  return answer.webhookEndpoint.secret;
}

/** A request signed with a secret the receiver does not know must be refused. */
async function forgedStatus(port: number): Promise<number> {
  const body = JSON.stringify({ type: "order.created", id: "x", data: {} });
  const response = await fetch(`http://127.0.0.1:${port}/webhooks`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": "x",
      "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
      "webhook-signature": "v1,bm90IGEgc2lnbmF0dXJl",
    },
  });
  return response.status;
}

async function placeOrder(): Promise<string> {
  const { order } = await admin.orders.createOrder(seedOrderRequest(await createCustomerId(admin)));
  return order?.id ?? "";
}

it("docs/webhooks.md's Node receiver verifies a real delivery with the standardwebhooks package", async () => {
  const port = await freePort();
  const secret = await createdWithThePagesCommand(port);
  const code = codeBlock("<!-- test/docs/webhooks.test.ts runs the next block with WEBHOOK_SECRET and PORT", "js");
  // --eval resolves `standardwebhooks` from the working directory, the repository.
  const lines = runReceiver(process.execPath, ["--input-type=module", "--eval", code], {
    WEBHOOK_SECRET: secret,
    PORT: String(port),
  });
  await waitFor("the Node receiver listening", async () => (await forgedStatus(port).catch(() => 0)) === 400);
  const orderId = await placeOrder();
  await waitFor("the Node receiver's line for the order", () => lines.includes(`order.created ${orderId}`));
});

it("docs/webhooks.md's Python receiver (standard library, the standardwebhooks algorithm) verifies a real delivery", async () => {
  const port = await freePort();
  const secret = await createdWithThePagesCommand(port);
  const code = codeBlock("<!-- test/docs/webhooks.test.ts runs the next block with /usr/bin/python3", "python");
  const lines = runReceiver("/usr/bin/python3", ["-c", code], { WEBHOOK_SECRET: secret, PORT: String(port) });
  await waitFor("the Python receiver listening", async () => (await forgedStatus(port).catch(() => 0)) === 400);
  const orderId = await placeOrder();
  await waitFor("the Python receiver's line for the order", () => lines.includes(`order.created ${orderId}`));
});
