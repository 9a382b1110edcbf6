import { create } from "@bufbuild/protobuf";
import {
  Channel,
  PricingWarningSchema,
  type LineItem,
  type PricingWarning as PricingWarningMessage,
  OrderStatus,
  StockStatus,
  PaymentStatus,
  type Order as OrderMessage,
} from "../../gen/orders/v1/order_pb.js";
import { currencyMinorUnits } from "../money/currency.js";
import { formatAmount, formatAmountText, formatUnitPriceText } from "../money/money.js";
import { displayAmount } from "../money/display.js";
import { DateSchema } from "../../gen/google/type/date_pb.js";
import type { Role } from "../platform/auth/roles.js";
import type { PricingWarning } from "../domain/pricing/checkout.js";
import { recordToAddress } from "../customers/public.js";
import type { Order } from "./entities/order.js";
import type { OrderLine } from "./entities/order-line.js";
import { columnToEnum } from "./enum-columns.js";
import {
  fulfillmentToMessage,
  historyEntryToMessage,
  holdToMessage,
  orderFulfillmentToMessage,
  orderReturnToMessage,
  type HistoryEntryView,
} from "./history-mapper.js";
import { etagOf } from "../platform/database/etag.js";
import { wireTimestamp } from "./timestamps.js";
import {
  adjustmentsToMessage,
  amountDueText,
  authorizedTotal,
  paymentsToMessage,
  shippingLineToMessage,
  taxLinesToMessage,
  taxSource,
} from "./checkout-mapper.js";

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
  | "metadata"
  | "privateMetadata"
  | "requestedSku"
  | "taxCategory"
  | "weightGrams"
  | "discountTotal"
  | "taxLines"
> &
  // A line's stock (issue 14 §1): absent from reads that predate it, 0 / null then.
  Partial<Pick<OrderLine, "stockLocationId" | "reservedQuantity" | "backorderedQuantity">>;

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
  | "email"
  | "poNumber"
  | "customerReference"
  | "requestedShipDate"
  | "holdUntilDate"
  | "shipByDate"
  | "requestedShippingService"
  | "customFields"
  | "locale"
  | "privateMetadata"
  | "marketId"
  | "salesChannelId"
  | "preferredStockLocationId"
  | "includedTaxTotal"
  | "additionalTaxTotal"
  | "taxSource"
  | "taxZoneId"
  | "shippingLine"
  | "adjustments"
  | "payments"
  | "isTest"
  | "hold"
> &
  Partial<Pick<Order, "version" | "eventSequence" | "fulfillments" | "returns">> & {
    /** null for a guest order. */
    customer?: { id: string } | null;
    company?: { id: string } | null;
    lines: Iterable<OrderLineView>;
    history?: Iterable<HistoryEntryView>;
  };

/**
 * The one way an order leaves the service, for CreateOrder, GetOrder and the
 * events alike. Amounts are re-formatted to the currency's minor units because
 * numeric(19,4) columns come back with four fraction digits. Times are clamped
 * into the range every encoding carries (wireTimestamp): only a row stored
 * before the contract bounded times is outside it. Private metadata (order and lines) is left out when
 * `privateMetadata` is false (a viewer's read, see visibleTo); events always carry it.
 */
