import { create } from "@bufbuild/protobuf";
import {
  Channel,
  LineItemSchema,
  OrderSchema as OrderMessageSchema,
  PricingWarningSchema,
  type PricingWarning as PricingWarningMessage,
  OrderStatus,
  StockStatus,
  PaymentStatus,
  type Order as OrderMessage,
} from "../../gen/orders/v1/order_pb.js";
import { currencyMinorUnits } from "../money/currency.js";
import { formatAmount, formatAmountText, formatUnitPrice, parseAmount } from "../money/money.js";
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
  amountDue,
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
 * before the contract bounded times is outside it.
 */
export function orderToMessage(order: OrderView): OrderMessage {
  const minorUnits = currencyMinorUnits(order.currency);
  if (minorUnits === undefined) throw new Error(`order ${order.id} has unsupported currency ${order.currency}`);
  const amount = (value: string) => formatAmountText(value, minorUnits);
  const display = (value: string) => displayAmount(value, order.currency, order.locale ?? null, minorUnits);
  const totals = {
    subtotal: amount(order.subtotal),
    shippingTotal: amount(order.shippingTotal),
    discountTotal: amount(order.discountTotal),
    taxTotal: amount(order.taxTotal),
    total: amount(order.total),
    paidTotal: amount(order.paidTotal),
    refundedTotal: amount(order.refundedTotal),
    includedTaxTotal: amount(order.includedTaxTotal),
    additionalTaxTotal: amount(order.additionalTaxTotal),
    amountDue: formatAmount(amountDue(order.total, order.paidTotal), minorUnits),
  };
  return create(OrderMessageSchema, {
    id: order.id,
    orderNumber: order.orderNumber,
    customerId: order.customer?.id ?? "",
    status: columnToEnum(OrderStatus, order.status),
    paymentStatus: columnToEnum(PaymentStatus, order.paymentStatus),
    currency: order.currency,
    channel: columnToEnum(Channel, order.channel),
    propertyId: order.propertyId ?? "",
    items: Array.from(order.lines, (line) => {
      const unitPrice = formatUnitPrice(parseAmount(line.unitPrice), minorUnits);
      const taxAmount = line.taxAmount == null ? undefined : amount(line.taxAmount);
      const lineTotal = amount(line.lineTotal);
      return create(LineItemSchema, {
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
        privateMetadata: { ...line.privateMetadata },
        requestedSku: line.requestedSku ?? "",
        taxCategory: line.taxCategory ?? "",
        weightGrams: line.weightGrams ?? undefined,
        discountTotal: amount(line.discountTotal),
        taxLines: taxLinesToMessage(line.taxLines, amount),
        stockLocationId: line.stockLocationId ?? "",
        reservedQuantity: line.reservedQuantity ?? 0,
        backorderedQuantity: line.backorderedQuantity ?? 0,
        display: {
          unitPrice: display(unitPrice),
          taxAmount: taxAmount === undefined ? "" : display(taxAmount),
          lineTotal: display(lineTotal),
          discountTotal: display(amount(line.discountTotal)),
        },
      });
    }),
    ...totals,
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
    privateMetadata: { ...order.privateMetadata },
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
    authorizedTotal: formatAmount(authorizedTotal(order.payments), minorUnits),
    hold: holdToMessage(order.hold),
    fulfillments: (order.fulfillments ?? []).map(orderFulfillmentToMessage),
    returns: (order.returns ?? []).map((record) => orderReturnToMessage(record, amount)),
    stockStatus: stockStatusOf(order.lines),
    display: {
      subtotal: display(totals.subtotal),
      shippingTotal: display(totals.shippingTotal),
      discountTotal: display(totals.discountTotal),
      taxTotal: display(totals.taxTotal),
      total: display(totals.total),
      paidTotal: display(totals.paidTotal),
      refundedTotal: display(totals.refundedTotal),
      includedTaxTotal: display(totals.includedTaxTotal),
      additionalTaxTotal: display(totals.additionalTaxTotal),
      amountDue: display(totals.amountDue),
    },
  });
}

/** A `date` column ("YYYY-MM-DD") as a google.type.Date; absent when null. */
function calendarDate(day: string | null | undefined) {
  if (day == null) return undefined;
  const [year, month, date] = day.split("-").map(Number);
  return create(DateSchema, { year, month, day: date });
}

/**
 * The order as a caller of this role may see it: private metadata (order and lines) only for editor and admin keys.
 * Events always carry it (consumers are the seller's own services).
 */
export function visibleTo(role: Role, order: OrderMessage): OrderMessage {
  if (role !== "viewer") return order;
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
