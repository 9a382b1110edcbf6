import type { Order } from "../../../gen/orders/v1/order_pb.js";
import type { Clients } from "../../support/clients.js";

/** A placed, unpaid order of exactly `total` (one line, USD unless told). */
export async function placeOrder(
  clients: Clients,
  customerId: string,
  total = "10.00",
  currency = "USD",
): Promise<Order> {
  const { order } = await clients.orders.createOrder({
    customerId,
    currency,
    items: [{ sku: "SKU-1", name: "Thing", quantity: 1, unitPrice: total }],
    shippingAddress: { line1: "1 Main St", city: "Springfield", country: "US" },
  });
  if (!order) throw new Error("CreateOrder returned no order");
  return order;
}

/** The order a call answered with; fails the test when it has none. */
export function orderOf(response: { order?: Order }): Order {
  if (!response.order) throw new Error("the response carries no order");
  return response.order;
}
