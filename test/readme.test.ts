import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curlCommands, runCurl } from "./docs/support/curl-block.js";
import { startTestService, type TestService, type TestTenant } from "./support/service.js";
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
  afterAll(() => ifSetUp(service)?.shutdown());

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

  it("sets up New York tax and a 10 % code, and prices an order with them on the server, answered as shown", async () => {
    const commands = curlCommands("README.md", CHECKOUT_MARKER);
    expect(commands).toHaveLength(3);
    const shown: unknown = JSON.parse(
      /```json\n([\s\S]*?)```/.exec(README.slice(README.indexOf(CHECKOUT_MARKER)))?.[1] ?? "",
    );
    // a tenant of its own, with an admin key: the block writes the tenant's tax zones and promotions
    const { key } = await service.newTenant({ role: "admin" });
    const [zone = "", promotion = "", order = ""] = commands;
    expect(await runCurl(zone, service.url, { KEY: key })).toMatchObject({ taxZone: { displayName: "NYC" } });
    expect(await runCurl(promotion, service.url, { KEY: key })).toMatchObject({ promotion: { codes: ["SPRING10"] } });
    const answer = await runCurl(order, service.url, { KEY: key });
    expect(answer).toMatchObject(shown as object);
    expect(answer).toMatchObject({ order: { additionalTaxTotal: "46.24", items: [{ discountTotal: "57.90" }] } });
    expect(answer).not.toHaveProperty("warnings.0");
  });
});
