import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PromotionKind } from "../../gen/orders/v1/promotion_pb.js";
import {
  InventoryTransactionKind,
  StockShortagePolicy,
  type InventoryLevel,
} from "../../gen/orders/v1/inventory_pb.js";
import { OrderStatus, StockStatus } from "../../gen/orders/v1/order_pb.js";
import { query } from "../../src/platform/database/query.js";
import { injectorProduct, uniqueSku } from "../catalog/support/product-fixtures.js";
import type { Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf } from "../orders/support/order-fixtures.js";

// Stock reservations (issue 14 §1) through OrdersService and InventoryService over the routes in memory, on the real
// database: placing reserves (preferred location first), the shortage policy refuses or backorders, cancel releases,
// shipping takes units off on hand (reservation first), a restocked return puts them back, and races never oversell.
let service: InMemoryService;
let tenantId: string;
let admin: Clients;
let viewer: Clients;
let customerId: string;
let home: string;
let far: string;

const address = { name: "Lager", line1: "Hafenstr. 1", city: "Hamburg", postalCode: "20457", country: "DE" };

async function newVariant(): Promise<string> {
  const { product } = await admin.catalog.createProduct({
    product: injectorProduct({ variants: [{ sku: uniqueSku("RES"), prices: { USD: "10" } }] }),
  });
  const id = product?.variants[0]?.id;
  if (!id) throw new Error("no variant created");
  return id;
}

async function newLocation(name: string): Promise<string> {
  const { stockLocation } = await admin.store.createStockLocation({ stockLocation: { name, address } });
  if (!stockLocation) throw new Error("no stock location created");
  return stockLocation.id;
}

async function stock(variantId: string, stockLocationId: string, onHand: number): Promise<void> {
  await admin.inventory.setInventoryLevel({ variantId, stockLocationId, onHand, reason: "count" });
}

async function level(variantId: string, stockLocationId: string): Promise<InventoryLevel> {
  const { inventoryLevel } = await admin.inventory.getInventoryLevel({ variantId, stockLocationId });
  if (!inventoryLevel) throw new Error("no level");
  return inventoryLevel;
}

async function policy(shortagePolicy: StockShortagePolicy): Promise<void> {
  await admin.inventory.updateInventorySettings({ shortagePolicy });
}

function place(items: { variantId: string; quantity: number }[], extra: Record<string, unknown> = {}) {
  return admin.orders.createOrder({ customerId, currency: "USD", items, ...extra }).then(orderOf);
}

async function ordersOfTenant(): Promise<number> {
  const { rows } = await query<{ n: string }>(
    service.app.orm.em.fork(),
    "select count(*) as n from orders where tenant_id = $1",
    [tenantId],
  );
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant("admin");
  tenantId = tenant.tenantId;
  admin = service.clients(tenant.key);
  viewer = service.clients(await service.newKey(tenantId, "viewer"));
  customerId = await createCustomerId(admin);
  home = await newLocation("Home");
  far = await newLocation("Far");
});
afterAll(() => ifSetUp(service)?.close());

describe("InventorySettings", () => {
  it("default to refusing, change with an admin key, and refuse an unspecified policy", async () => {
    const fresh = service.clients((await service.newTenant("admin")).key);
    const { settings } = await fresh.inventory.getInventorySettings({});
    expect(settings?.shortagePolicy).toBe(StockShortagePolicy.REFUSE);
    expect(settings?.updateTime).toBeUndefined();
    const changed = await fresh.inventory.updateInventorySettings({ shortagePolicy: StockShortagePolicy.BACKORDER });
    expect(changed.settings?.shortagePolicy).toBe(StockShortagePolicy.BACKORDER);
    expect(changed.settings?.updateTime).toBeDefined();
    expect((await fresh.inventory.getInventorySettings({})).settings).toEqual(changed.settings);

    const unspecified = await rejectionOf(
      fresh.inventory.updateInventorySettings({ shortagePolicy: StockShortagePolicy.UNSPECIFIED }),
    );
    expect(unspecified.code).toBe(Code.InvalidArgument);
    expect(unspecified.violations.map((violation) => violation.field)).toEqual(["shortage_policy"]);

    const denied = await rejectionOf(
      viewer.inventory.updateInventorySettings({ shortagePolicy: StockShortagePolicy.BACKORDER }),
    );
    expect(denied.code).toBe(Code.PermissionDenied);
    expect((await viewer.inventory.getInventorySettings({})).settings?.shortagePolicy).toBe(StockShortagePolicy.REFUSE);
  });
});

