import { timestampDate } from "@bufbuild/protobuf/wkt";
import { ChannelSchema, OrderStatusSchema, PaymentStatusSchema, type Order } from "../../gen/orders/v1/order_pb.js";
import { h } from "./dom.js";
import { enumLabel } from "./enums.js";
import { formatMoney } from "./money.js";
import { renderTotals } from "./totals.js";

/** One order as the server returned it: header, lines and totals. */
export function renderOrder(order: Order): HTMLElement {
  const money = (amount: string) => h("span", { "data-amount": amount }, formatMoney(amount, order.currency));
  const created = order.createTime ? timestampDate(order.createTime).toLocaleString() : "";
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
      h("span", { class: "badge", "data-status": "" }, enumLabel(OrderStatusSchema, order.status)),
      " ",
      h("span", { class: "badge", "data-payment-status": "" }, enumLabel(PaymentStatusSchema, order.paymentStatus)),
      " ",
      h("span", { class: "muted" }, `${enumLabel(ChannelSchema, order.channel)} · customer ${order.customerId} · ${created}`),
    ),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", {}, "SKU"), h("th", {}, "Name"), h("th", { class: "num" }, "Quantity"), h("th", { class: "num" }, "Unit price"), h("th", { class: "num" }, "Line total"))),
      h(
        "tbody",
        {},
        ...order.items.map((item) =>
          h(
            "tr",
            {},
            h("td", {}, item.sku),
            h("td", {}, item.name),
            h("td", { class: "num" }, String(item.quantity)),
            h("td", { class: "num" }, money(item.unitPrice)),
            h("td", { class: "num" }, money(item.lineTotal)),
          ),
        ),
      ),
    ),
    totals,
  );
}
