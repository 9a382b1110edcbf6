import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StockShortagePolicy } from "../../gen/orders/v1/inventory_pb.js";
import { clientsFor, PROTOCOLS, type Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { startTestService, type TestService } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

// The stock refusals of issue 14 §1 over real sockets, on every protocol: what a client in any language sees.
let service: TestService;
let key: string;
let admin: Clients;
let depot: string;

async function variantWithStock(onHand: number): Promise<string> {
  const { product } = await admin.catalog.createProduct({
    product: { title: "Valve", variants: [{ sku: `VALVE-${crypto.randomUUID()}`, prices: { USD: "30.00" } }] },
  });
  const variantId = product?.variants[0]?.id ?? "";
  await admin.inventory.setInventoryLevel({ variantId, stockLocationId: depot, onHand, reason: "count" });
  return variantId;
}

beforeAll(async () => {
  service = await startTestService();
  key = (await service.newTenant({ role: "admin" })).key;
  admin = clientsFor("connect-json-http1", service.url, key);
  const { stockLocation } = await admin.store.createStockLocation({
    stockLocation: {
      name: "Depot",
      address: { line1: "1 Dock Rd", city: "Memphis", postalCode: "38118", country: "US" },
    },
  });
  depot = stockLocation?.id ?? "";
});
afterAll(() => ifSetUp(service)?.shutdown());

describe.each(PROTOCOLS)("stock refusals over %s", (protocol) => {
  let clients: Clients;
  beforeAll(() => {
    clients = clientsFor(protocol, service.url, key);
  });

  it("CreateOrder short under REFUSE: FAILED_PRECONDITION OUT_OF_STOCK naming the line", async () => {
    await clients.inventory.updateInventorySettings({ shortagePolicy: StockShortagePolicy.REFUSE });
    const variantId = await variantWithStock(1);
    const error = await rejectionOf(
      clients.orders.createOrder({
        email: "ada@example.com",
        currency: "USD",
        items: [
          { sku: "CUSTOM", name: "Custom", quantity: 1, unitPrice: "1.00" },
          { variantId, quantity: 2 },
        ],
      }),
    );
    expect(error).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "OUT_OF_STOCK",
      metadata: { lines: "items[1]" },
      violations: [{ field: "items[1]", reason: "OUT_OF_STOCK" }],
    });
  });

  it("FulfillOrder of backordered units not on hand: FAILED_PRECONDITION OUT_OF_STOCK", async () => {
    await clients.inventory.updateInventorySettings({ shortagePolicy: StockShortagePolicy.BACKORDER });
    try {
      const variantId = await variantWithStock(1);
      const { order } = await clients.orders.createOrder({
        email: "ada@example.com",
        currency: "USD",
        preferredStockLocationId: depot,
        items: [{ variantId, quantity: 3 }],
      });
      const lineId = order?.items[0]?.id ?? "";
      const error = await rejectionOf(
        clients.orders.fulfillOrder({ id: order?.id ?? "", lines: [{ lineId, quantity: 2 }] }),
      );
      expect(error).toMatchObject({
        code: Code.FailedPrecondition,
        reason: "OUT_OF_STOCK",
        metadata: { stockLocationId: depot, lines: "lines[0]" },
        violations: [{ field: "lines[0]", reason: "OUT_OF_STOCK" }],
      });
    } finally {
      await clients.inventory.updateInventorySettings({ shortagePolicy: StockShortagePolicy.REFUSE });
    }
  });

  it("AdjustInventoryLevel below what orders reserved: FAILED_PRECONDITION INSUFFICIENT_STOCK with reserved", async () => {
    const variantId = await variantWithStock(5);
    await clients.orders.createOrder({
      email: "ada@example.com",
      currency: "USD",
      items: [{ variantId, quantity: 4 }],
    });
    const error = await rejectionOf(
      clients.inventory.adjustInventoryLevel({ variantId, stockLocationId: depot, quantityChange: -2, reason: "lost" }),
    );
    expect(error).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INSUFFICIENT_STOCK",
      metadata: { variantId, stockLocationId: depot, onHand: "5", reserved: "4" },
    });
  });

  it("UpdateInventorySettings without a policy: INVALID_ARGUMENT at shortage_policy", async () => {
    const error = await rejectionOf(
      clients.inventory.updateInventorySettings({ shortagePolicy: StockShortagePolicy.UNSPECIFIED }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations.map((violation) => violation.field)).toEqual(["shortage_policy"]);
  });
});
