import type { Order } from "../../gen/orders/v1/order_pb.js";
import type { Api } from "./api.js";
import { byId, h, labelledInput } from "./dom.js";
import { clearErrors, showError } from "./errors.js";
import { renderOrder } from "./detail.js";
import { renderActions } from "./order-actions.js";
import { renderFulfillments } from "./order-fulfillments.js";
import { renderHold } from "./order-hold.js";
import { renderReturns } from "./order-returns.js";

export interface OrderView {
  show(order: Order): void;
  open(orderId: string): Promise<void>;
}

/**
 * The "Order" panel: opens an order by id (GetOrder), shows it with its lifecycle actions, and
 * reports every change so the list can refresh.
 */
export function setUpOrderView(api: Api, onChanged: () => void): OrderView {
  const detail = byId("order-detail", HTMLDivElement);
  const openForm = h("form", { id: "open-order-form", class: "filters", novalidate: "" });
  openForm.append(
    labelledInput("Order id", "open-order-id", "id", { size: "38" }),
    h("button", { type: "submit" }, "Open"),
    h("p", { class: "form-error", role: "alert" }),
  );
  const body = h("div");
  detail.replaceChildren(openForm, body);

  const changed = (order: Order) => {
    show(order);
    onChanged();
  };
  const show = (order: Order) => {
    // "Open" then reads the shown order again (after a refusal because it changed elsewhere).
    byId("open-order-id", HTMLInputElement).value = order.id;
    body.replaceChildren(
      renderOrder(order),
      renderActions(api, order, changed),
      renderHold(api, order, changed),
      renderFulfillments(api, order, changed),
      renderReturns(api, order, changed),
    );
  };
  const open = async (orderId: string) => {
    clearErrors(openForm);
    byId("open-order-id", HTMLInputElement).value = orderId;
    try {
      const { order } = await api.orders.getOrder({ id: orderId });
      if (order) show(order);
    } catch (error) {
      showError(openForm, error);
    }
  };
  openForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void open(byId("open-order-id", HTMLInputElement).value.trim());
  });
  return { show, open };
}
