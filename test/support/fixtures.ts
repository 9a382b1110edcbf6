import { Channel } from "../../gen/orders/v1/order_pb.js";
import type { Clients } from "./clients.js";

let counter = 0;

/** A customer for orders; e-mails are unique per call so tests never collide. */
export async function createCustomerId(clients: Clients): Promise<string> {
  counter += 1;
  const { customer } = await clients.customers.createCustomer({
    email: `buyer-${Date.now()}-${process.pid}-${counter}@example.com`,
    name: "Ada Buyer",
  });
  if (!customer) throw new Error("CreateCustomer returned no customer");
  return customer.id;
}

/** The request of seed 000 (Sparx CRM): 8 injectors at 289.50 USD over the B2B portal. */
export function seedOrderRequest(customerId: string) {
  return {
    customerId,
    currency: "USD",
    channel: Channel.B2B_PORTAL,
    items: [{ sku: "INJ-6.7-CR", name: "6.7L Common-Rail Injector", quantity: 8, unitPrice: "289.50" }],
  };
}
