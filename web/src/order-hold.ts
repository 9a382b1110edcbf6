import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Order } from "../../gen/orders/v1/order_pb.js";
import type { Api } from "./api.js";
import { h, labelledInput, optionalValue } from "./dom.js";
import { actionButton } from "./order-action.js";

/**
 * The order's hold (Order.hold: reason, since when, until when) with "Release" (ReleaseOrder), or, when it is not
 * held, "Hold" (HoldOrder) with a reason and an optional hold-until time. Whether the order can be held is the
 * server's decision; a refusal is shown in the form.
 */
export function renderHold(api: Api, order: Order, onChanged: (order: Order) => void): HTMLElement {
  const form = h("form", { class: "actions", id: "order-hold", novalidate: "" });
  const hold = order.hold;
  const error = h("p", { class: "form-error", role: "alert" });
  if (hold) {
    const until = hold.holdUntil ? timestampDate(hold.holdUntil) : undefined;
    form.append(
      h(
        "p",
        { "data-hold": "" },
        "On hold: ",
        h("span", { "data-hold-reason": "" }, hold.reason),
        until
          ? h("span", { "data-hold-until": until.toISOString() }, ` · until ${until.toLocaleString()}`)
          : " · until released",
      ),
      labelledInput("Release reason", "hold-release-reason", "reason", { size: "18" }),
      actionButton(
        form,
        order,
        {
          label: "Release",
          request: () => ({ reason: optionalValue(inputOf(form, "hold-release-reason")) }),
          call: (request) => api.orders.releaseOrder(request),
        },
        onChanged,
      ),
    );
  } else {
    form.append(
      labelledInput("Hold reason", "hold-reason", "reason", { size: "18" }),
      labelledInput("Hold until", "hold-until", "hold_until", { type: "datetime-local" }),
      actionButton(
        form,
        order,
        {
          label: "Hold",
          request: () => {
            // datetime-local is the browser's local time; Date reads it so, and the service gets the instant.
            const until = inputOf(form, "hold-until").value;
            return {
              reason: inputOf(form, "hold-reason").value.trim(),
              holdUntil: until ? timestampFromDate(new Date(until)) : undefined,
            };
          },
          call: (request) => api.orders.holdOrder(request),
        },
        onChanged,
      ),
    );
  }
  form.append(error);
  form.addEventListener("submit", (event) => event.preventDefault());
  return h("section", { class: "order-part" }, h("h3", {}, "Hold"), form);
}

/** The input with this id in `form`; a missing one is a bug here. */
export function inputOf(form: HTMLElement, id: string): HTMLInputElement {
  const input = form.querySelector(`#${id}`);
  if (!(input instanceof HTMLInputElement)) throw new Error(`#${id} is missing`);
  return input;
}
