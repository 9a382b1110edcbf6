import { fromBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderDeliveredSchema, OrderFulfilledSchema } from "../../gen/orders/v1/events_pb.js";
import { OrderStatus, type Order } from "../../gen/orders/v1/order_pb.js";
import { clientsFor, PROTOCOLS, type Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf, outboxOf } from "./support/order-fixtures.js";

let service: TestService;
let tenant: TestTenant;
let clients: Clients;
let json: Clients;
let customerId: string;
let warehouse: string;
let closed: string;

const address = { line1: "1 Dock Rd", city: "Newark", postalCode: "07101", country: "US" };

beforeAll(async () => {
  service = await startTestService({ databasePoolMax: 10 });
  tenant = await service.newTenant();
  clients = clientsFor("grpc-http2", service.url, tenant.key);
  json = clientsFor("connect-json-http1", service.url, tenant.key);
  customerId = await createCustomerId(clients);
  const admin = clientsFor("grpc-http2", service.url, (await tenant.issueKey({ role: "admin" })).key);
  warehouse =
    (await admin.store.createStockLocation({ stockLocation: { name: "Newark DC", address, active: true } }))
      .stockLocation?.id ?? "";
  closed =
    (await admin.store.createStockLocation({ stockLocation: { name: "Old depot", address, active: false } }))
      .stockLocation?.id ?? "";
});
afterAll(() => ifSetUp(service)?.shutdown());

/** An order of two lines: 3 x A and 1 x B. */
async function twoLineOrder(c: Clients = clients, extra: Record<string, unknown> = {}): Promise<Order> {
  const { order } = await c.orders.createOrder({
    customerId,
    currency: "USD",
    items: [
      { sku: "A", name: "Widget", quantity: 3, unitPrice: "10.00" },
      { sku: "B", name: "Gadget", quantity: 1, unitPrice: "5.00" },
    ],
    shippingAddress: address,
    ...extra,
  });
  return orderOf({ order });
}

const lineIds = (order: Order) => order.items.map((item) => item.id) as [string, string];

