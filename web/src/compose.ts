import type { MessageInitShape } from "@bufbuild/protobuf";
import { ChannelSchema, type Order } from "../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequestSchema } from "../../gen/orders/v1/orders_service_pb.js";
import type { Api } from "./api.js";
import { byId, h, optionalValue } from "./dom.js";
import { enumOptions } from "./enums.js";
import { clearErrors, showError } from "./errors.js";
import { newRequestId } from "./ids.js";
import { formatMoney } from "./money.js";
import { renderTotals, type Totals } from "./totals.js";

export type OrderRequestInit = MessageInitShape<typeof CreateOrderRequestSchema>;

/** A priced order as the server returned it: its totals and, per line, the line total. */
export interface Priced extends Totals {
  items: { lineTotal: string }[];
}

export interface OrderComposer {
  form: HTMLFormElement;
  setCustomer(customerId: string): void;
  /** The request the form describes right now (request_id included). */
  request(): OrderRequestInit;
  /** Shows server-computed line totals and totals. */
  showPriced(priced: Priced): void;
  /** Called on every change of the order, e.g. to price it again. */
  onChange(listener: () => void): void;
}

/**
 * The "New order" form: customer, currency, channel, lines and order-level amounts. It never
 * computes money: line totals and totals appear only as the server returns them.
 */
export function setUpOrderComposer(api: Api, onPlaced: (order: Order) => void): OrderComposer {
  const form = byId("order-form", HTMLFormElement);
  const customerId = byId("order-customer-id", HTMLInputElement);
  const currency = byId("order-currency", HTMLInputElement);
  const channel = byId("order-channel", HTMLSelectElement);
  const lines = byId("order-lines", HTMLTableSectionElement);
  const shipping = byId("order-shipping", HTMLInputElement);
  const discount = byId("order-discount", HTMLInputElement);
  const tax = byId("order-tax", HTMLInputElement);
  const totals = byId("order-totals", HTMLElement);
  const result = byId("order-result", HTMLParagraphElement);
  const listeners: (() => void)[] = [];
  // One idempotency key per version of the order: a retry of the same order (say after a network
  // error) cannot create a second one, and any edit makes it a new request.
  let requestId = newRequestId();

  channel.replaceChildren(...enumOptions(ChannelSchema, "Default (admin)"));

  const changed = () => {
    requestId = newRequestId();
    for (const cell of lines.querySelectorAll("[data-line-total]")) cell.textContent = "";
    totals.replaceChildren();
    for (const listener of listeners) listener();
  };

  const renumber = () => {
    lines.querySelectorAll("tr").forEach((row, index) => {
      for (const input of row.querySelectorAll<HTMLElement>("[data-item-field]")) {
        input.setAttribute("data-field", `items[${index}].${input.dataset["itemField"] ?? ""}`);
      }
    });
  };

  const addLine = () => {
    const cell = (field: string, attributes: Record<string, string>) =>
      h("td", {}, h("input", { "data-item-field": field, autocomplete: "off", ...attributes }));
    const remove = h("button", { type: "button", class: "secondary", title: "Remove line" }, "×");
    const row = h(
      "tr",
      {},
      cell("sku", { "aria-label": "SKU" }),
      cell("name", { "aria-label": "Name" }),
      cell("quantity", { "aria-label": "Quantity", type: "number", min: "1", step: "1", value: "1" }),
      cell("unit_price", { "aria-label": "Unit price", inputmode: "decimal" }),
      cell("tax_amount", { "aria-label": "Tax", inputmode: "decimal" }),
      h("td", { class: "num", "data-line-total": "" }),
      h("td", {}, remove),
    );
    remove.addEventListener("click", () => {
      row.remove();
      renumber();
      changed();
    });
    lines.append(row);
    renumber();
  };

  const request = (): OrderRequestInit => ({
    customerId: customerId.value.trim(),
    currency: optionalValue(currency),
    channel: Number(channel.value),
    shippingTotal: optionalValue(shipping),
    discountTotal: optionalValue(discount),
    taxTotal: optionalValue(tax),
    requestId,
    items: Array.from(lines.querySelectorAll("tr"), (row) => {
      const value = (field: string) =>
        row.querySelector<HTMLInputElement>(`[data-item-field="${field}"]`)?.value.trim() ?? "";
      const quantity = value("quantity");
      return {
        sku: value("sku"),
        name: value("name"),
        // A quantity the browser cannot read as a whole number is sent as 0, which the contract
        // rejects at items[i].quantity, so the message appears at the field like any other.
        quantity: quantity === "" ? undefined : Number.isInteger(Number(quantity)) ? Number(quantity) : 0,
        unitPrice: value("unit_price") || undefined,
        taxAmount: value("tax_amount") || undefined,
      };
    }),
  });

  const showPriced = (priced: Priced) => {
    lines.querySelectorAll("tr").forEach((row, index) => {
      const cell = row.querySelector("[data-line-total]");
      const lineTotal = priced.items[index]?.lineTotal;
      if (cell && lineTotal !== undefined) {
        cell.textContent = formatMoney(lineTotal, priced.currency);
        cell.setAttribute("data-amount", lineTotal);
      }
    });
    renderTotals(totals, priced);
  };

  byId("add-line", HTMLButtonElement).addEventListener("click", () => {
    addLine();
    changed();
  });
  form.addEventListener("input", changed);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      clearErrors(form);
      result.textContent = "";
      try {
        const { order } = await api.orders.createOrder(request());
        if (!order) return;
        showPriced(order);
        result.textContent = `Placed order ${order.orderNumber}: ${formatMoney(order.total, order.currency)}`;
        result.dataset["orderId"] = order.id;
        requestId = newRequestId();
        onPlaced(order);
      } catch (error) {
        showError(form, error);
      }
    })();
  });
  addLine();

  return {
    form,
    setCustomer(id) {
      customerId.value = id;
      changed();
    },
    request,
    showPriced,
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
