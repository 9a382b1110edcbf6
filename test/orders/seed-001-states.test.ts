import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Channel, OrderStatus, PaymentStatus, StockStatus, type Order } from "../../gen/orders/v1/order_pb.js";
import { StockShortagePolicy } from "../../gen/orders/v1/inventory_pb.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf } from "./support/order-fixtures.js";

/**
 * Seed 001's order statuses, each reached over the wire the way docs/lifecycle.md's table says (issue 14, "done
 * when"), backorder and committed through stock reservations (issue 14 §1).
 */
let service: TestService;
let clients: Clients;
let customerId: string;

beforeAll(async () => {
  service = await startTestService();
  const tenant = await service.newTenant({ role: "admin" });
  clients = clientsFor("connect-json-http1", service.url, tenant.key);
  customerId = await createCustomerId(clients);
});
afterAll(() => ifSetUp(service)?.shutdown());

/** Seed 001's B2B order in short: 2 pumps at 250.00 and a seal kit at 119.00, tax 15.75 and shipping 12.50 stated. */
async function seed001(extra: Record<string, unknown> = {}): Promise<Order> {
  const { order } = await clients.orders.createOrder({
    customerId,
    currency: "USD",
    channel: Channel.B2B_PORTAL,
    poNumber: "PO-2024-5678",
    requestedShippingService: "FedEx Ground",
    taxTotal: "15.75",
    shippingTotal: "12.50",
    items: [
      { sku: "HP-200", name: "Hydraulic pump", quantity: 2, unitPrice: "250.00" },
      { sku: "SK-7", name: "Seal kit", quantity: 1, unitPrice: "119.00" },
    ],
    ...extra,
  });
  return orderOf({ order });
}

const pay = (order: Order) => clients.orders.recordPayment({ id: order.id, amount: order.total }).then(orderOf);
const ship = (order: Order, lines: { lineId: string; quantity: number }[] = []) =>
  clients.orders.fulfillOrder({ id: order.id, lines, carrier: "FedEx", service: "Ground" }).then(orderOf);
const deliver = (order: Order) => clients.orders.deliverOrder({ id: order.id }).then(orderOf);
async function giveBack(order: Order, lines: { lineId: string; quantity: number }[]) {
  const requested = orderOf(await clients.orders.requestReturn({ id: order.id, lines }));
  const returnId = requested.returns.at(-1)?.id ?? "";
  return orderOf(await clients.orders.receiveReturn({ id: order.id, returnId }));
}
const pumps = (order: Order) => ({ lineId: order.items[0]?.id ?? "", quantity: 2 });
const sealKit = (order: Order) => ({ lineId: order.items[1]?.id ?? "", quantity: 1 });

/** A day `days` from today (UTC) as a google.type.Date. */
function day(days: number) {
  const date = new Date(Date.now() + days * 86_400_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

describe("seed 001's statuses over the wire", () => {
  it("pending: placed and unpaid", async () => {
    expect(await seed001()).toMatchObject({ status: OrderStatus.PLACED, paymentStatus: PaymentStatus.UNPAID });
  });

  it("awaiting_shipment: placed and paid", async () => {
    const paid = await pay(await seed001());
    expect(paid).toMatchObject({ status: OrderStatus.PLACED, paymentStatus: PaymentStatus.PAID, total: "647.25" });
  });

  it("on_hold: by hold_until_date at creation, or by HoldOrder", async () => {
    const held = await seed001({ holdUntilDate: day(5), shipByDate: day(9) });
    expect(held).toMatchObject({ status: OrderStatus.ON_HOLD, hold: { reason: "hold_until_date" } });
    const byCall = orderOf(await clients.orders.holdOrder({ id: (await seed001()).id, reason: "credit check" }));
    expect(byCall).toMatchObject({ status: OrderStatus.ON_HOLD, hold: { reason: "credit check" } });
  });

  it("partially_shipped, shipped, delivered and completed", async () => {
    const order = await pay(await seed001());
    const partly = await ship(order, [{ lineId: order.items[0]?.id ?? "", quantity: 1 }]);
    expect(partly.status).toBe(OrderStatus.PARTIALLY_FULFILLED);
    const shipped = await ship(order);
    expect(shipped.status).toBe(OrderStatus.FULFILLED);
    const delivered = await deliver(order);
    // Completed: delivered and paid, nothing left to do.
    expect(delivered).toMatchObject({ status: OrderStatus.DELIVERED, paymentStatus: PaymentStatus.PAID });
    expect(delivered.fulfillments).toHaveLength(2);
  });

  it("partially_refunded: a returned line refunded; everything returned refunds the total less shipping", async () => {
    const order = await deliver(await ship(await pay(await seed001())));
    const partly = await giveBack(order, [sealKit(order)]);
    expect(partly).toMatchObject({
      status: OrderStatus.PARTIALLY_RETURNED,
      paymentStatus: PaymentStatus.PARTIALLY_REFUNDED,
      refundedTotal: "119.00",
    });
    // The stated tax (15.75, on no line) comes back with the last units; the shipping (12.50) was not asked for.
    const all = await giveBack(order, [pumps(order)]);
    expect(all).toMatchObject({
      status: OrderStatus.RETURNED,
      paymentStatus: PaymentStatus.PARTIALLY_REFUNDED,
      refundedTotal: "634.75",
      returns: [{ refundAmount: "119.00" }, { refundAmount: "515.75" }],
    });
  });

  it("committed and backorder: the pump's stock reserved, or short and backordered (a backordering tenant)", async () => {
    const { product } = await clients.catalog.createProduct({
      product: { title: "Hydraulic pump", variants: [{ sku: `HP-${crypto.randomUUID()}`, prices: { USD: "250.00" } }] },
    });
    const variantId = product?.variants[0]?.id ?? "";
    const { stockLocation } = await clients.store.createStockLocation({
      stockLocation: {
        name: "Memphis DC",
        address: { line1: "1 Dock Rd", city: "Memphis", postalCode: "38118", country: "US" },
      },
    });
    const stockLocationId = stockLocation?.id ?? "";
    await clients.inventory.setInventoryLevel({ variantId, stockLocationId, onHand: 3, reason: "count" });
    const items = [
      { variantId, quantity: 2 },
      { sku: "SK-7", name: "Seal kit", quantity: 1, unitPrice: "119.00" },
    ];
    const committed = await seed001({ items, preferredStockLocationId: stockLocationId });
    expect(committed.stockStatus).toBe(StockStatus.COMMITTED);
    expect(committed.items[0]).toMatchObject({ stockLocationId, reservedQuantity: 2, backorderedQuantity: 0 });

    await clients.inventory.updateInventorySettings({ shortagePolicy: StockShortagePolicy.BACKORDER });
    const backorder = await seed001({ items, preferredStockLocationId: stockLocationId });
    expect(backorder.stockStatus).toBe(StockStatus.BACKORDERED);
    expect(backorder.items[0]).toMatchObject({ reservedQuantity: 1, backorderedQuantity: 1 });
  });

  it("canceled", async () => {
    const canceled = orderOf(await clients.orders.cancelOrder({ id: (await seed001()).id, reason: "duplicate" }));
    expect(canceled.status).toBe(OrderStatus.CANCELED);
  });
});