describe("partial fulfilment and deliveries per fulfillment", () => {
  it.each(PROTOCOLS)("ships in two fulfillments and delivers each, over %s", async (protocol) => {
    const c = clientsFor(protocol, service.url, tenant.key);
    const placed = await twoLineOrder(c);
    const [a, b] = lineIds(placed);
    const shipTime = timestampFromDate(new Date(Date.now() - 60_000));
    const first = orderOf(
      await c.orders.fulfillOrder({
        id: placed.id,
        etag: placed.etag,
        lines: [{ lineId: a, quantity: 2 }],
        stockLocationId: warehouse,
        carrier: "UPS",
        service: "Ground",
        trackingNumber: "1Z1",
        trackingNumbers: ["1Z2"],
        shipTime,
      }),
    );
    expect(first).toMatchObject({
      status: OrderStatus.PARTIALLY_FULFILLED,
      fulfillment: { carrier: "UPS", service: "Ground", trackingNumber: "1Z1", shipTime },
      fulfillments: [
        {
          lines: [{ lineId: a, quantity: 2 }],
          stockLocationId: warehouse,
          carrier: "UPS",
          service: "Ground",
          trackingNumbers: ["1Z1", "1Z2"],
          shipTime,
        },
      ],
    });
    expect(first.history.at(-1)).toMatchObject({
      fromStatus: OrderStatus.PLACED,
      toStatus: OrderStatus.PARTIALLY_FULFILLED,
    });

    const second = orderOf(await c.orders.fulfillOrder({ id: placed.id, carrier: "FedEx", trackingNumber: "F1" }));
    expect(second.status).toBe(OrderStatus.FULFILLED);
    expect(second.fulfillments).toHaveLength(2);
    expect(second.fulfillments[1]).toMatchObject({
      lines: [
        { lineId: a, quantity: 1 },
        { lineId: b, quantity: 1 },
      ],
      carrier: "FedEx",
      trackingNumbers: ["F1"],
    });
    // The first shipment stays the order's fulfillment.
    expect(second.fulfillment?.carrier).toBe("UPS");
    const [f1, f2] = second.fulfillments.map((f) => f.id) as [string, string];

    const one = orderOf(await c.orders.deliverOrder({ id: placed.id, fulfillmentId: f1 }));
    expect(one.status).toBe(OrderStatus.FULFILLED);
    expect(one.fulfillments[0]?.deliverTime).toBeDefined();
    expect(one.fulfillments[1]?.deliverTime).toBeUndefined();
    expect(one.fulfillment?.deliverTime).toBeUndefined();

    const again = await rejectionOf(c.orders.deliverOrder({ id: placed.id, fulfillmentId: f1 }));
    expect(again).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "FULFILLMENT_ALREADY_DELIVERED",
      metadata: { fulfillmentId: f1 },
    });

    const all = orderOf(await c.orders.deliverOrder({ id: placed.id, fulfillmentId: f2 }));
    expect(all.status).toBe(OrderStatus.DELIVERED);
    expect(all.fulfillment?.deliverTime).toEqual(all.fulfillments[1]?.deliverTime);
    expect(all.history.map((h) => [h.fromStatus, h.toStatus])).toEqual([
      [OrderStatus.PLACED, OrderStatus.PARTIALLY_FULFILLED],
      [OrderStatus.PARTIALLY_FULFILLED, OrderStatus.FULFILLED],
      [OrderStatus.FULFILLED, OrderStatus.FULFILLED],
      [OrderStatus.FULFILLED, OrderStatus.DELIVERED],
    ]);
    expect(orderOf(await c.orders.getOrder({ id: placed.id }))).toEqual(all);

    const events = await outboxOf(service.orm, placed.id);
    expect(events.map((e) => e.type)).toEqual([
      "order.created",
      "order.fulfilled",
      "order.fulfilled",
      "order.delivered",
      "order.delivered",
    ]);
    const fulfilledEvent = fromBinary(OrderFulfilledSchema, events[1]?.payload ?? new Uint8Array());
    expect(fulfilledEvent.fulfillment).toEqual(first.fulfillments[0]);
    const deliveredEvent = fromBinary(OrderDeliveredSchema, events[4]?.payload ?? new Uint8Array());
    expect(deliveredEvent.fulfillments.map((f) => f.id)).toEqual([f2]);
  });

  it("the whole-order calls work as before: everything in one fulfillment, delivered at once", async () => {
    const placed = await twoLineOrder(clients, { preferredStockLocationId: warehouse });
    const fulfilled = orderOf(await clients.orders.fulfillOrder({ id: placed.id, carrier: "UPS" }));
    expect(fulfilled).toMatchObject({
      status: OrderStatus.FULFILLED,
      fulfillments: [{ stockLocationId: warehouse, lines: [{ quantity: 3 }, { quantity: 1 }] }],
    });
    const delivered = orderOf(await clients.orders.deliverOrder({ id: placed.id }));
    expect(delivered.status).toBe(OrderStatus.DELIVERED);
    expect(delivered.fulfillments[0]?.deliverTime).toEqual(delivered.fulfillment?.deliverTime);
    const events = await outboxOf(service.orm, placed.id);
    expect(fromBinary(OrderDeliveredSchema, events[2]?.payload ?? new Uint8Array()).fulfillments).toHaveLength(1);
  });

  it("a shipment of a partially fulfilled order arrives before the rest ships; then nothing is left to deliver", async () => {
    const placed = await twoLineOrder();
    const [a] = lineIds(placed);
    const shipped = orderOf(await clients.orders.fulfillOrder({ id: placed.id, lines: [{ lineId: a, quantity: 1 }] }));
    const delivered = orderOf(await clients.orders.deliverOrder({ id: placed.id }));
    expect(delivered.status).toBe(OrderStatus.PARTIALLY_FULFILLED);
    expect(delivered.fulfillments[0]?.id).toBe(shipped.fulfillments[0]?.id);
    expect(await rejectionOf(clients.orders.deliverOrder({ id: placed.id }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "NOTHING_TO_DELIVER",
    });
  });

  it("a partially fulfilled order is held, cannot ship while held, and its release brings it back", async () => {
    const placed = await twoLineOrder();
    const [a] = lineIds(placed);
    await clients.orders.fulfillOrder({ id: placed.id, lines: [{ lineId: a, quantity: 1 }] });
    const held = orderOf(await clients.orders.holdOrder({ id: placed.id, reason: "address check" }));
    expect(held.status).toBe(OrderStatus.ON_HOLD);
    expect(await rejectionOf(clients.orders.fulfillOrder({ id: placed.id }))).toMatchObject({
      reason: "ORDER_ON_HOLD",
    });
    // Its shipment can still arrive.
    const arrived = orderOf(await clients.orders.deliverOrder({ id: placed.id }));
    expect(arrived.status).toBe(OrderStatus.ON_HOLD);
    expect(arrived.fulfillments[0]?.deliverTime).toBeDefined();
    expect(await rejectionOf(clients.orders.cancelOrder({ id: placed.id }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INVALID_TRANSITION",
      metadata: { currentStatus: "ORDER_STATUS_ON_HOLD" },
    });
    const released = orderOf(await clients.orders.releaseOrder({ id: placed.id }));
    expect(released.status).toBe(OrderStatus.PARTIALLY_FULFILLED);
    // ListOrders reads the same shipments and filters by the new status.
    const { orders } = await clients.orders.listOrders({ status: OrderStatus.PARTIALLY_FULFILLED });
    expect(orders.find((listed) => listed.id === placed.id)).toEqual(released);
    expect(orderOf(await clients.orders.fulfillOrder({ id: placed.id })).status).toBe(OrderStatus.FULFILLED);
  });
});

