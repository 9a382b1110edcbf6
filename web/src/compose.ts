import type { MessageInitShape } from "@bufbuild/protobuf";
import { ChannelSchema, type Order } from "../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequestSchema } from "../../gen/orders/v1/orders_service_pb.js";
import type { Api } from "./api.js";
import { byId, h, optionalValue } from "./dom.js";
import { enumOptions } from "./enums.js";
import { clearErrors, showError } from "./errors.js";
import { newRequestId } from "./ids.js";
import { requestIds } from "./request-ids.js";
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
  /** The order the form describes right now, without a request_id (placing it adds one). */
  request(): OrderRequestInit;
  /** Shows server-computed line totals and totals. */
  showPriced(priced: Priced): void;
  /** Called on every change of the order, e.g. to price it again. */
  onChange(listener: () => void): void;
}

/** What the page says when the answer to "Place order" was lost (see answerLost in errors.ts). */
export const ANSWER_LOST =
  'The answer to "Place order" was lost, so the order may have been placed. Placing it again is safe: the console ' +
  "sends the same request id, so the service places this order at most once and answers with it if it exists. " +
  "If you change the order first, it is a new order.";

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
  // One idempotency key per order as composed, kept until it is placed: placing the same order again after a lost
  // answer cannot create a second one, and an edited order is a new request.
  const ids = requestIds(newRequestId);

  channel.replaceChildren(...enumOptions(ChannelSchema, "Default (admin)"));

  const changed = () => {
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
      const order = request();
      try {
        const { order: placed } = await api.orders.createOrder({ ...order, requestId: ids.idFor(order) });
        ids.succeeded(order);
        if (!placed) return;
        showPriced(placed);
        result.textContent = `Placed order ${placed.orderNumber}: ${formatMoney(placed.total, placed.currency)}`;
        result.dataset["orderId"] = placed.id;
        onPlaced(placed);
      } catch (error) {
        showError(form, error, { ifAnswerLost: ANSWER_LOST });
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
