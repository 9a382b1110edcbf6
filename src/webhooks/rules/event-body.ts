import { create, fromBinary, toJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { randomUUID } from "node:crypto";
import {
  ProductArchivedSchema,
  ProductCreatedSchema,
  ProductUpdatedSchema,
} from "../../../gen/orders/v1/catalog_events_pb.js";
import {
  OrderCanceledSchema,
  OrderCreatedSchema,
  OrderDeliveredSchema,
  OrderFulfilledSchema,
  OrderHeldSchema,
  OrderPaidSchema,
  OrderPaymentVoidedSchema,
  OrderRefundedSchema,
  OrderReleasedSchema,
  OrderReturnReceivedSchema,
  OrderReturnRequestedSchema,
  OrderUpdatedSchema,
} from "../../../gen/orders/v1/events_pb.js";
import {
  HistoryEntryKind,
  OrderHistoryEntrySchema,
  OrderSchema,
  OrderReturnSchema,
  OrderStatus,
  PaymentStatus,
  ReturnState,
} from "../../../gen/orders/v1/order_pb.js";
import { ProductSchema, ProductStatus } from "../../../gen/orders/v1/product_pb.js";
import type { WebhookEventType } from "./event-types.js";

/** The payload message of each event type, as the stream carries it (binary protobuf). */
const PAYLOADS: Record<WebhookEventType, DescMessage> = {
  "order.created": OrderCreatedSchema,
  "order.updated": OrderUpdatedSchema,
  "order.fulfilled": OrderFulfilledSchema,
  "order.delivered": OrderDeliveredSchema,
  "order.canceled": OrderCanceledSchema,
  "order.paid": OrderPaidSchema,
  "order.refunded": OrderRefundedSchema,
  "order.payment_voided": OrderPaymentVoidedSchema,
  "order.held": OrderHeldSchema,
  "order.released": OrderReleasedSchema,
  "order.return_requested": OrderReturnRequestedSchema,
  "order.return_received": OrderReturnReceivedSchema,
  "product.created": ProductCreatedSchema,
  "product.updated": ProductUpdatedSchema,
  "product.archived": ProductArchivedSchema,
};

/** The CloudEvents attributes of an event, as the NATS headers carry them (platform/outbox/cloudevents.ts). */
export interface EventAttributes {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly source: string;
  /** The order's or product's id. */
  readonly subject: string;
  /** RFC 3339, as ce-time. */
  readonly time: string;
  readonly tenantId: string;
  /** ce-sequence as it is (10 digits), absent when the event has none. */
  readonly sequence?: string;
  /** A test order's event, or a sample sent by SendTestWebhookEvent. */
  readonly testmode: boolean;
}

/**
 * The body of a delivery: the event in the CloudEvents JSON format (structured mode), its attributes the
 * NATS headers' (`tenantid` and `sequence` the same extension attributes, `testmode` one of ours) and `data`
 * the payload message in proto JSON (lowerCamelCase names, enums by name, money as decimal strings), exactly
 * what `toJson` gives for the payload decoded from the stream. The string is what every attempt signs and
 * sends, byte for byte.
 */
export function eventBody(attributes: EventAttributes, payload: Uint8Array): string {
  const schema = PAYLOADS[attributes.type];
  return bodyOf(attributes, toJson(schema, fromBinary(schema, payload)));
}

function bodyOf(attributes: EventAttributes, data: JsonValue): string {
  return JSON.stringify({
    specversion: "1.0",
    type: attributes.type,
    source: attributes.source,
    id: attributes.id,
    subject: attributes.subject,
    time: attributes.time,
    tenantid: attributes.tenantId,
    ...(attributes.sequence !== undefined ? { sequence: attributes.sequence } : {}),
    testmode: attributes.testmode,
    datacontenttype: "application/json",
    data,
  });
}

/**
 * A sample event of `type` for SendTestWebhookEvent: a new event id, `testmode` true, and a made-up order or
 * product (a new id, flagged as test data: the order's isTest, the product titled "Sample product") in the
 * payload message real events of the type carry.
 */
export function sampleEvent(
  type: WebhookEventType,
  tenantId: string,
  source: string,
  now: Date,
): { attributes: EventAttributes; body: string } {
  const id = randomUUID();
  const subject = randomUUID();
  const attributes: EventAttributes = {
    id,
    type,
    source,
    subject,
    time: now.toISOString(),
    tenantId,
    sequence: "0000000001",
    testmode: true,
  };
  const common = { eventId: id, tenantId, occurTime: timestampFromDate(now), sequence: 1 };
  const schema = PAYLOADS[type];
  const message = type.startsWith("product.")
    ? create(schema, { ...common, product: sampleProduct(subject, type, now) })
    : create(schema, {
        ...common,
        order: sampleOrder(subject, type, now),
        change: sampleChange(type, now),
        updateMask: type === "order.updated" ? { paths: ["customer_note"] } : undefined,
        orderReturn: sampleReturn(type),
      });
  return { attributes, body: bodyOf(attributes, toJson(schema, message)) };
}

const ORDER_STATUS: Partial<Record<WebhookEventType, OrderStatus>> = {
  "order.fulfilled": OrderStatus.FULFILLED,
  "order.delivered": OrderStatus.DELIVERED,
  "order.canceled": OrderStatus.CANCELED,
  "order.held": OrderStatus.ON_HOLD,
};

function sampleOrder(id: string, type: WebhookEventType, now: Date) {
  const paid = type === "order.paid" || type === "order.refunded";
  return create(OrderSchema, {
    id,
    orderNumber: "SAMPLE-1001",
    status: ORDER_STATUS[type] ?? OrderStatus.PLACED,
    paymentStatus:
      type === "order.refunded" ? PaymentStatus.REFUNDED : paid ? PaymentStatus.PAID : PaymentStatus.UNPAID,
    currency: "USD",
    email: "buyer@example.com",
    items: [
      { id: randomUUID(), sku: "SAMPLE-SKU", name: "Sample item", quantity: 2, unitPrice: "10.00", lineTotal: "20.00" },
    ],
    subtotal: "20.00",
    shippingTotal: "0.00",
    discountTotal: "0.00",
    taxTotal: "0.00",
    total: "20.00",
    paidTotal: paid ? "20.00" : "0.00",
    refundedTotal: type === "order.refunded" ? "20.00" : "0.00",
    customerNote: type === "order.updated" ? "Sample note" : "",
    isTest: true,
    eventSequence: 1,
    createTime: timestampFromDate(now),
    updateTime: timestampFromDate(now),
  });
}

function sampleChange(type: WebhookEventType, now: Date) {
  const status = ORDER_STATUS[type];
  if (status !== undefined || type === "order.released") {
    return create(OrderHistoryEntrySchema, {
      kind: HistoryEntryKind.STATUS,
      fromStatus: type === "order.released" ? OrderStatus.ON_HOLD : OrderStatus.PLACED,
      toStatus: status ?? OrderStatus.PLACED,
      changeTime: timestampFromDate(now),
    });
  }
  if (type === "order.paid" || type === "order.refunded" || type === "order.payment_voided") {
    return create(OrderHistoryEntrySchema, {
      kind: HistoryEntryKind.PAYMENT,
      fromPaymentStatus: type === "order.refunded" ? PaymentStatus.PAID : PaymentStatus.UNPAID,
      toPaymentStatus: type === "order.refunded" ? PaymentStatus.REFUNDED : PaymentStatus.PAID,
      amount: "20.00",
      paymentMethod: "card",
      changeTime: timestampFromDate(now),
    });
  }
  return undefined;
}

function sampleReturn(type: WebhookEventType) {
  if (type !== "order.return_requested" && type !== "order.return_received") return undefined;
  return create(OrderReturnSchema, {
    id: randomUUID(),
    state: type === "order.return_requested" ? ReturnState.REQUESTED : ReturnState.RECEIVED,
    reason: "Sample return",
    refundAmount: "10.00",
  });
}

function sampleProduct(id: string, type: WebhookEventType, now: Date) {
  return create(ProductSchema, {
    id,
    title: "Sample product",
    status: type === "product.archived" ? ProductStatus.ARCHIVED : ProductStatus.ACTIVE,
    variants: [{ id: randomUUID(), sku: "SAMPLE-SKU", name: "Sample variant", prices: { USD: "10.00" } }],
    eventSequence: 1,
    createTime: timestampFromDate(now),
    updateTime: timestampFromDate(now),
  });
}
