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

  // Reservations: a backordering tenant places 40 of 37, the level shows what is reserved, a cancel releases it.
  const reserving = curlCommands(
    "docs/inventory.md",
    "<!-- test/docs/inventory.test.ts runs every command of the next block too",
  );
  expect(reserving).toHaveLength(4);
  const [policy, place, read, cancel] = reserving as [string, string, string, string];
  expect(await runCurl(policy, service.url, env)).toMatchObject({
    settings: { shortagePolicy: "STOCK_SHORTAGE_POLICY_BACKORDER" },
  });
  const placed = (await runCurl(place, service.url, env)) as { order: { id: string } };
  expect(placed).toMatchObject({
    order: {
      stockStatus: "STOCK_STATUS_BACKORDERED",
      items: [{ stockLocationId: env.STOCK_LOCATION_ID, reservedQuantity: 37, backorderedQuantity: 3 }],
    },
  });
  const level = await runCurl(read, service.url, env);
  expect(level).toMatchObject({ inventoryLevel: { onHand: 37, reserved: 37 } });
  expect(level).not.toHaveProperty("inventoryLevel.available");
  const canceled = await runCurl(cancel, service.url, { ...env, ORDER_ID: placed.order.id });
  expect(canceled).toMatchObject({ order: { status: "ORDER_STATUS_CANCELED", stockStatus: "STOCK_STATUS_NONE" } });
  expect(await runCurl(read, service.url, env)).toMatchObject({ inventoryLevel: { onHand: 37, available: 37 } });
});
