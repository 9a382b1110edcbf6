import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

const run = promisify(execFile);
const PAGE = readFileSync("docs/catalog.md", "utf8");
const MARKER = "<!-- test/docs/catalog.test.ts runs every command of the next block";

/** The curl commands of docs/catalog.md's block, continuation lines joined. */
function catalogCommands(): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(PAGE.slice(PAGE.indexOf(MARKER)))?.[1];
  if (!PAGE.includes(MARKER) || !block) throw new Error("docs/catalog.md has no block after the marker");
  return block
    .replace(/\\\n\s*/g, "")
    .replace(/\n\s+(?=\S)/g, " ")
    .split("\n")
    .filter((line) => line.startsWith("curl "));
}

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
});
afterAll(() => ifSetUp(service)?.shutdown());

it("docs/catalog.md's examples create, refuse a taken SKU, list, update, archive and batch-create as written", async () => {
  const commands = catalogCommands();
  expect(commands).toHaveLength(7);
  const outputs: unknown[] = [];
  let productId = "";
  for (const command of commands) {
    const { stdout } = await run("bash", ["-c", command.replaceAll("http://localhost:8080", service.url)], {
      env: {
        ...process.env,
        KEY: tenant.key,
        PRODUCT_ID: productId,
        PATH: `${join(process.cwd(), "node_modules/.bin")}:${process.env.PATH ?? ""}`,
      },
    });
    outputs.push(JSON.parse(stdout));
    productId ||= (outputs[0] as { product: { id: string } }).product.id;
  }
  const injector = outputs[0] as { product: { id: string; variants: { id: string }[] } };
  expect(injector).toMatchObject({
    product: {
      title: "6.7L Common-Rail Injector",
      status: "PRODUCT_STATUS_ACTIVE",
      eventSequence: 1,
      variants: [
        {
          sku: "INJ-6.7-CR",
          alternateSkus: ["BOSCH-0445120"],
          prices: { EUR: "265.00", USD: "289.50" },
          taxCategory: "standard",
          weightGrams: 820,
        },
      ],
    },
  });
  expect(outputs[1]).toMatchObject({
    product: { variants: [{ name: "Small / Red", taxCategory: "clothing" }, { name: "Large / Red" }] },
  });
  expect(outputs[2]).toMatchObject({
    code: "already_exists",
    details: [
      {
        debug: {
          reason: "SKU_TAKEN",
          metadata: {
            sku: "bosch-0445120",
            field: "product.variants[0].sku",
            productId: injector.product.id,
            variantId: injector.product.variants[0]?.id,
          },
        },
      },
    ],
  });
  expect(outputs[3]).toMatchObject({ products: [{ id: injector.product.id }] });
  expect(outputs[4]).toMatchObject({
    product: { title: "6.7L Common-Rail Injector, remanufactured", eventSequence: 2 },
  });
  expect(outputs[5]).toMatchObject({ product: { status: "PRODUCT_STATUS_ARCHIVED", eventSequence: 3 } });
  expect(outputs[6]).toMatchObject({
    products: [
      { title: "Glow Plug", variants: [{ sku: "GP-12V", prices: { USD: "14.20" } }] },
      { title: "Fuel Filter", variants: [{ prices: { EUR: "9.10", USD: "9.90" } }] },
    ],
  });
});
