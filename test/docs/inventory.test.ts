import { afterAll, beforeAll, expect, it } from "vitest";
import { clientsFor } from "../support/clients.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ role: "admin" });
});
afterAll(() => ifSetUp(service)?.shutdown());

it("docs/inventory.md's examples set a level, adjust it under its etag and read the ledger as written", async () => {
  const commands = curlCommands("docs/inventory.md", "<!-- test/docs/inventory.test.ts runs every command");
  expect(commands).toHaveLength(3);
  const clients = clientsFor("connect-json-http1", service.url, tenant.key);
  const { product } = await clients.catalog.createProduct({
    product: { title: "Mug", variants: [{ sku: `MUG-${crypto.randomUUID()}`, prices: { USD: "12" } }] },
  });
  const { stockLocation } = await clients.store.createStockLocation({
    stockLocation: {
      name: "Newark DC",
      address: { line1: "1 Port St", city: "Newark", postalCode: "07114", country: "US" },
    },
  });
  const env = {
    KEY: tenant.key,
    VARIANT_ID: product?.variants[0]?.id ?? "",
    STOCK_LOCATION_ID: stockLocation?.id ?? "",
    ETAG: "",
  };
  const [set, adjust, ledger] = commands as [string, string, string];

  const counted = (await runCurl(set, service.url, env)) as { inventoryLevel: { etag: string } };
  expect(counted).toMatchObject({
    inventoryLevel: { variantId: env.VARIANT_ID, stockLocationId: env.STOCK_LOCATION_ID, onHand: 40, tracked: true },
    transaction: { kind: "INVENTORY_TRANSACTION_KIND_SET", quantityChange: 40, onHandAfter: 40, reason: "stock count" },
  });
  env.ETAG = counted.inventoryLevel.etag;
  expect(await runCurl(adjust, service.url, env)).toMatchObject({
    inventoryLevel: { onHand: 37 },
    transaction: { kind: "INVENTORY_TRANSACTION_KIND_ADJUST", quantityChange: -3, reason: "damaged in transit" },
  });
  expect(await runCurl(ledger, service.url, env)).toMatchObject({
    transactions: [
      { quantityChange: 40, onHandAfter: 40 },
      { quantityChange: -3, onHandAfter: 37 },
    ],
  });
});
