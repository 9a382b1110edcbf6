import type { Order } from "../../../gen/orders/v1/order_pb.js";
import type { Clients } from "../../support/clients.js";
import { BROOKLYN } from "../../support/new-york-shop.js";
import { orderOf } from "./order-fixtures.js";

/**
 * docs/lifecycle.md's worked return example: 2 x Mug at 40.00 and 1 x Tee at 20.00 to Brooklyn with SPRING10 and UPS
 * Ground (`groundId`) on a tenant set up by setUpNewYorkShop, paid in full by card (unless `pay` is false), fulfilled.
 */
export async function shippedNewYorkOrder(clients: Clients, groundId: string, pay = true): Promise<Order> {
  const { order } = await clients.orders.createOrder({
    email: "buyer@example.com",
    currency: "USD",
    items: [
      { sku: "MUG", name: "Mug", quantity: 2, unitPrice: "40.00" },
      { sku: "TEE", name: "Tee", quantity: 1, unitPrice: "20.00" },
    ],
    shippingAddress: BROOKLYN,
    shippingMethod: { id: groundId },
    couponCodes: ["SPRING10"],
    ...(pay ? { payment: { method: "card", gatewayReference: "pi_1" } } : {}),
  });
  return orderOf(await clients.orders.fulfillOrder({ id: orderOf({ order }).id }));
}
