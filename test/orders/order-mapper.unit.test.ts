import { create, toBinary, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { OrderSchema } from "../../gen/orders/v1/order_pb.js";
import { orderToMessage, visibleTo, type OrderView } from "../../src/orders/order-mapper.js";

/**
 * orderToMessage builds Order, LineItem, their display amounts and times as object literals instead of through
 * create() (docs/performance.md, reads): the messages must be exactly what create() makes of the same values.
 */
function view(overrides: Partial<OrderView> = {}): OrderView {
  const time = new Date("2026-11-22T10:02:23.957Z");
  return {
    id: "1e07c186-0000-4000-8000-000000000001",
    orderNumber: "1001",
    status: "placed",
    paymentStatus: "partially_paid",
    currency: "USD",
    channel: "b2b_portal",
    propertyId: null,
    subtotal: "2316.0000",
    shippingTotal: "8.9900",
    discountTotal: "10.0000",
    taxTotal: "8.7800",
    total: "2323.7700",
    shippingAddress: { line1: "1 Main St", city: "Brooklyn", region: "NY", postalCode: "11201", country: "US" },
    billingAddress: null,
    customerNote: "leave at the door",
    internalNote: null,
    metadata: { erp: "A-1" },
    createdAt: time,
    updatedAt: time,
    paidTotal: "100.0000",
    refundedTotal: "0.0000",
    fulfillment: null,
    tags: ["vip"],
    placedAt: null,
    email: "ada@example.com",
    poNumber: "PO-7",
    customerReference: null,
    requestedShipDate: "2026-12-01",
    holdUntilDate: null,
    shipByDate: null,
    requestedShippingService: null,
    customFields: { gate: "B" },
    locale: "de-DE",
    privateMetadata: { margin: "0.3" },
    marketId: null,
    salesChannelId: null,
    preferredStockLocationId: null,
    includedTaxTotal: "0.0000",
    additionalTaxTotal: "8.7800",
    taxSource: "server",
    taxZoneId: null,
    shippingLine: null,
    adjustments: [],
    payments: [],
    isTest: false,
    hold: null,
    version: 3,
    eventSequence: 2,
    customer: { id: "8e1f96c3-0000-4000-8000-000000000002" },
    company: null,
    lines: [
      {
        id: "33afb043-0000-4000-8000-000000000003",
        sku: "INJ-6.7-CR",
        name: "6.7L Common-Rail Injector",
        description: null,
        quantity: 8,
        unitPrice: "289.5000",
        taxAmount: "8.7800",
        lineTotal: "2316.0000",
        productId: null,
        variantId: null,
        metadata: { bin: "7" },
        privateMetadata: { cost: "120" },
        requestedSku: null,
        taxCategory: null,
        weightGrams: 1200,
        discountTotal: "10.0000",
        taxLines: [{ displayName: "NY", rate: "0.08875", amount: "8.7800", included: false }],
      },
    ],
    ...overrides,
  };
}

/** What create() makes of the message's values: nested messages are kept as they are, so this checks each level. */
function created(message: ReturnType<typeof orderToMessage>) {
  const { $typeName: _, items, display, createTime, updateTime, placedTime, ...rest } = message;
  return create(OrderSchema, {
    ...rest,
    items: items.map(({ $typeName: _item, display: lineDisplay, ...line }) => ({
      ...line,
      display: lineDisplay && { ...lineDisplay, $typeName: undefined },
    })),
    display: display && { ...display, $typeName: undefined },
    createTime: createTime && { seconds: createTime.seconds, nanos: createTime.nanos },
    updateTime: updateTime && { seconds: updateTime.seconds, nanos: updateTime.nanos },
    placedTime: placedTime && { seconds: placedTime.seconds, nanos: placedTime.nanos },
  });
}

describe("orderToMessage", () => {
  it.each([
    ["a rich order", view()],
    ["a guest order of yen without lines", view({ currency: "JPY", subtotal: "0.0000", total: "0.0000", lines: [] })],
    ["a paid order", view({ paidTotal: "2323.7700", customer: null, locale: null })],
  ])("builds %s as create() would, on the wire and in JSON", (_name, order) => {
    const message = orderToMessage(order);
    const reference = created(message);
    expect(message).toEqual(reference);
    expect(toBinary(OrderSchema, message)).toEqual(toBinary(OrderSchema, reference));
    expect(toJson(OrderSchema, message)).toEqual(toJson(OrderSchema, reference));
  });

  it("formats the stored amounts as the contract shows them", () => {
    const message = orderToMessage(view());
    expect(message.total).toBe("2323.77");
    expect(message.amountDue).toBe("2223.77");
    expect(message.authorizedTotal).toBe("0.00");
    expect(message.items[0]?.unitPrice).toBe("289.50");
    expect(message.display?.total).toBe("2.323,77\u00a0$");
  });

  it("leaves private metadata out for a viewer exactly as visibleTo does", () => {
    expect(orderToMessage(view(), { privateMetadata: false })).toEqual(visibleTo("viewer", orderToMessage(view())));
  });
});