describe("placing an order", () => {
  it("reserves a tracked line at the preferred location, and nothing for an untracked one", async () => {
    const tracked = await newVariant();
    const untracked = await newVariant();
    await stock(tracked, home, 5);
    await stock(tracked, far, 50);
    const order = await place(
      [
        { variantId: tracked, quantity: 3 },
        { variantId: untracked, quantity: 2 },
      ],
      { preferredStockLocationId: home },
    );
    expect(order.stockStatus).toBe(StockStatus.COMMITTED);
    expect(order.items.map((line) => [line.stockLocationId, line.reservedQuantity, line.backorderedQuantity])).toEqual([
      [home, 3, 0],
      ["", 0, 0],
    ]);
    expect(await level(tracked, home)).toMatchObject({ onHand: 5, reserved: 3, available: 2 });
    expect(await level(tracked, far)).toMatchObject({ onHand: 50, reserved: 0, available: 50 });
    // GetOrder reads the same reservation back.
    const read = orderOf(await admin.orders.getOrder({ id: order.id }));
    expect(read.items).toEqual(order.items);
    expect(read.stockStatus).toBe(StockStatus.COMMITTED);
  });

  it("takes a line the preferred location cannot cover from the location with the most available", async () => {
    const variantId = await newVariant();
    await stock(variantId, home, 1);
    await stock(variantId, far, 4);
    const order = await place([{ variantId, quantity: 2 }], { preferredStockLocationId: home });
    expect(order.items[0]).toMatchObject({ stockLocationId: far, reservedQuantity: 2 });
  });

  it("refuses a short order under the refuse policy, naming each short line, and writes nothing", async () => {
    await policy(StockShortagePolicy.REFUSE);
    const plenty = await newVariant();
    const scarce = await newVariant();
    await stock(plenty, home, 10);
    await stock(scarce, home, 1);
    const before = await ordersOfTenant();
    const refused = await rejectionOf(
      place([
        { variantId: plenty, quantity: 2 },
        { variantId: scarce, quantity: 3 },
      ]),
    );
    expect(refused.code).toBe(Code.FailedPrecondition);
    expect(refused.reason).toBe("OUT_OF_STOCK");
    expect(refused.metadata.lines).toBe("items[1]");
    expect(refused.violations).toEqual([expect.objectContaining({ field: "items[1]", reason: "OUT_OF_STOCK" })]);
    expect(await ordersOfTenant()).toBe(before);
    expect(await level(plenty, home)).toMatchObject({ reserved: 0 });
    expect(await level(scarce, home)).toMatchObject({ reserved: 0 });
  });

  it("backorders what is short under the backorder policy", async () => {
    await policy(StockShortagePolicy.BACKORDER);
    try {
      const variantId = await newVariant();
      await stock(variantId, home, 2);
      const order = await place([{ variantId, quantity: 5 }], { preferredStockLocationId: home });
      expect(order.stockStatus).toBe(StockStatus.BACKORDERED);
      expect(order.items[0]).toMatchObject({ stockLocationId: home, reservedQuantity: 2, backorderedQuantity: 3 });
      expect(await level(variantId, home)).toMatchObject({ onHand: 2, reserved: 2, available: 0 });
    } finally {
      await policy(StockShortagePolicy.REFUSE);
    }
  });

  it("reserves on the locked path of an order with a limited coupon, and through a cart", async () => {
    const variantId = await newVariant();
    await stock(variantId, home, 10);
    const code = `RES-${randomUUID().slice(0, 8)}`;
    await admin.promotions.createPromotion({
      promotion: {
        displayName: "Ten off",
        kind: PromotionKind.ORDER_PERCENTAGE,
        value: "10",
        codes: [code],
        usageLimit: 100,
      },
    });
    const withCoupon = await place([{ variantId, quantity: 2 }], { couponCodes: [code] });
    expect(withCoupon.adjustments).toHaveLength(1);
    expect(withCoupon.items[0]).toMatchObject({ stockLocationId: home, reservedQuantity: 2 });

    const { cart } = await admin.carts.createCart({ cart: { customerId, currency: "USD" } });
    await admin.carts.addCartLines({ id: cart?.id ?? "", items: [{ variantId, quantity: 3 }] });
    const fromCart = orderOf(await admin.orders.createOrder({ cartId: cart?.id ?? "" }));
    expect(fromCart.items[0]).toMatchObject({ stockLocationId: home, reservedQuantity: 3 });
    expect(await level(variantId, home)).toMatchObject({ reserved: 5, available: 5 });
  });

  it("never reserves for a test order", async () => {
    const variantId = await newVariant();
    await stock(variantId, home, 1);
    const testKey = await service.newKey(tenantId, "admin", "test");
    const order = orderOf(
      await service
        .clients(testKey)
        .orders.createOrder({ currency: "USD", email: "t@example.com", items: [{ variantId, quantity: 5 }] }),
    );
    expect(order.isTest).toBe(true);
    expect(order.stockStatus).toBe(StockStatus.NONE);
    expect(await level(variantId, home)).toMatchObject({ reserved: 0 });
  });
});

