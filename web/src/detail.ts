import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  ChannelSchema,
  HistoryEntryKindSchema,
  OrderStatusSchema,
  PaymentStatusSchema,
  type Order,
  type OrderHistoryEntry,
} from "../../gen/orders/v1/order_pb.js";
import { orderAddressesText } from "./address-fields.js";
import { h } from "./dom.js";
import { enumLabel } from "./enums.js";
import { formatMoney } from "./money.js";
import { renderTotals } from "./totals.js";

/** The mark of a test order (placed with an sk_test_ key, docs/test-mode.md), or nothing for a live one. */
export function testBadge(order: Order): HTMLElement | false {
  return (
    order.isTest && h("span", { class: "badge test", "data-test-order": "", title: "placed with a test key" }, "TEST")
  );
}

/** One order as the server returned it: header, lines and totals. */
export function renderOrder(order: Order): HTMLElement {
  const money = (amount: string) => h("span", { "data-amount": amount }, formatMoney(amount, order.currency));
  const created = order.createTime ? timestampDate(order.createTime).toLocaleString() : "";
  const shipment = order.fulfillment;
  const totals = h("dl", { class: "totals" });
  renderTotals(totals, order);
  return h(
    "article",
    { "data-order-id": order.id },
    h(
      "p",
      {},
      h("strong", {}, `Order ${order.orderNumber}`),
      " ",
      testBadge(order),
      order.isTest && " ",
      h("span", { class: "badge", "data-status": "" }, enumLabel(OrderStatusSchema, order.status)),
      " ",
      h("span", { class: "badge", "data-payment-status": "" }, enumLabel(PaymentStatusSchema, order.paymentStatus)),
      " ",
      h(
        "span",
        { class: "muted" },
        [
          enumLabel(ChannelSchema, order.channel),
          order.customerId ? `customer ${order.customerId}` : "guest",
          order.companyId && `company ${order.companyId}`,
          order.email,
          order.poNumber && `PO ${order.poNumber}`,
          created,
        ]
          .filter(Boolean)
          .join(" · "),
      ),
    ),
    h(
      "table",
      {},
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, "SKU"),
          h("th", {}, "Name"),
          h("th", { class: "num" }, "Quantity"),
          h("th", { class: "num" }, "Unit price"),
          h("th", { class: "num" }, "Line total"),
        ),
      ),
      h(
        "tbody",
        {},
        ...order.items.map((item) =>
          h(
            "tr",
            {},
            h(
              "td",
              {},
              item.sku,
              item.requestedSku && h("span", { class: "muted" }, ` (ordered as ${item.requestedSku})`),
            ),
            h("td", {}, item.name),
            h("td", { class: "num" }, String(item.quantity)),
            h("td", { class: "num" }, money(item.unitPrice)),
            h("td", { class: "num" }, money(item.lineTotal)),
          ),
        ),
      ),
    ),
    totals,
    (order.billingAddress || order.shippingAddress) &&
      h("p", { class: "muted", "data-addresses": "" }, orderAddressesText(order)),
    h(
      "p",
      { class: "muted" },
      "Paid ",
      money(order.paidTotal || "0"),
      " · refunded ",
      money(order.refundedTotal || "0"),
      shipment && ` · shipped ${shipment.carrier} ${shipment.trackingNumber}`.trimEnd(),
    ),
    order.history.length > 0 &&
      h("ol", { class: "history" }, ...order.history.map((entry) => historyItem(entry, order.currency))),
  );
}

/** One line of the order's history: what changed, when, and the amount or reason if any. */
function historyItem(entry: OrderHistoryEntry, currency: string): HTMLLIElement {
  const when = entry.changeTime ? timestampDate(entry.changeTime).toLocaleString() : "";
  const status =
    entry.fromStatus !== entry.toStatus
      ? ` ${enumLabel(OrderStatusSchema, entry.fromStatus)} → ${enumLabel(OrderStatusSchema, entry.toStatus)}`
      : "";
  const payment =
    entry.fromPaymentStatus !== entry.toPaymentStatus
      ? ` ${enumLabel(PaymentStatusSchema, entry.fromPaymentStatus)} → ${enumLabel(PaymentStatusSchema, entry.toPaymentStatus)}`
      : "";
  return h(
    "li",
    {},
    `${when} · ${enumLabel(HistoryEntryKindSchema, entry.kind)}${status}${payment}`,
    entry.amount && ` · ${formatMoney(entry.amount, currency)}`,
    entry.reason && ` · ${entry.reason}`,
  );
}