export function orderToMessage(order: OrderView, { privateMetadata = true } = {}): OrderMessage {
  const minorUnits = currencyMinorUnits(order.currency);
  if (minorUnits === undefined) throw new Error(`order ${order.id} has unsupported currency ${order.currency}`);
  const amount = (value: string) => formatAmountText(value, minorUnits);
  const display = (value: string) => displayAmount(value, order.currency, order.locale ?? null, minorUnits);
  const subtotal = amount(order.subtotal);
  const shippingTotal = amount(order.shippingTotal);
  const discountTotal = amount(order.discountTotal);
  const taxTotal = amount(order.taxTotal);
  const total = amount(order.total);
  const paidTotal = amount(order.paidTotal);
  const refundedTotal = amount(order.refundedTotal);
  const includedTaxTotal = amount(order.includedTaxTotal);
  const additionalTaxTotal = amount(order.additionalTaxTotal);
  const due = amountDueText(order.total, order.paidTotal, minorUnits);
  // Object literals of the generated types rather than create(Schema, init): a listing page builds hundreds of
  // these, and create's reflection over every field (a zero message, then each init value) cost more than the
  // mapping itself in the profile (docs/performance.md, reads). The types make every field of the contract's
  // messages required here, so a field the contract adds cannot be forgotten; the nested messages that most
  // orders lack (addresses, shipments, holds, ...) still go through create.
  return {
    $typeName: "orders.v1.Order",
    id: order.id,
    orderNumber: order.orderNumber,
    customerId: order.customer?.id ?? "",
    status: columnToEnum(OrderStatus, order.status),
    paymentStatus: columnToEnum(PaymentStatus, order.paymentStatus),
    currency: order.currency,
    channel: columnToEnum(Channel, order.channel),
    propertyId: order.propertyId ?? "",
    items: Array.from(order.lines, (line) => lineToMessage(line, minorUnits, amount, display, privateMetadata)),
    subtotal,
    shippingTotal,
    discountTotal,
    taxTotal,
    total,
    paidTotal,
    refundedTotal,
    includedTaxTotal,
    additionalTaxTotal,
    amountDue: due,
    shippingAddress: recordToAddress(order.shippingAddress),
    billingAddress: recordToAddress(order.billingAddress),
    customerNote: order.customerNote ?? "",
    internalNote: order.internalNote ?? "",
    metadata: { ...order.metadata },
    createTime: wireTimestamp(order.createdAt),
    updateTime: wireTimestamp(order.updatedAt),
    etag: etagOf(order.id, order.version ?? 1),
    fulfillment: fulfillmentToMessage(order.fulfillment),
    tags: [...order.tags],
    history: Array.from(order.history ?? [], (entry) => historyEntryToMessage(entry, amount)),
    placedTime: wireTimestamp(order.placedAt ?? order.createdAt),
    eventSequence: order.eventSequence ?? 1,
    email: order.email ?? "",
    poNumber: order.poNumber ?? "",
    customerReference: order.customerReference ?? "",
    requestedShipDate: calendarDate(order.requestedShipDate),
    holdUntilDate: calendarDate(order.holdUntilDate),
    shipByDate: calendarDate(order.shipByDate),
    requestedShippingService: order.requestedShippingService ?? "",
    customFields: order.customFields ?? undefined,
    locale: order.locale ?? "",
    privateMetadata: privateMetadata ? { ...order.privateMetadata } : {},
    companyId: order.company?.id ?? "",
    marketId: order.marketId ?? "",
    salesChannelId: order.salesChannelId ?? "",
    preferredStockLocationId: order.preferredStockLocationId ?? "",
    taxSource: taxSource(order.taxSource),
    taxZoneId: order.taxZoneId ?? "",
    shippingLine: shippingLineToMessage(order.shippingLine, amount),
    adjustments: adjustmentsToMessage(order.adjustments, amount),
    payments: paymentsToMessage(order.payments, amount),
    isTest: order.isTest,
    // No payments (most orders read): zero without decimal.js.
    authorizedTotal:
      order.payments.length === 0
        ? formatAmountText("0", minorUnits)
        : formatAmount(authorizedTotal(order.payments), minorUnits),
    hold: holdToMessage(order.hold),
    fulfillments: (order.fulfillments ?? []).map(orderFulfillmentToMessage),
    returns: (order.returns ?? []).map((record) => orderReturnToMessage(record, amount)),
    stockStatus: stockStatusOf(order.lines),
    display: {
      $typeName: "orders.v1.OrderDisplayAmounts",
      subtotal: display(subtotal),
      shippingTotal: display(shippingTotal),
      discountTotal: display(discountTotal),
      taxTotal: display(taxTotal),
      total: display(total),
      paidTotal: display(paidTotal),
      refundedTotal: display(refundedTotal),
      includedTaxTotal: display(includedTaxTotal),
      additionalTaxTotal: display(additionalTaxTotal),
      amountDue: display(due),
    },
  };
}

