import type { Order } from "../../gen/orders/v1/order_pb.js";
import type { Api } from "./api.js";
import { h, labelledInput, optionalValue } from "./dom.js";
import { clearErrors, showError } from "./errors.js";
import { newRequestId } from "./ids.js";
import { requestIds } from "./request-ids.js";

/**
 * request_ids of the actions, kept across renders of the order: an action sent again after its answer was lost goes
 * with the same id (and the same etag), so it is done at most once.
 */
const actionIds = requestIds(newRequestId);

/** What the page says when an action's answer was lost (see answerLost in errors.ts). */
const answerLost = (label: string) =>
  `The answer to "${label}" was lost, so it may have been done. Trying again is safe: the console sends the same ` +
  "request id and the order's etag, so it is done at most once. Open the order again to see its state.";

/**
 * The lifecycle actions of one order. Each call sends the order's etag (so a change made
 * elsewhere in the meantime is refused, not overwritten) and a request_id of its own, the same
 * when the same action is sent again. Whether an action is allowed is the server's decision; a
 * refusal shows its code and reason.
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
  const base = () => ({ id: order.id, etag: order.etag });
  /** Sends an action's request with its request_id; once the action succeeded, its id is forgotten. */
  const send = async <R extends object>(
    label: string,
    request: R,
    call: (request: R & { requestId: string }) => Promise<{ order?: Order }>,
  ) => {
    const key = { action: label, ...request };
    const answer = await call({ ...request, requestId: actionIds.idFor(key) });
    actionIds.succeeded(key);
    return answer;
  };
  const actions: [string, () => Promise<{ order?: Order }>][] = [
    [
      "Fulfill",
      () =>
        send(
          "Fulfill",
          {
            ...base(),
            carrier: optionalValue(input(fields.carrier)),
            trackingNumber: optionalValue(input(fields.tracking)),
          },
          (request) => api.orders.fulfillOrder(request),
        ),
    ],
    ["Deliver", () => send("Deliver", base(), (request) => api.orders.deliverOrder(request))],
    [
      "Cancel",
      () =>
        send("Cancel", { ...base(), reason: optionalValue(input(fields.reason)) }, (request) =>
          api.orders.cancelOrder(request),
        ),
    ],
    [
      "Record payment",
      () =>
        send(
          "Record payment",
          { ...base(), amount: input(fields.amount).value.trim(), method: optionalValue(input(fields.method)) },
          (request) => api.orders.recordPayment(request),
        ),
    ],
    [
      "Refund",
      () =>
        send(
          "Refund",
          { ...base(), amount: optionalValue(input(fields.amount)), reason: optionalValue(input(fields.reason)) },
          (request) => api.orders.refundOrder(request),
        ),
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
          showError(form, error, { ifAnswerLost: answerLost(label) });
        }
      })();
    });
    form.append(button);
  }
  form.append(formError);
  form.addEventListener("submit", (event) => event.preventDefault());
  return form;
}
