import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Channel, HistoryEntryKind, OrderStatus, PaymentStatus } from "../../gen/orders/v1/order_pb.js";
import { clientsFor, PROTOCOLS, type Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf } from "./support/order-fixtures.js";

let service: TestService;
let tenant: TestTenant;
let admin: Clients;
let editor: Clients;
let adminKeyId: string;
let customerId: string;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ role: "editor" });
  const adminKey = await tenant.issueKey({ role: "admin" });
  adminKeyId = adminKey.keyId;
  admin = clientsFor("grpc-http2", service.url, adminKey.key);
  editor = clientsFor("grpc-http2", service.url, tenant.key);
  customerId = await createCustomerId(editor);
});
afterAll(() => ifSetUp(service)?.shutdown());

const placedTime = timestampFromDate(new Date("2022-11-08T19:33:50Z"));

/** Seed 004's full order: 2 x 85.45 + 10 shipping + 10 tax = 190.90, complete, paid and shipped. */
function seed004(extra: Record<string, unknown> = {}) {
  return {
    customerId,
    currency: "USD",
    channel: Channel.IMPORT,
    items: [{ sku: "V-1", name: "Variant 1", quantity: 2, unitPrice: "85.45" }],
    shippingTotal: "10",
    taxTotal: "10",
    customerNote: "I need it ASAP!",
    importDetails: {
      placedTime,
      status: OrderStatus.FULFILLED,
      paymentStatus: PaymentStatus.PAID,
      paidTotal: "190.9",
      fulfillment: {
        carrier: "UPS",
        trackingNumber: "1Z",
        shipTime: timestampFromDate(new Date("2022-11-09T08:00:00Z")),
      },
      expectedSubtotal: "170.9",
      expectedTotal: "190.9",
    },
    ...extra,
  };
}

describe("import with an admin key", () => {
  it.each(PROTOCOLS)("brings in seed 004's order with its state, over %s", async (protocol) => {
    const c = clientsFor(protocol, service.url, (await tenant.issueKey({ role: "admin" })).key);
    const order = orderOf(await c.orders.createOrder(seed004()));
    expect(order).toMatchObject({
      channel: Channel.IMPORT,
      status: OrderStatus.FULFILLED,
      paymentStatus: PaymentStatus.PAID,
      subtotal: "170.90",
      total: "190.90",
      paidTotal: "190.90",
      refundedTotal: "0.00",
      placedTime,
      eventSequence: 1,
      fulfillment: {
        carrier: "UPS",
        trackingNumber: "1Z",
        shipTime: timestampFromDate(new Date("2022-11-09T08:00:00Z")),
      },
    });
    expect(order.createTime).not.toEqual(placedTime);
    expect(order.history).toEqual([
      expect.objectContaining({
        kind: HistoryEntryKind.STATUS,
        fromStatus: OrderStatus.UNSPECIFIED,
        toStatus: OrderStatus.FULFILLED,
        reason: "import",
      }),
      expect.objectContaining({
        kind: HistoryEntryKind.PAYMENT,
        fromPaymentStatus: PaymentStatus.UNSPECIFIED,
        toPaymentStatus: PaymentStatus.PAID,
        reason: "import",
      }),
    ]);
    expect(orderOf(await c.orders.getOrder({ id: order.id }))).toEqual(order);
  });

  it("records the importing key in the history", async () => {
    const order = orderOf(await admin.orders.createOrder(seed004()));
    expect(order.history.map((h) => h.apiKeyId)).toEqual([adminKeyId, adminKeyId]);
  });

  it("continues the lifecycle from the imported state", async () => {
    const order = orderOf(await admin.orders.createOrder(seed004()));
    const delivered = orderOf(await editor.orders.deliverOrder({ id: order.id }));
    expect(delivered.status).toBe(OrderStatus.DELIVERED);
    const refunded = orderOf(await editor.orders.refundOrder({ id: order.id, amount: "0.90" }));
    expect(refunded).toMatchObject({
      paymentStatus: PaymentStatus.PARTIALLY_REFUNDED,
      refundedTotal: "0.90",
      eventSequence: 3,
    });
  });

  it("without import details starts placed and unpaid, placed now", async () => {
    const order = orderOf(await admin.orders.createOrder({ ...seed004(), importDetails: undefined }));
    expect(order).toMatchObject({ status: OrderStatus.PLACED, paymentStatus: PaymentStatus.UNPAID, history: [] });
    expect(order.placedTime).toEqual(order.createTime);
  });

  it.each([
    [
      "partially paid",
      { paymentStatus: PaymentStatus.PARTIALLY_PAID, paidTotal: "100" },
      { paidTotal: "100.00", refundedTotal: "0.00" },
    ],
    [
      "refunded, defaults",
      { paymentStatus: PaymentStatus.REFUNDED, paidTotal: undefined },
      { paidTotal: "190.90", refundedTotal: "190.90" },
    ],
    [
      "partially refunded",
      { paymentStatus: PaymentStatus.PARTIALLY_REFUNDED, paidTotal: "50", refundedTotal: "20" },
      { paidTotal: "50.00", refundedTotal: "20.00" },
    ],
    [
      "unpaid",
      { paymentStatus: PaymentStatus.UNPAID, paidTotal: undefined },
      { paidTotal: "0.00", refundedTotal: "0.00" },
    ],
  ])("takes a %s import", async (_, payment, expected) => {
    const request = seed004();
    const order = orderOf(
      await admin.orders.createOrder({ ...request, importDetails: { ...request.importDetails, ...payment } }),
    );
    expect(order).toMatchObject(expected);
  });

  it("takes a delivered and a canceled import", async () => {
    const request = seed004();
    const deliverTime = timestampFromDate(new Date("2022-11-10T12:00:00Z"));
    const delivered = orderOf(
      await admin.orders.createOrder({
        ...request,
        importDetails: {
          ...request.importDetails,
          status: OrderStatus.DELIVERED,
          fulfillment: { ...request.importDetails.fulfillment, deliverTime },
        },
      }),
    );
    expect(delivered).toMatchObject({ status: OrderStatus.DELIVERED, fulfillment: { deliverTime } });
    const canceled = orderOf(
      await admin.orders.createOrder({
        ...request,
        importDetails: { status: OrderStatus.CANCELED, paymentStatus: PaymentStatus.UNPAID, placedTime },
      }),
    );
    expect(canceled.status).toBe(OrderStatus.CANCELED);
    expect(canceled.fulfillment).toBeUndefined();
  });
});