function lineToMessage(
  line: OrderLineView,
  minorUnits: number,
  amount: (value: string) => string,
  display: (value: string) => string,
  privateMetadata: boolean,
): LineItem {
  const unitPrice = formatUnitPriceText(line.unitPrice, minorUnits);
  const taxAmount = line.taxAmount == null ? undefined : amount(line.taxAmount);
  const lineTotal = amount(line.lineTotal);
  const discountTotal = amount(line.discountTotal);
  return {
    $typeName: "orders.v1.LineItem",
    id: line.id,
    sku: line.sku,
    name: line.name,
    description: line.description ?? "",
    quantity: line.quantity,
    unitPrice,
    taxAmount,
    lineTotal,
    productId: line.productId ?? "",
    variantId: line.variantId ?? "",
    metadata: { ...line.metadata },
    privateMetadata: privateMetadata ? { ...line.privateMetadata } : {},
    requestedSku: line.requestedSku ?? "",
    taxCategory: line.taxCategory ?? "",
    weightGrams: line.weightGrams ?? undefined,
    discountTotal,
    taxLines: taxLinesToMessage(line.taxLines, amount),
    stockLocationId: line.stockLocationId ?? "",
    reservedQuantity: line.reservedQuantity ?? 0,
    backorderedQuantity: line.backorderedQuantity ?? 0,
    display: {
      $typeName: "orders.v1.LineItemDisplayAmounts",
      unitPrice: display(unitPrice),
      taxAmount: taxAmount === undefined ? "" : display(taxAmount),
      lineTotal: display(lineTotal),
      discountTotal: display(discountTotal),
    },
  };
}

/** A `date` column ("YYYY-MM-DD") as a google.type.Date; absent when null. */
function calendarDate(day: string | null | undefined) {
  if (day == null) return undefined;
  const [year, month, date] = day.split("-").map(Number);
  return create(DateSchema, { year, month, day: date });
}

/** Whether a caller of this role sees private metadata (order and lines): editor and admin keys do, viewers not. */
export function seesPrivateMetadata(role: Role): boolean {
  return role !== "viewer";
}

/**
 * The order as a caller of this role may see it: private metadata (order and lines) only for editor and admin keys.
 * Events always carry it (consumers are the seller's own services). Reads map their rows with
 * orderToMessage(order, { privateMetadata: seesPrivateMetadata(role) }) instead, which copies nothing.
 */
export function visibleTo(role: Role, order: OrderMessage): OrderMessage {
  if (seesPrivateMetadata(role)) return order;
  return {
    ...order,
    privateMetadata: {},
    items: order.items.map((item) => ({ ...item, privateMetadata: {} })),
  };
}

/** The coupon codes that did not apply (CreateOrderResponse.warnings, PreviewOrderResponse.warnings). */
export function warningMessages(warnings: readonly PricingWarning[]): PricingWarningMessage[] {
  return warnings.map((warning) =>
    create(PricingWarningSchema, { reason: warning.reason, field: warning.field, description: warning.message }),
  );
}

/** Where the order's stock stands, from its lines (Order.stock_status): any backordered unit, else any reserved. */
function stockStatusOf(lines: Iterable<OrderLineView>): StockStatus {
  let status = StockStatus.NONE;
  for (const line of lines) {
    if ((line.backorderedQuantity ?? 0) > 0) return StockStatus.BACKORDERED;
    if ((line.reservedQuantity ?? 0) > 0) status = StockStatus.COMMITTED;
  }
  return status;
}
