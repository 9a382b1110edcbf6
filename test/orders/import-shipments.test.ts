import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Channel, OrderStatus, PaymentStatus } from "../../gen/orders/v1/order_pb.js";
import { clientsFor, PROTOCOLS, type Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf } from "./support/order-fixtures.js";

/**
 * Issue 14 §5: an import (seed 004) brings a partially shipped order with its shipments
 * (import_details.fulfillments), stored as FulfillOrder would have stored them, so the lifecycle goes on from there.
 */

let service: TestService;
let tenant: TestTenant;
let admin: Clients;
let editor: Clients;
let customerId: string;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ role: "editor" });
  admin = clientsFor("grpc-http2", service.url, (await tenant.issueKey({ role: "admin" })).key);
  editor = clientsFor("grpc-http2", service.url, tenant.key);
  customerId = await createCustomerId(editor);
});
afterAll(() => ifSetUp(service)?.shutdown());

const at = (iso: string) => timestampFromDate(new Date(iso));
const placedTime = at("2022-11-08T19:33:50Z");
const firstShip = at("2022-11-09T08:00:00Z");
const firstDelivery = at("2022-11-10T12:00:00Z");

/**
 * Seed 004's order with its shipment_state "partial": 2 x V-1 at 85.45 and 1 x V-2 at 20.00, + 10 shipping + 10 tax
 * = 210.90, paid; one shipment (delivered) took one V-1 (by SKU) and the V-2 (by position), one V-1 is left.
 */
function partialImport(details: Record<string, unknown> = {}, orderNumber?: string) {
  return {
    customerId,
    currency: "USD",
    channel: Channel.IMPORT,
    ...(orderNumber ? { orderNumber } : {}),
    items: [
      { sku: "V-1", name: "Variant 1", quantity: 2, unitPrice: "85.45" },
      { sku: "V-2", name: "Variant 2", quantity: 1, unitPrice: "20.00" },
    ],
    shippingTotal: "10",
    taxTotal: "10",
    importDetails: {
      placedTime,
      status: OrderStatus.PARTIALLY_FULFILLED,
      paymentStatus: PaymentStatus.PAID,
      expectedTotal: "210.9",
      fulfillments: [
        {
          lines: [
            { sku: "V-1", quantity: 1 },
            { lineIndex: 1, quantity: 1 },
          ],
          carrier: "UPS",
          service: "Ground",
          trackingNumbers: ["1Z001", "1Z002"],
          shipTime: firstShip,
          deliverTime: firstDelivery,
        },
      ],
      ...details,
    },
  };
}

