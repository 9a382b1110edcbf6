import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curlCommands, runCurl } from "./docs/support/curl-block.js";
import { clientsFor } from "./support/clients.js";
import { setUpNewYorkShop } from "./support/new-york-shop.js";
import { startTestService, testWebhookConfig, type TestService, type TestTenant } from "./support/service.js";
import { waitFor } from "./support/wait-for.js";
import { Receiver } from "./webhooks/support/receiver.js";
import { ifSetUp } from "./support/set-up.js";

const run = promisify(execFile);
const README = readFileSync("README.md", "utf8");
const CHECKOUT_MARKER = "<!-- test/readme.test.ts runs the next block and checks the answer shown under it -->";
const PAGES = [
  "README.md",
  ...readdirSync("docs")
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const headings = [...markdown.replace(/```[\s\S]*?```/g, "").matchAll(/^#+ (.+)$/gm)].map((m) => m[1] ?? "");
  return new Set(
    headings.map((h) =>
      h
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-"),
    ),
  );
}

/** Relative links of a page (images included), outside code blocks: [text](target). */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? "").filter((target) => !/^[a-z]+:/i.test(target));
}

describe("README, the front door", () => {
  it("stays under 12 KB: the reference lives in docs/", () => {
    expect(Buffer.byteLength(README)).toBeLessThan(12 * 1024);
  });

  it.each(PAGES)("%s: every relative link and anchor resolves", (page) => {
    const broken = relativeLinks(readFileSync(page, "utf8")).filter((target) => {
      const [path = "", anchor] = target.split("#");
      const file = path === "" ? page : normalize(join(dirname(page), path));
      if (!existsSync(file)) return true;
      return anchor !== undefined && file.endsWith(".md") && !anchorsOf(readFileSync(file, "utf8")).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it("shows the console screenshot", () => {
    expect(README).toContain("](docs/console.png)");
    expect(existsSync("docs/console.png")).toBe(true);
  });
});

describe("README's Try it", () => {
  let service: TestService;
  let tenant: TestTenant;
  beforeAll(async () => {
    service = await startTestService();
    tenant = await service.newTenant();
  });
  // The seed 003 block needs the webhook dispatcher, which the other tests' service leaves off.
  let webhooks: TestService;
  let receiver: Receiver;
  beforeAll(async () => {
    webhooks = await startTestService({
      webhooks: testWebhookConfig({ dispatcher: true, allowHttp: true, allowPrivate: true, pollIntervalMs: 100 }),
    });
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await ifSetUp(service)?.shutdown();
    await ifSetUp(webhooks)?.shutdown();
    await ifSetUp(receiver)?.down();
  });

  it("creates a customer and the seed 000 order as written", async () => {
    const block = /## Try it[\s\S]*?```sh\n([\s\S]*?)```/.exec(README)?.[1];
    if (!block) throw new Error("README has no sh block under Try it");
    // The first line stands for the key npm start prints; the test's service has its own URL.
    const script = block.replace(/^KEY=.*$/m, `KEY=${tenant.key}`).replaceAll("http://localhost:8080", service.url);
    const { stdout } = await run("bash", ["-c", script]);
    const json: unknown = JSON.parse(stdout);
    expect(json).toMatchObject({
      order: {
        orderNumber: "1001",
        status: "ORDER_STATUS_PLACED",
        channel: "CHANNEL_B2B_PORTAL",
        items: [{ sku: "INJ-6.7-CR", quantity: 8, unitPrice: "289.50", lineTotal: "2316.00" }],
        subtotal: "2316.00",
        total: "2316.00",
      },
    });
  });

  it("runs seed 003: a webhook endpoint, a cart by SKU and the order placed from it, answered as shown and signed", async () => {
    const commands = curlCommands("README.md", CHECKOUT_MARKER);
    expect(commands).toHaveLength(3);
    const shown: unknown = JSON.parse(
      /```json\n([\s\S]*?)```/.exec(README.slice(README.indexOf(CHECKOUT_MARKER)))?.[1] ?? "",
    );
    // A shop as docs/checkout.md sets it up, on a tenant of its own with an admin key, and the partner's endpoint
    // on a loopback port (the service here allows http and private addresses; the README's URL is a public one).
    const { key } = await webhooks.newTenant({ role: "admin" });
    const shop = clientsFor("grpc-http2", webhooks.url, key);
    const GROUND_ID = await setUpNewYorkShop(shop);
    await shop.catalog.createProduct({
      product: { title: "SD Scanner Pro", variants: [{ sku: "SD-SCAN-PRO", prices: { USD: "49.99" } }] },
    });
    const [endpoint = "", cart = "", order = ""] = commands;
    const created = (await runCurl(
      endpoint.replace("https://partner.example/hooks", receiver.url("/readme")),
      webhooks.url,
      {
        KEY: key,
      },
    )) as { webhookEndpoint: { secret: string } };
    receiver.secrets.push(created.webhookEndpoint.secret);
    const { cart: drafted } = (await runCurl(cart, webhooks.url, { KEY: key })) as { cart: { id: string } };
    const answer = await runCurl(order, webhooks.url, { KEY: key, CART_ID: drafted.id, GROUND_ID });
    expect(answer).toMatchObject(shown as object);

    // "then order.fulfilled and order.delivered": each verified by standardwebhooks with the secret shown once.
    const orderId = (answer as { order: { id: string } }).order.id;
    await shop.orders.fulfillOrder({ id: orderId });
    await shop.orders.deliverOrder({ id: orderId });
    await waitFor("the three webhooks", () => receiver.at("/readme").length >= 3, 30_000);
    // Not ordered on the wire: the event's sequence orders them (docs/webhooks.md).
    const bySequence = receiver.bodies("/readme").sort((a, b) => (a.sequence ?? "").localeCompare(b.sequence ?? ""));
    expect(bySequence.map((body) => [body.type, body.subject])).toEqual([
      ["order.created", orderId],
      ["order.fulfilled", orderId],
      ["order.delivered", orderId],
    ]);
    expect(receiver.at("/readme").every((request) => request.verifiedBy.length === 1)).toBe(true);
  });
});
