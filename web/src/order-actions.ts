import type { Order } from "../../gen/orders/v1/order_pb.js";
import type { Api } from "./api.js";
import { h, labelledInput, optionalValue } from "./dom.js";
import { clearErrors, showError } from "./errors.js";
import { newRequestId } from "./ids.js";

/**
 * The lifecycle actions of one order. Each call sends the order's etag (so a change made
 * elsewhere in the meantime is refused, not overwritten) and its own request_id. Whether an
 * action is allowed is the server's decision; a refusal shows its code and reason.
 */
export function renderActions(api: Api, order: Order, onChanged: (order: Order) => void): HTMLFormElement {
  const form = h("form", { class: "actions", id: "order-actions", novalidate: "" });
  const fields = {
    carrier: labelledInput("Carrier", "action-carrier", "carrier", { size: "10" }),
    tracking: labelledInput("Tracking number", "action-tracking", "tracking_number", { size: "14" }),
    amount: labelledInput("Amount", "action-amount", "amount", { size: "10", inputmode: "decimal" }),
    method: labelledInput("Payment method", "action-method", "method", { size: "10" }),
    reason: labelledInput("Reason", "action-reason", "reason", { size: "18" }),
  };
  const input = (field: HTMLDivElement) => {
    const element = field.querySelector("input");
    if (!element) throw new Error("labelledInput without an input");
    return element;
  };
  const base = () => ({ id: order.id, etag: order.etag, requestId: newRequestId() });
  const actions: [string, () => Promise<{ order?: Order }>][] = [
    [
      "Fulfill",
      () =>
        api.orders.fulfillOrder({
          ...base(),
          carrier: optionalValue(input(fields.carrier)),
          trackingNumber: optionalValue(input(fields.tracking)),
        }),
    ],
    ["Deliver", () => api.orders.deliverOrder(base())],
    ["Cancel", () => api.orders.cancelOrder({ ...base(), reason: optionalValue(input(fields.reason)) })],
    [
      "Record payment",
      () =>
        api.orders.recordPayment({
          ...base(),
          amount: input(fields.amount).value.trim(),
          method: optionalValue(input(fields.method)),
        }),
    ],
    [
      "Refund",
      () =>
        api.orders.refundOrder({
          ...base(),
          amount: optionalValue(input(fields.amount)),
          reason: optionalValue(input(fields.reason)),
        }),
    ],
  ];
  const formError = h("p", { class: "form-error", role: "alert" });
  form.append(...Object.values(fields));
  for (const [label, call] of actions) {
    const button = h("button", { type: "button", "data-action": label }, label);
    button.addEventListener("click", () => {
      void (async () => {
        clearErrors(form);
        try {
          const { order: changed } = await call();
          if (changed) onChanged(changed);
        } catch (error) {
          showError(form, error);
        }
      })();
    });
    form.append(button);
  }
  form.append(formError);
  form.addEventListener("submit", (event) => event.preventDefault());
  return form;
}