describe("an import with its shipments", () => {
  it.each(PROTOCOLS)("starts partially fulfilled with the shipment as a fulfillment, over %s", async (protocol) => {
    const c = clientsFor(protocol, service.url, (await tenant.issueKey({ role: "admin" })).key);
    const order = orderOf(await c.orders.createOrder(partialImport()));
    const [v1, v2] = order.items;
    expect(order).toMatchObject({
      status: OrderStatus.PARTIALLY_FULFILLED,
      paymentStatus: PaymentStatus.PAID,
      total: "210.90",
      eventSequence: 1,
      // As FulfillOrder keeps it: the first shipment's carrier, service, first tracking number and ship time.
      fulfillment: { carrier: "UPS", service: "Ground", trackingNumber: "1Z001", shipTime: firstShip },
      fulfillments: [
        {
          lines: [
            { lineId: v1?.id, quantity: 1 },
            { lineId: v2?.id, quantity: 1 },
          ],
          stockLocationId: "",
          carrier: "UPS",
          service: "Ground",
          trackingNumbers: ["1Z001", "1Z002"],
          shipTime: firstShip,
          deliverTime: firstDelivery,
        },
      ],
    });
    expect(order.fulfillment?.deliverTime).toBeUndefined();
    expect(order.fulfillments[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(order.history.map((entry) => [entry.toStatus, entry.reason])).toContainEqual([
      OrderStatus.PARTIALLY_FULFILLED,
      "import",
    ]);
    expect(orderOf(await c.orders.getOrder({ id: order.id }))).toEqual(order);
  });

  it("then FulfillOrder ships only what is left, and DeliverOrder delivers that fulfillment", async () => {
    const imported = orderOf(await admin.orders.createOrder(partialImport()));
    const v1 = imported.items[0]?.id ?? "";
    // More than is left of V-1 (1 of 2) is refused, as for any partially fulfilled order.
    const tooMany = await rejectionOf(
      editor.orders.fulfillOrder({ id: imported.id, lines: [{ lineId: v1, quantity: 2 }] }),
    );
    expect(tooMany).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "lines[0].quantity", reason: "QUANTITY_EXCEEDS_UNFULFILLED" }],
    });
    const fulfilled = orderOf(await editor.orders.fulfillOrder({ id: imported.id, carrier: "DHL" }));
    expect(fulfilled.status).toBe(OrderStatus.FULFILLED);
    expect(fulfilled.fulfillments).toHaveLength(2);
    const rest = fulfilled.fulfillments[1];
    expect(rest).toMatchObject({ lines: [{ lineId: v1, quantity: 1 }], carrier: "DHL" });
    // The imported shipment was delivered already: delivering the rest delivers the order.
    expect(
      await rejectionOf(
        editor.orders.deliverOrder({ id: imported.id, fulfillmentId: fulfilled.fulfillments[0]?.id ?? "" }),
      ),
    ).toMatchObject({ code: Code.FailedPrecondition, reason: "FULFILLMENT_ALREADY_DELIVERED" });
    const delivered = orderOf(await editor.orders.deliverOrder({ id: imported.id, fulfillmentId: rest?.id ?? "" }));
    expect(delivered.status).toBe(OrderStatus.DELIVERED);
    expect(delivered.fulfillments.every((f) => f.deliverTime !== undefined)).toBe(true);
  });

  it("imports a fully shipped order fulfilled, then delivers its undelivered shipment alone", async () => {
    const order = orderOf(
      await admin.orders.createOrder(
        partialImport({
          status: OrderStatus.FULFILLED,
          fulfillments: [
            { lines: [{ lineIndex: 1, quantity: 1 }], shipTime: firstShip, deliverTime: firstDelivery },
            { lines: [{ sku: "V-1", quantity: 2 }], carrier: "FedEx", shipTime: at("2022-11-11T08:00:00Z") },
          ],
        }),
      ),
    );
    expect(order).toMatchObject({ status: OrderStatus.FULFILLED, fulfillment: { shipTime: firstShip } });
    expect(await rejectionOf(editor.orders.fulfillOrder({ id: order.id }))).toMatchObject({
      code: Code.FailedPrecondition,
    });
    const delivered = orderOf(
      await editor.orders.deliverOrder({ id: order.id, fulfillmentId: order.fulfillments[1]?.id ?? "" }),
    );
    expect(delivered.status).toBe(OrderStatus.DELIVERED);
  });

  it("imports a delivered order: Order.fulfillment has the last delivery", async () => {
    const lastDelivery = at("2022-11-12T09:00:00Z");
    const order = orderOf(
      await admin.orders.createOrder(
        partialImport({
          status: OrderStatus.DELIVERED,
          fulfillments: [
            { lines: [{ lineIndex: 0, quantity: 2 }], shipTime: firstShip, deliverTime: lastDelivery },
            { lines: [{ sku: "V-2", quantity: 1 }], shipTime: firstShip, deliverTime: firstDelivery },
          ],
        }),
      ),
    );
    expect(order).toMatchObject({
      status: OrderStatus.DELIVERED,
      fulfillment: { shipTime: firstShip, deliverTime: lastDelivery },
    });
    expect(order.fulfillments).toHaveLength(2);
  });
});

const line = (ref: Record<string, unknown>, quantity = 1) => ({ ...ref, quantity });
const ship = (lines: Record<string, unknown>[], times: Record<string, unknown> = {}) => ({
  lines,
  shipTime: firstShip,
  ...times,
});

