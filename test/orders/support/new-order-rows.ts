import { randomUUID } from "node:crypto";
import type { NewOrderRows } from "../../../src/orders/queries/insert-order.js";

export interface NewOrderRowsOptions {
  tenantId: string;
  customerId: string;
  orderNumber?: string;
  requestId?: string;
  lines?: number;
  /** Text put in every free-text column (notes, names, metadata, tags): the insert test's awkward text. */
  text?: string;
}

/**
 * The rows CreateOrder's one statement writes for a plausible order (queries/insert-order.ts): every column given a
 * value, some null, so the insert test and the bench (bench/writes/write-statement.ts) write the same thing.
 */
export function newOrderRowsFixture(options: NewOrderRowsOptions): NewOrderRows {
  const { tenantId, customerId, text = "Bench" } = options;
  const now = new Date();
  const orderId = randomUUID();
  const requestId = options.requestId ?? null;
  return {
    order: {
      id: orderId,
      tenantId,
      orderNumber: options.orderNumber ?? `R-${orderId}`,
      customerId,
      status: "placed",
      paymentStatus: "unpaid",
      currency: "USD",
      channel: "storefront",
      propertyId: null,
      subtotal: "10.50",
      shippingTotal: "4.90",
      discountTotal: "0",
      taxTotal: "0",
      total: "15.40",
      shippingAddress: { line1: text, country: "GB", city: "Bristol" },
      billingAddress: null,
      customerNote: text,
      internalNote: null,
      metadata: { [text]: text },
      requestId,
      createdAt: now,
      updatedAt: now,
      tags: [text],
      paidTotal: "0",
      refundedTotal: "0",
      fulfillment: null,
      fulfillments: [],
      placedAt: null,
      email: "bea@example.com",
      poNumber: "PO-1",
      customerReference: null,
      requestedShipDate: "2026-12-07",
      holdUntilDate: null,
      shipByDate: null,
      requestedShippingService: null,
      customFields: { "Package Count": 3 },
      locale: null,
      privateMetadata: {},
      companyId: null,
      marketId: null,
      salesChannelId: null,
      preferredStockLocationId: null,
      includedTaxTotal: "0",
      additionalTaxTotal: "0",
      taxSource: "client",
      taxZoneId: null,
      shippingLine: null,
      adjustments: [],
      payments: [],
      isTest: false,
      hold: null,
    },
    lines: Array.from({ length: options.lines ?? 2 }, (_, position) => ({
      id: randomUUID(),
      position,
      sku: `SKU-${position}`,
      name: text,
      description: position === 0 ? null : "second",
      quantity: position + 1,
      unitPrice: "3.50",
      taxAmount: position === 0 ? null : "0.25",
      lineTotal: "3.50",
      productId: null,
      variantId: position === 0 ? null : randomUUID(),
      metadata: Object.fromEntries(position === 0 ? [] : [[text, text]]),
      privateMetadata: {},
      requestedSku: null,
      taxCategory: position === 0 ? null : "standard",
      weightGrams: null,
      discountTotal: "0",
      taxLines: [],
      stockLocationId: null,
      reservedQuantity: 0,
      backorderedQuantity: 0,
    })),
    event: {
      id: randomUUID(),
      tenantId,
      aggregateType: "order",
      aggregateId: orderId,
      aggregateSequence: 1,
      eventType: "order.created",
      subject: `orders.${tenantId}.created`,
      payload: new Uint8Array([0, 1, 2, 39, 92, 63, 255]),
      occurredAt: now,
    },
    idempotency: requestId
      ? {
          tenantId,
          requestId,
          method: "orders.v1.OrdersService/CreateOrder",
          requestHash: "ab".repeat(32),
          response: new Uint8Array([10, 0, 39, 92, 255]),
          createdAt: now,
          expiresAt: new Date(now.getTime() + 86_400_000),
        }
      : undefined,
    history: [],
  };
}
