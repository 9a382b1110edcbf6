import { timestampDate } from "@bufbuild/protobuf/wkt";
import { ChannelSchema, OrderStatusSchema, PaymentStatusSchema, type Order } from "../../gen/orders/v1/order_pb.js";
import type { Api } from "./api.js";
import { testBadge } from "./detail.js";
import { byId, h, labelledInput, optionalValue } from "./dom.js";
import { enumLabel, enumOptions } from "./enums.js";
import { clearErrors, showError } from "./errors.js";
import { formatMoney } from "./money.js";
import { pager } from "./pager.js";

const PAGE_SIZE = 10;

export interface OrdersList {
  /** Reads the current page again (after a change elsewhere). */
  refresh(): void;
}

/** The "Orders" panel: ListOrders with filters, newest first, page by page. */
export function setUpOrdersList(api: Api, onOpen: (orderId: string) => void): OrdersList {
  const container = byId("orders-list", HTMLDivElement);
  const select = (label: string, id: string, field: string, options: HTMLOptionElement[]) => {
    const element = h("select", { id, "data-field": field });
    element.append(...options);
    return h("div", { class: "field" }, h("label", { for: id }, label), element);
  };
  const form = h(
    "form",
    { id: "orders-filter-form", class: "filters", novalidate: "" },
    select("Status", "filter-status", "status", enumOptions(OrderStatusSchema, "Any")),
    select("Payment", "filter-payment-status", "payment_status", enumOptions(PaymentStatusSchema, "Any")),
    select("Channel", "filter-channel", "channel", enumOptions(ChannelSchema, "Any")),
    labelledInput("Customer id", "filter-customer-id", "customer_id", { size: "38" }),
    labelledInput("Order number", "filter-order-number", "order_number", { size: "10" }),
    h("button", { type: "submit" }, "Search"),
  );
  const formError = h("p", { class: "form-error", role: "alert" });
  form.append(formError);
  const body = h("tbody");
  const table = h(
    "table",
    { class: "orders", id: "orders-table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["Number", "Created", "Customer", "Status", "Payment", "Total"].map((title) =>
          h("th", { class: title === "Total" ? "num" : "" }, title),
        ),
      ),
    ),
    body,
  );
  const value = (id: string) => optionalValue(byId(id, HTMLInputElement));
  const selected = (id: string) => Number(byId(id, HTMLSelectElement).value);
  const pages = pager("orders-page", async (pageToken) => {
    clearErrors(form);
    try {
      const response = await api.orders.listOrders({
        pageSize: PAGE_SIZE,
        pageToken,
        status: selected("filter-status"),
        paymentStatus: selected("filter-payment-status"),
        channel: selected("filter-channel"),
        customerId: value("filter-customer-id"),
        orderNumber: value("filter-order-number"),
      });
      body.replaceChildren(...response.orders.map((order) => row(order, onOpen)));
      if (response.orders.length === 0)
        body.append(h("tr", {}, h("td", { colspan: "6", class: "muted" }, "No orders match.")));
      return response.nextPageToken;
    } catch (error) {
      body.replaceChildren();
      showError(form, error);
      return "";
    }
  });
  container.replaceChildren(form, table, pages.element);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    pages.first();
  });
  return { refresh: pages.refresh };
}

function row(order: Order, onOpen: (orderId: string) => void): HTMLTableRowElement {
  const tr = h(
    "tr",
    { "data-order-id": order.id, tabindex: "0" },
    h("td", {}, order.orderNumber, order.isTest && " ", testBadge(order)),
    h("td", {}, order.createTime ? timestampDate(order.createTime).toLocaleString() : ""),
    // A guest order has only its email; a customer's order has both, and its email says more than the id.
    h("td", { class: "muted", title: order.customerId }, order.email || order.customerId),
    h("td", {}, enumLabel(OrderStatusSchema, order.status)),
    h("td", {}, enumLabel(PaymentStatusSchema, order.paymentStatus)),
    h("td", { class: "num", "data-amount": order.total }, formatMoney(order.total, order.currency)),
  );
  tr.addEventListener("click", () => onOpen(order.id));
  tr.addEventListener("keydown", (event) => {
    if (event.key === "Enter") onOpen(order.id);
  });
  return tr;
}