describe("after placing", () => {
  it("cancel releases the reservation", async () => {
    const variantId = await newVariant();
    await stock(variantId, home, 4);
    const order = await place([{ variantId, quantity: 4 }]);
    expect(await level(variantId, home)).toMatchObject({ available: 0 });
    const canceled = orderOf(await admin.orders.cancelOrder({ id: order.id, reason: "changed mind" }));
    expect(canceled.stockStatus).toBe(StockStatus.NONE);
    expect(canceled.items[0]).toMatchObject({ reservedQuantity: 0, backorderedQuantity: 0 });
    expect(await level(variantId, home)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
  });

  it("shipping takes the units off on hand, reservation first, with a fulfillment ledger entry", async () => {
    const variantId = await newVariant();
    await stock(variantId, home, 10);
    const order = await place([{ variantId, quantity: 6 }]);
    const lineId = order.items[0]?.id ?? "";
    const partly = orderOf(await admin.orders.fulfillOrder({ id: order.id, lines: [{ lineId, quantity: 4 }] }));
    expect(partly.status).toBe(OrderStatus.PARTIALLY_FULFILLED);
    expect(partly.items[0]).toMatchObject({ reservedQuantity: 2 });
    expect(await level(variantId, home)).toMatchObject({ onHand: 6, reserved: 2, available: 4 });
    const rest = orderOf(await admin.orders.fulfillOrder({ id: order.id }));
    expect(rest.stockStatus).toBe(StockStatus.NONE);
    expect(await level(variantId, home)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
    const { transactions } = await admin.inventory.listInventoryTransactions({ variantId });
    expect(transactions.map((entry) => [entry.kind, entry.quantityChange, entry.orderId])).toEqual([
      [InventoryTransactionKind.SET, 10, ""],
      [InventoryTransactionKind.FULFILLMENT, -4, order.id],
      [InventoryTransactionKind.FULFILLMENT, -2, order.id],
    ]);
  });

  it("shipping from another location releases the reservation there and takes the stock where it ships", async () => {
    const variantId = await newVariant();
    await stock(variantId, home, 3);
    await stock(variantId, far, 3);
    const order = await place([{ variantId, quantity: 3 }], { preferredStockLocationId: home });
    await admin.orders.fulfillOrder({ id: order.id, stockLocationId: far });
    expect(await level(variantId, home)).toMatchObject({ onHand: 3, reserved: 0 });
    expect(await level(variantId, far)).toMatchObject({ onHand: 0, reserved: 0 });
  });

  it("backordered units ship once stock is there, and not before", async () => {
    await policy(StockShortagePolicy.BACKORDER);
    try {
      const variantId = await newVariant();
      await stock(variantId, home, 1);
      const order = await place([{ variantId, quantity: 3 }], { preferredStockLocationId: home });
      const refused = await rejectionOf(admin.orders.fulfillOrder({ id: order.id }));
      expect(refused.code).toBe(Code.FailedPrecondition);
      expect(refused.reason).toBe("OUT_OF_STOCK");
      expect(refused.violations.map((violation) => violation.field)).toEqual(["items[0]"]);
      expect(await level(variantId, home)).toMatchObject({ onHand: 1, reserved: 1 });
      await admin.inventory.adjustInventoryLevel({
        variantId,
        stockLocationId: home,
        quantityChange: 2,
        reason: "received PO 4711",
      });
      const shipped = orderOf(await admin.orders.fulfillOrder({ id: order.id }));
      expect(shipped.status).toBe(OrderStatus.FULFILLED);
      expect(shipped.items[0]).toMatchObject({ reservedQuantity: 0, backorderedQuantity: 0 });
      expect(await level(variantId, home)).toMatchObject({ onHand: 0, reserved: 0 });
    } finally {
      await policy(StockShortagePolicy.REFUSE);
    }
  });

  it("a restocked return puts the units back where they shipped from, with a return ledger entry", async () => {
    const variantId = await newVariant();
    await stock(variantId, far, 5);
    const order = await place([{ variantId, quantity: 2 }]);
    const lineId = order.items[0]?.id ?? "";
    await admin.orders.fulfillOrder({ id: order.id });
    await admin.orders.deliverOrder({ id: order.id });
    const requested = orderOf(await admin.orders.requestReturn({ id: order.id, lines: [{ lineId, quantity: 2 }] }));
    const returnId = requested.returns[0]?.id ?? "";
    await admin.orders.receiveReturn({ id: order.id, returnId, lines: [{ lineId, restock: true }] });
    expect(await level(variantId, far)).toMatchObject({ onHand: 5, reserved: 0 });
    const { transactions } = await admin.inventory.listInventoryTransactions({ variantId });
    expect(transactions.at(-1)).toMatchObject({
      kind: InventoryTransactionKind.RETURN,
      quantityChange: 2,
      orderId: order.id,
    });
  });

  it("on hand cannot go below what orders reserved", async () => {
    const variantId = await newVariant();
    await stock(variantId, home, 5);
    await place([{ variantId, quantity: 4 }]);
    const adjusted = await rejectionOf(
      admin.inventory.adjustInventoryLevel({ variantId, stockLocationId: home, quantityChange: -2, reason: "lost" }),
    );
    expect(adjusted.code).toBe(Code.FailedPrecondition);
    expect(adjusted.reason).toBe("INSUFFICIENT_STOCK");
    expect(adjusted.metadata).toMatchObject({ onHand: "5", reserved: "4" });
    const set = await rejectionOf(
      admin.inventory.setInventoryLevel({ variantId, stockLocationId: home, onHand: 3, reason: "count" }),
    );
    expect(set.reason).toBe("INSUFFICIENT_STOCK");
    expect(await level(variantId, home)).toMatchObject({ onHand: 5, reserved: 4 });
  });
});

describe("races", () => {
  it("100 concurrent orders of 1 for 20 units: exactly 20 placed and reserved, the rest OUT_OF_STOCK", async () => {
    const variantId = await newVariant();
    await stock(variantId, home, 20);
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => place([{ variantId, quantity: 1 }])));
    const placed = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === "rejected" ? [observedError(outcome.reason)] : [],
    );
    expect(placed).toHaveLength(20);
    expect(refused).toHaveLength(80);
    expect(new Set(refused.map((error) => error.reason))).toEqual(new Set(["OUT_OF_STOCK"]));
    expect(await level(variantId, home)).toMatchObject({ onHand: 20, reserved: 20, available: 0 });
  });

  it("fulfil against cancel of one order: exactly one wins and the stock shows which", async () => {
    for (let round = 0; round < 5; round++) {
      const variantId = await newVariant();
      await stock(variantId, home, 3);
      const order = await place([{ variantId, quantity: 3 }]);
      const [fulfil, cancel] = await Promise.allSettled([
        admin.orders.fulfillOrder({ id: order.id }),
        admin.orders.cancelOrder({ id: order.id, reason: "race" }),
      ]);
      const final = orderOf(await admin.orders.getOrder({ id: order.id }));
      const after = await level(variantId, home);
      if (final.status === OrderStatus.FULFILLED) {
        expect(fulfil.status).toBe("fulfilled");
        expect(cancel.status).toBe("rejected");
        expect(after).toMatchObject({ onHand: 0, reserved: 0 });
      } else {
        expect(final.status).toBe(OrderStatus.CANCELED);
        expect(cancel.status).toBe("fulfilled");
        expect(fulfil.status).toBe("rejected");
        expect(after).toMatchObject({ onHand: 3, reserved: 0 });
      }
    }
  });
});
