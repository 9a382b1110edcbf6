import type { Order } from "../../gen/orders/v1/order_pb.js";
import type { Api } from "./api.js";
import { byId, h, labelledInput } from "./dom.js";
import { clearErrors, showError } from "./errors.js";
import { renderOrder } from "./detail.js";

export interface OrderView {
  show(order: Order): void;
}

/** The "Order" panel: opens an order by id (GetOrder) and shows the one last placed or opened. */
export function setUpOrderView(api: Api): OrderView {
  const section = byId("detail-section", HTMLElement);
  const detail = byId("order-detail", HTMLDivElement);
  const openForm = h("form", { id: "open-order-form", class: "filters", novalidate: "" });
  openForm.append(labelledInput("Order id", "open-order-id", "id", { size: "38" }), h("button", { type: "submit" }, "Open"), h("p", { class: "form-error", role: "alert" }));
  const body = h("div");
  detail.replaceChildren(openForm, body);

  const show = (order: Order) => {
    section.hidden = false;
    body.replaceChildren(renderOrder(order));
  };
  openForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      clearErrors(openForm);
      const input = byId("open-order-id", HTMLInputElement);
      try {
        const { order } = await api.orders.getOrder({ id: input.value.trim() });
        if (order) show(order);
      } catch (error) {
        showError(openForm, error);
      }
    })();
  });
  section.hidden = false;
  return { show };
}
