import { ReturnState, ReturnStateSchema, type Order, type OrderReturn } from "../../gen/orders/v1/order_pb.js";
import type { Api } from "./api.js";
import { h, labelledInput, optionalValue } from "./dom.js";
import { enumLabel } from "./enums.js";
import { formatMoney } from "./money.js";
import { actionButton, linesText, quantityInputs, unitsByLine } from "./order-action.js";
import { inputOf } from "./order-hold.js";

/**
 * The order's returns (Order.returns: lines and quantities, reason, state, what each refunds and refunded), each
 * requested one with "Receive return" (ReceiveReturn, a "Restock" box per line), and the "Request return" form
 * (RequestReturn): a quantity per line with shipped units not yet in a return (none by default), a reason, and
 * whether to refund the shipping. Amounts are the server's.
 */
export function renderReturns(api: Api, order: Order, onChanged: (order: Order) => void): HTMLElement {
  const form = h("form", { id: "order-return", novalidate: "" });
  const shipped = unitsByLine(order.fulfillments);
  const returned = unitsByLine(order.returns);
  const returnable = (lineId: string) => (shipped.get(lineId) ?? 0) - (returned.get(lineId) ?? 0);
  const quantities = quantityInputs(order, returnable, () => 0, "return-quantity", form);
  const list = h(
    "div",
    { id: "order-returns" },
    ...order.returns.map((orderReturn) => returnItem(api, order, orderReturn, form, onChanged)),
  );
  if (quantities.rows.length > 0) {
    form.append(
      quantities.table("order-return-lines", "Returnable", "Return"),
      h(
        "div",
        { class: "actions" },
        labelledInput("Return reason", "return-reason", "reason", { size: "18" }),
        h(
          "label",
          { class: "check" },
          h("input", { type: "checkbox", id: "return-shipping", "data-field": "refund_shipping" }),
          " Refund shipping",
        ),
        actionButton(
          form,
          order,
          {
            label: "Request return",
            request: () => {
              const lines = quantities.lines();
              if (lines === undefined) return undefined;
              return {
                lines,
                reason: optionalValue(inputOf(form, "return-reason")),
                refundShipping: inputOf(form, "return-shipping").checked,
              };
            },
            call: (request) => api.orders.requestReturn(request),
          },
          onChanged,
        ),
      ),
    );
  }
  form.append(h("p", { class: "form-error", role: "alert" }));
  form.addEventListener("submit", (event) => event.preventDefault());
  return h("section", { class: "order-part" }, h("h3", {}, "Returns"), list, form);
}

/** One return: its lines (each with its amount and, once received, whether it was restocked) and its refund. */
function returnItem(
  api: Api,
  order: Order,
  orderReturn: OrderReturn,
  form: HTMLElement,
  onChanged: (order: Order) => void,
): HTMLElement {
  const money = (amount: string) => h("span", { "data-amount": amount }, formatMoney(amount, order.currency));
  const requested = orderReturn.state === ReturnState.REQUESTED;
  const restock = new Map<string, HTMLInputElement>();
  const lines = orderReturn.lines.map((line) => {
    const box = h("input", { type: "checkbox", "data-restock": line.lineId });
    restock.set(line.lineId, box);
    return h(
      "li",
      { "data-line-id": line.lineId },
      `${linesText(order, [line])} · `,
      money(line.amount),
      requested ? h("label", {}, " ", box, " Restock") : line.restock ? " · restocked" : " · not restocked",
    );
  });
  return h(
    "div",
    { class: "order-return", "data-return-id": orderReturn.id },
    h(
      "p",
      {},
      h("span", { class: "badge", "data-return-state": "" }, enumLabel(ReturnStateSchema, orderReturn.state)),
      " refunds ",
      h(
        "span",
        { "data-refund-amount": orderReturn.refundAmount },
        formatMoney(orderReturn.refundAmount, order.currency),
      ),
      orderReturn.refundShipping && h("span", {}, " (with shipping ", money(orderReturn.shippingAmount), ")"),
      orderReturn.refundedAmount &&
        h(
          "span",
          {},
          " · refunded ",
          h(
            "span",
            { "data-refunded-amount": orderReturn.refundedAmount },
            formatMoney(orderReturn.refundedAmount, order.currency),
          ),
        ),
      orderReturn.reason && ` · ${orderReturn.reason}`,
    ),
    h("ul", {}, ...lines),
    requested &&
      actionButton(
        form,
        order,
        {
          label: "Receive return",
          request: () => ({
            returnId: orderReturn.id,
            lines: orderReturn.lines.map((line) => ({
              lineId: line.lineId,
              restock: restock.get(line.lineId)?.checked ?? false,
            })),
          }),
          call: (request) => api.orders.receiveReturn(request),
        },
        onChanged,
        { "data-return-id": orderReturn.id },
      ),
  );
}