describe("import refused", () => {
  it("without an admin key: PERMISSION_DENIED ROLE_REQUIRED, also without import details, and nothing is written", async () => {
    for (const request of [seed004(), { ...seed004(), importDetails: undefined }]) {
      expect(await rejectionOf(editor.orders.createOrder({ ...request, orderNumber: "IMP-DENIED" }))).toMatchObject({
        code: Code.PermissionDenied,
        reason: "ROLE_REQUIRED",
        metadata: { requiredRole: "admin", role: "editor" },
      });
    }
    expect((await editor.orders.listOrders({ orderNumber: "IMP-DENIED" })).orders).toEqual([]);
  });

  it("for an order that is not an import: INVALID_ARGUMENT naming import_details", async () => {
    for (const c of [admin, editor]) {
      expect(await rejectionOf(c.orders.createOrder(seed004({ channel: Channel.STOREFRONT })))).toMatchObject({
        code: Code.InvalidArgument,
        violations: [{ field: "import_details", reason: "IMPORT_ONLY" }],
      });
    }
  });

  it("when stated totals disagree with the lines", async () => {
    const request = seed004();
    const error = await rejectionOf(
      admin.orders.createOrder({
        ...request,
        importDetails: { ...request.importDetails, expectedSubtotal: "170.91", expectedTotal: "200" },
      }),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "import_details.expected_subtotal", reason: "TOTAL_MISMATCH" },
        { field: "import_details.expected_total", reason: "TOTAL_MISMATCH" },
      ],
    });
    expect(error.message).toContain("190.90");
  });

  it.each([
    ["paid, but not the total", { paidTotal: "190.89" }, "import_details.paid_total", "OUT_OF_RANGE"],
    [
      "partially paid without an amount",
      { paymentStatus: PaymentStatus.PARTIALLY_PAID, paidTotal: undefined },
      "import_details.paid_total",
      "REQUIRED",
    ],
    [
      "partially paid in full",
      { paymentStatus: PaymentStatus.PARTIALLY_PAID, paidTotal: "190.90" },
      "import_details.paid_total",
      "OUT_OF_RANGE",
    ],
    [
      "unpaid with money",
      { paymentStatus: PaymentStatus.UNPAID, paidTotal: "1" },
      "import_details.paid_total",
      "AMOUNT_NOT_ALLOWED",
    ],
    [
      "refunded more than paid",
      { paymentStatus: PaymentStatus.REFUNDED, paidTotal: "10", refundedTotal: "10.01" },
      "import_details.refunded_total",
      "OUT_OF_RANGE",
    ],
    [
      "partially refunded without an amount",
      { paymentStatus: PaymentStatus.PARTIALLY_REFUNDED },
      "import_details.refunded_total",
      "REQUIRED",
    ],
    ["paid with a refund", { refundedTotal: "1" }, "import_details.refunded_total", "AMOUNT_NOT_ALLOWED"],
    [
      "authorized (an import has no payments to capture)",
      { paymentStatus: PaymentStatus.AUTHORIZED, paidTotal: undefined },
      "import_details.payment_status",
      "PAYMENT_STATUS_NOT_IMPORTABLE",
    ],
    [
      "more fraction digits than USD",
      { paidTotal: "190.900" },
      "import_details.paid_total",
      "TOO_MANY_FRACTION_DIGITS",
    ],
    [
      "a placed time in the future",
      { placedTime: timestampFromDate(new Date(Date.now() + 3_600_000)) },
      "import_details.placed_time",
      "IN_FUTURE",
    ],
    [
      "shipment details on a placed order",
      { status: OrderStatus.PLACED },
      "import_details.fulfillment",
      "NOT_FULFILLED",
    ],
    [
      "a delivery time on an undelivered order",
      { fulfillment: { deliverTime: placedTime } },
      "import_details.fulfillment.deliver_time",
      "NOT_DELIVERED",
    ],
    [
      "a shipment after the delivery",
      {
        status: OrderStatus.DELIVERED,
        fulfillment: { shipTime: timestampFromDate(new Date("2022-11-11T00:00:00Z")), deliverTime: placedTime },
      },
      "import_details.fulfillment.ship_time",
      "AFTER_DELIVERY",
    ],
  ])("when %s", async (_, details, field, reason) => {
    const request = seed004();
    const error = await rejectionOf(
      admin.orders.createOrder({ ...request, importDetails: { ...request.importDetails, ...details } }),
    );
    expect(error).toMatchObject({ code: Code.InvalidArgument, violations: [{ field, reason }] });
  });

  it("with an undefined status value, by the contract's rule", async () => {
    const request = seed004();
    const error = await rejectionOf(
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- a value outside the enum, on purpose
      admin.orders.createOrder({ ...request, importDetails: { ...request.importDetails, status: 99 as OrderStatus } }),
    );
    expect(error).toMatchObject({ code: Code.InvalidArgument, violations: [{ field: "import_details.status" }] });
  });
});
