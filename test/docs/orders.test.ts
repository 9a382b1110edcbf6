import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

const run = promisify(execFile);
const PAGE = readFileSync("docs/orders.md", "utf8");
const MARKER = "<!-- test/docs/orders.test.ts runs the command of the next block";
const CATALOG_MARKER =
  "<!-- test/docs/orders.test.ts runs the catalog block next and checks the answer shown under it -->";

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

it("puts the injector in the catalog and takes a guest's order for it by alternate SKU, answered as shown", async () => {
  const commands = curlCommands("docs/orders.md", CATALOG_MARKER);
  expect(commands).toHaveLength(2);
  const shown: unknown = JSON.parse(/```json\n([\s\S]*?)```/.exec(PAGE.slice(PAGE.indexOf(CATALOG_MARKER)))?.[1] ?? "");
  // a tenant of its own: the block does not depend on the first one
  const { key } = await service.newTenant();
  const [create = "", order = ""] = commands;
  const product = (await runCurl(create, service.url, { KEY: key })) as {
    product: { id: string; variants: { id: string }[] };
  };
  expect(product).toMatchObject({
    product: {
      title: "6.7L Common-Rail Injector",
      status: "PRODUCT_STATUS_ACTIVE",
      variants: [{ sku: "INJ-6.7-CR", alternateSkus: ["BOSCH-0445120"], prices: { USD: "289.50" } }],
    },
  });
  const answer = await runCurl(order, service.url, { KEY: key });
  expect(answer).toMatchObject(shown as object);
  expect(answer).toMatchObject({
    order: { items: [{ productId: product.product.id, variantId: product.product.variants[0]?.id }] },
  });
  expect(answer).not.toHaveProperty("order.customerId");

  // run again: the product is refused, the order still finds the SKU
  expect(await runCurl(create, service.url, { KEY: key })).toMatchObject({
    code: "already_exists",
    details: [{ debug: { reason: "SKU_TAKEN" } }],
  });
  expect(await runCurl(order, service.url, { KEY: key })).toMatchObject(shown as object);
});