describe("an import with shipments refused, nothing written", () => {
  it.each([
    ["partially fulfilled without shipments", { fulfillments: [] }, "import_details.fulfillments", "REQUIRED"],
    ["shipments on a placed order", { status: OrderStatus.PLACED }, "import_details.fulfillments", "NOT_FULFILLED"],
    [
      "shipments and the single fulfillment",
      {
        status: OrderStatus.FULFILLED,
        fulfillment: { carrier: "UPS" },
        fulfillments: [ship([line({ lineIndex: 0 }, 2), line({ lineIndex: 1 })])],
      },
      "import_details.fulfillment",
      "FULFILLMENT_CONFLICT",
    ],
    [
      "a line index past the items",
      { fulfillments: [ship([line({ lineIndex: 2 })])] },
      "import_details.fulfillments[0].lines[0].line_index",
      "LINE_NOT_FOUND",
    ],
    [
      "a SKU of no line",
      { fulfillments: [ship([line({ sku: "V-1" }), line({ sku: "V-9" })])] },
      "import_details.fulfillments[0].lines[1].sku",
      "LINE_NOT_FOUND",
    ],
    [
      "a line twice in a shipment",
      { fulfillments: [ship([line({ sku: "V-1" }), line({ lineIndex: 0 })])] },
      "import_details.fulfillments[0].lines[1].line_index",
      "DUPLICATE_LINE",
    ],
    [
      "more units than the line has, across shipments",
      {
        fulfillments: [
          ship([line({ sku: "V-1" })]),
          ship([line({ sku: "V-1" }, 2)], { shipTime: at("2022-11-10T00:00:00Z") }),
        ],
      },
      "import_details.fulfillments[1].lines[0].quantity",
      "QUANTITY_EXCEEDS_UNFULFILLED",
    ],
    [
      "partially fulfilled with every unit shipped",
      { fulfillments: [ship([line({ lineIndex: 0 }, 2), line({ lineIndex: 1 })])] },
      "import_details.status",
      "STATUS_MISMATCH",
    ],
    ["fulfilled with units left", { status: OrderStatus.FULFILLED }, "import_details.status", "STATUS_MISMATCH"],
    [
      "delivered with an undelivered shipment",
      {
        status: OrderStatus.DELIVERED,
        fulfillments: [ship([line({ lineIndex: 0 }, 2), line({ lineIndex: 1 })])],
      },
      "import_details.status",
      "STATUS_MISMATCH",
    ],
    [
      "shipments out of order",
      {
        fulfillments: [
          ship([line({ lineIndex: 0 })], { shipTime: at("2022-11-10T00:00:00Z") }),
          ship([line({ lineIndex: 1 })]),
        ],
      },
      "import_details.fulfillments[1].ship_time",
      "NOT_CHRONOLOGICAL",
    ],
    [
      "a delivery before its shipment",
      { fulfillments: [ship([line({ lineIndex: 0 })], { deliverTime: placedTime })] },
      "import_details.fulfillments[0].deliver_time",
      "BEFORE_SHIPMENT",
    ],
    [
      "a shipment before the order was placed",
      { fulfillments: [ship([line({ lineIndex: 0 })], { shipTime: at("2022-11-01T00:00:00Z") })] },
      "import_details.fulfillments[0].ship_time",
      "BEFORE_PLACED",
    ],
    [
      "a shipment in the future",
      {
        fulfillments: [
          ship([line({ lineIndex: 0 })], { shipTime: timestampFromDate(new Date(Date.now() + 3_600_000)) }),
        ],
      },
      "import_details.fulfillments[0].ship_time",
      "IN_FUTURE",
    ],
  ])("when %s", async (name, details, field, reason) => {
    const orderNumber = `IMP-SHIP-${name.replace(/[^a-z]+/g, "-").slice(0, 40)}`;
    const error = await rejectionOf(admin.orders.createOrder(partialImport(details, orderNumber)));
    expect(error).toMatchObject({ code: Code.InvalidArgument, violations: [{ field, reason }] });
    expect((await admin.orders.listOrders({ orderNumber })).orders).toEqual([]);
  });

  it("when two lines share the SKU a shipment names: AMBIGUOUS_SKU", async () => {
    const request = partialImport({ fulfillments: [ship([line({ sku: "V-1" })])] });
    const error = await rejectionOf(
      admin.orders.createOrder({
        ...request,
        items: [...request.items, { sku: "V-1", name: "Variant 1 again", quantity: 1, unitPrice: "0" }],
        importDetails: { ...request.importDetails, expectedTotal: undefined },
      }),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "import_details.fulfillments[0].lines[0].sku", reason: "AMBIGUOUS_SKU" }],
    });
  });

  it("by the contract's rules: a line named neither way, a shipment without lines or ship time", async () => {
    const error = await rejectionOf(
      admin.orders.createOrder(
        partialImport({ fulfillments: [{ lines: [{ quantity: 1 }], shipTime: firstShip }, { lines: [] }] }),
      ),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations.map((v) => v.field)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^import_details\.fulfillments\[0\]\.lines\[0\]/),
        "import_details.fulfillments[1].lines",
        "import_details.fulfillments[1].ship_time",
      ]),
    );
  });
});
