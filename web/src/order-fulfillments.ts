import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Order, OrderFulfillment } from "../../gen/orders/v1/order_pb.js";
import type { Api } from "./api.js";
import { h, labelledInput, optionalValue } from "./dom.js";
import { actionButton, linesText, quantityInputs, unitsByLine } from "./order-action.js";
import { inputOf } from "./order-hold.js";

/**
 * The order's fulfillments (Order.fulfillments: lines and quantities, stock location, carrier, service, tracking
 * numbers, delivered or not), each not yet delivered with "Mark delivered" (DeliverOrder of its id), and the
 * "Fulfil" form (FulfillOrder): a quantity per line with units left (every unit left by default), a carrier, a
 * service, tracking numbers and a stock location.
 */
export function renderFulfillments(api: Api, order: Order, onChanged: (order: Order) => void): HTMLElement {
  const form = h("form", { id: "order-fulfil", novalidate: "" });
  const error = h("p", { class: "form-error", role: "alert" });
  const list = h(
    "table",
    { id: "order-fulfillments" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["Lines", "Location", "Carrier", "Service", "Tracking", "Shipped", "Delivered", ""].map((label) =>
          h("th", {}, label),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      ...order.fulfillments.map((fulfillment) => fulfillmentRow(api, order, fulfillment, form, onChanged)),
    ),
  );
  const fulfilled = unitsByLine(order.fulfillments);
  const left = (lineId: string) =>
    (order.items.find((item) => item.id === lineId)?.quantity ?? 0) - (fulfilled.get(lineId) ?? 0);
  const quantities = quantityInputs(order, left, (units) => units, "fulfil-quantity", form);
  if (quantities.rows.length > 0) {
    form.append(
      quantities.table("order-fulfil-lines", "Left", "Fulfil"),
      h(
        "div",
        { class: "actions" },
        labelledInput("Carrier", "fulfil-carrier", "carrier", { size: "10" }),
        labelledInput("Service", "fulfil-service", "service", { size: "10" }),
        labelledInput("Tracking numbers", "fulfil-tracking", "tracking_numbers", {
          size: "20",
          placeholder: "separated by commas",
        }),
        labelledInput("Stock location id", "fulfil-location", "stock_location_id", { size: "38" }),
        actionButton(
          form,
          order,
          {
            label: "Fulfil",
            request: () => {
              const lines = quantities.lines();
              if (lines === undefined) return undefined;
              const tracking = inputOf(form, "fulfil-tracking")
                .value.split(",")
                .map((number) => number.trim())
                .filter(Boolean);
              return {
                lines,
                carrier: optionalValue(inputOf(form, "fulfil-carrier")),
                service: optionalValue(inputOf(form, "fulfil-service")),
                trackingNumbers: tracking,
                stockLocationId: optionalValue(inputOf(form, "fulfil-location")),
              };
            },
            call: (request) => api.orders.fulfillOrder(request),
          },
          onChanged,
        ),
      ),
    );
  }
  form.append(error);
  form.addEventListener("submit", (event) => event.preventDefault());
  return h(
    "section",
    { class: "order-part" },
    h("h3", {}, "Fulfillments"),
    order.fulfillments.length > 0 && list,
    form,
  );
}

function fulfillmentRow(
  api: Api,
  order: Order,
  fulfillment: OrderFulfillment,
  form: HTMLElement,
  onChanged: (order: Order) => void,
): HTMLTableRowElement {
  const time = (stamp: typeof fulfillment.shipTime) => (stamp ? timestampDate(stamp).toLocaleString() : "");
  return h(
    "tr",
    { "data-fulfillment-id": fulfillment.id, "data-delivered": fulfillment.deliverTime ? "true" : "false" },
    h("td", { "data-lines": "" }, linesText(order, fulfillment.lines)),
    h("td", {}, fulfillment.stockLocationId),
    h("td", { "data-carrier": "" }, fulfillment.carrier),
    h("td", { "data-service": "" }, fulfillment.service),
    h("td", { "data-tracking": "" }, fulfillment.trackingNumbers.join(", ")),
    h("td", {}, time(fulfillment.shipTime)),
    h("td", { "data-delivery": "" }, fulfillment.deliverTime ? time(fulfillment.deliverTime) : "Not delivered"),
    h(
      "td",
      {},
      !fulfillment.deliverTime &&
        actionButton(
          form,
          order,
          {
            label: "Mark delivered",
            request: () => ({ fulfillmentId: fulfillment.id }),
            call: (request) => api.orders.deliverOrder(request),
          },
          onChanged,
        ),
    ),
  );
}