describe("refusals", () => {
  it("over-fulfilling, an unknown line, a line twice: INVALID_ARGUMENT at the field, nothing written", async () => {
    const placed = await twoLineOrder();
    const [a, b] = lineIds(placed);
    await clients.orders.fulfillOrder({ id: placed.id, lines: [{ lineId: a, quantity: 2 }] });
    const before = orderOf(await clients.orders.getOrder({ id: placed.id }));
    const refused = await rejectionOf(
      json.orders.fulfillOrder({
        id: placed.id,
        lines: [
          { lineId: a, quantity: 2 },
          { lineId: crypto.randomUUID(), quantity: 1 },
          { lineId: b, quantity: 1 },
          { lineId: b, quantity: 1 },
        ],
      }),
    );
    expect(refused).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "lines[0].quantity", reason: "QUANTITY_EXCEEDS_UNFULFILLED" },
        { field: "lines[1].line_id", reason: "LINE_NOT_FOUND" },
        { field: "lines[3].line_id", reason: "DUPLICATE_LINE" },
      ],
    });
    expect(orderOf(await clients.orders.getOrder({ id: placed.id }))).toEqual(before);
    expect(
      await rejectionOf(clients.orders.fulfillOrder({ id: placed.id, lines: [{ lineId: a, quantity: 0 }] })),
    ).toMatchObject({ code: Code.InvalidArgument, violations: [{ field: "lines[0].quantity" }] });
  });

  it("an unknown stock location is NOT_FOUND, an inactive one INVALID_ARGUMENT", async () => {
    const placed = await twoLineOrder();
    expect(
      await rejectionOf(clients.orders.fulfillOrder({ id: placed.id, stockLocationId: crypto.randomUUID() })),
    ).toMatchObject({ code: Code.NotFound, reason: "STOCK_LOCATION_NOT_FOUND" });
    expect(await rejectionOf(clients.orders.fulfillOrder({ id: placed.id, stockLocationId: closed }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "stock_location_id", reason: "STOCK_LOCATION_INACTIVE" }],
    });
    expect(orderOf(await clients.orders.getOrder({ id: placed.id })).eventSequence).toBe(1);
  });

  it("an unknown fulfillment is NOT_FOUND; a fully fulfilled order takes no more fulfilments", async () => {
    const placed = await twoLineOrder();
    const fulfilled = orderOf(await clients.orders.fulfillOrder({ id: placed.id }));
    expect(
      await rejectionOf(clients.orders.deliverOrder({ id: placed.id, fulfillmentId: crypto.randomUUID() })),
    ).toMatchObject({ code: Code.NotFound, reason: "FULFILLMENT_NOT_FOUND" });
    expect(await rejectionOf(clients.orders.fulfillOrder({ id: fulfilled.id }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INVALID_TRANSITION",
      metadata: { currentStatus: "ORDER_STATUS_FULFILLED" },
    });
  });

  it("a partially fulfilled order cannot be canceled", async () => {
    const placed = await twoLineOrder();
    const [a] = lineIds(placed);
    await clients.orders.fulfillOrder({ id: placed.id, lines: [{ lineId: a, quantity: 1 }] });
    expect(await rejectionOf(clients.orders.cancelOrder({ id: placed.id }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INVALID_TRANSITION",
      metadata: { currentStatus: "ORDER_STATUS_PARTIALLY_FULFILLED" },
    });
  });
});

describe("fulfil against cancel", () => {
  it("a partial fulfilment and a cancel at once: one wins, the other gets INVALID_TRANSITION, nothing half-written", async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 8; round++) {
      const placed = await twoLineOrder();
      const [a] = lineIds(placed);
      const [fulfil, cancel] = await Promise.allSettled([
        clients.orders.fulfillOrder({ id: placed.id, lines: [{ lineId: a, quantity: 2 }], carrier: "UPS" }),
        json.orders.cancelOrder({ id: placed.id, reason: "changed mind" }),
      ]);
      expect([fulfil.status, cancel.status].sort()).toEqual(["fulfilled", "rejected"]);
      const loser: unknown =
        fulfil.status === "rejected" ? fulfil.reason : cancel.status === "rejected" ? cancel.reason : null;
      const final = orderOf(await clients.orders.getOrder({ id: placed.id }));
      if (fulfil.status === "fulfilled") {
        outcomes.add("fulfil");
        expect(final).toMatchObject({
          status: OrderStatus.PARTIALLY_FULFILLED,
          fulfillments: [{ lines: [{ quantity: 2 }] }],
        });
        expect(observedError(loser)).toMatchObject({
          code: Code.FailedPrecondition,
          reason: "INVALID_TRANSITION",
          metadata: { currentStatus: "ORDER_STATUS_PARTIALLY_FULFILLED" },
        });
      } else {
        outcomes.add("cancel");
        expect(final).toMatchObject({ status: OrderStatus.CANCELED, fulfillments: [] });
        expect(final.fulfillment).toBeUndefined();
        expect(observedError(loser)).toMatchObject({
          code: Code.FailedPrecondition,
          reason: "INVALID_TRANSITION",
          metadata: { currentStatus: "ORDER_STATUS_CANCELED" },
        });
      }
      expect(final.history).toHaveLength(1);
      expect((await outboxOf(service.orm, placed.id)).map((e) => e.type)).toEqual([
        "order.created",
        fulfil.status === "fulfilled" ? "order.fulfilled" : "order.canceled",
      ]);
    }
    // Which one wins is up to the scheduler; both outcomes are checked whenever they happen.
    expect(outcomes.size).toBeGreaterThanOrEqual(1);
  });
});
