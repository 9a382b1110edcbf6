import { create } from "@bufbuild/protobuf";
import {
  Channel,
  LineItemSchema,
  OrderSchema as OrderMessageSchema,
  OrderStatus,
  PaymentStatus,
  type Order as OrderMessage,
} from "../../gen/orders/v1/order_pb.js";
import { currencyMinorUnits } from "../money/currency.js";
import { formatAmount, formatUnitPrice, parseAmount } from "../money/money.js";
import { recordToAddress } from "../customers/public.js";
import type { Order } from "./entities/order.js";
import type { OrderLine } from "./entities/order-line.js";
import { columnToEnum } from "./enum-columns.js";
import { fulfillmentToMessage, historyEntryToMessage, type HistoryEntryView } from "./history-mapper.js";
import { etagOf } from "../platform/database/etag.js";
import { wireTimestamp } from "./timestamps.js";

export { enumToColumn } from "./enum-columns.js";

/** An order line as orderToMessage reads it: an OrderLine entity, or a row about to be inserted. */
export type OrderLineView = Pick<
  OrderLine,
  | "id"
  | "sku"
  | "name"
  | "description"
  | "quantity"
  | "unitPrice"
  | "taxAmount"
  | "lineTotal"
  | "productId"
  | "variantId"
>;

/**
 * An order as orderToMessage reads it: a loaded Order entity (GetOrder), or the plain rows
 * CreateOrder inserts without the unit of work. `lines` and `history` are anything iterable, e.g.
 * the entity's collections or arrays. What a new row leaves out (version, event_sequence, history)
 * takes the value the database gives a new order.
 */
export type OrderView = Pick<
  Order,
  | "id"
  | "orderNumber"
  | "status"
  | "paymentStatus"
  | "currency"
  | "channel"
  | "propertyId"
  | "subtotal"
  | "shippingTotal"
  | "discountTotal"
  | "taxTotal"
  | "total"
  | "shippingAddress"
  | "billingAddress"
  | "customerNote"
  | "internalNote"
  | "metadata"
  | "createdAt"
  | "updatedAt"
  | "paidTotal"
  | "refundedTotal"
  | "fulfillment"
  | "tags"
  | "placedAt"
> &
  Partial<Pick<Order, "version" | "eventSequence">> & {
    customer: { id: string };
    lines: Iterable<OrderLineView>;
    history?: Iterable<HistoryEntryView>;
  };

/**
 * The one way an order leaves the service, for CreateOrder, GetOrder and the
 * events alike. Amounts are re-formatted to the currency's minor units because
 * numeric(19,4) columns come back with four fraction digits. Times are clamped
 * into the range every encoding carries (wireTimestamp): only a row stored
 * before the contract bounded times is outside it.
 */
export function orderToMessage(order: OrderView): OrderMessage {
  const minorUnits = currencyMinorUnits(order.currency);
  if (minorUnits === undefined) throw new Error(`order ${order.id} has unsupported currency ${order.currency}`);
  const amount = (value: string) => formatAmount(parseAmount(value), minorUnits);
  return create(OrderMessageSchema, {
    id: order.id,
    orderNumber: order.orderNumber,
    customerId: order.customer.id,
    status: columnToEnum(OrderStatus, order.status),
    paymentStatus: columnToEnum(PaymentStatus, order.paymentStatus),
    currency: order.currency,
    channel: columnToEnum(Channel, order.channel),
    propertyId: order.propertyId ?? "",
    items: Array.from(order.lines, (line) =>
      create(LineItemSchema, {
        id: line.id,
        sku: line.sku,
        name: line.name,
        description: line.description ?? "",
        quantity: line.quantity,
        unitPrice: formatUnitPrice(parseAmount(line.unitPrice), minorUnits),
        taxAmount: line.taxAmount == null ? undefined : amount(line.taxAmount),
        lineTotal: amount(line.lineTotal),
        productId: line.productId ?? "",
        variantId: line.variantId ?? "",
      }),
    ),
    subtotal: amount(order.subtotal),
    shippingTotal: amount(order.shippingTotal),
    discountTotal: amount(order.discountTotal),
    taxTotal: amount(order.taxTotal),
    total: amount(order.total),
    shippingAddress: recordToAddress(order.shippingAddress),
    billingAddress: recordToAddress(order.billingAddress),
    customerNote: order.customerNote ?? "",
    internalNote: order.internalNote ?? "",
    metadata: { ...order.metadata },
    createTime: wireTimestamp(order.createdAt),
    updateTime: wireTimestamp(order.updatedAt),
    etag: etagOf(order.id, order.version ?? 1),
    paidTotal: amount(order.paidTotal),
    refundedTotal: amount(order.refundedTotal),
    fulfillment: fulfillmentToMessage(order.fulfillment),
    tags: [...order.tags],
    history: Array.from(order.history ?? [], (entry) => historyEntryToMessage(entry, amount)),
    placedTime: wireTimestamp(order.placedAt ?? order.createdAt),
    eventSequence: order.eventSequence ?? 1,
  });
}
