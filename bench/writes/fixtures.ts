import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import { CustomersService } from "../../gen/orders/v1/customers_service_pb.js";
import { Channel } from "../../gen/orders/v1/order_pb.js";
import { CreateOrderRequestSchema, type CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import { createTenant, issueApiKey } from "../../src/admin/tenants.js";
import { transportFor } from "../../test/support/clients.js";

/** Distinct customers per tenant the load spreads its orders over. */
export const CUSTOMERS_PER_TENANT = 16;

export interface BenchTenant {
  tenantId: string;
  key: string;
  customerIds: string[];
}

/**
 * A tenant of its own for each measured cell, so its order numbers, events (subject
 * orders.<tenant>.created) and counts are that cell's alone. Tenant and key come from the admin
 * functions the CLI uses; customers are created through the public API like a client would.
 */
export async function createBenchTenant(orm: MikroORM, serviceUrl: string, label: string): Promise<BenchTenant> {
  const em = orm.em.fork();
  const tenant = await createTenant(em, `bench ${label}`);
  const { key } = await issueApiKey(em, tenant.id, { role: "editor", mode: "live", name: "bench" });
  const customers = createClient(CustomersService, transportFor("connect-json-http1", serviceUrl));
  const customerIds: string[] = [];
  for (let i = 0; i < CUSTOMERS_PER_TENANT; i++) {
    const { customer } = await customers.createCustomer(
      { email: `buyer-${i}@bench.example`, name: `Bench Buyer ${i}` },
      { headers: { authorization: `Bearer ${key}` } },
    );
    if (!customer) throw new Error("CreateCustomer returned no customer");
    customerIds.push(customer.id);
  }
  return { tenantId: tenant.id, key, customerIds };
}

/** A line as a storefront sends it: SKU, name, quantity and unit price; the service prices the rest. */
export function lineInput(index: number) {
  return {
    sku: `SKU-${1000 + index}`,
    name: `Bench article ${index}`,
    quantity: 1 + (index % 4),
    unitPrice: `${19 + index}.95`,
  };
}

export const SHIPPING_ADDRESS = {
  name: "Ada Buyer",
  line1: "12 Harbour Street",
  city: "Bristol",
  postalCode: "BS1 4QA",
  country: "GB",
};

/** One request per customer, built once: the generator then spends its time on the wire, not here. */
export function orderRequests(customerIds: readonly string[], lines: number): CreateOrderRequest[] {
  return customerIds.map((customerId) => {
    const init: MessageInitShape<typeof CreateOrderRequestSchema> = {
      customerId,
      currency: "USD",
      channel: Channel.STOREFRONT,
      items: Array.from({ length: lines }, (_, i) => lineInput(i)),
      shippingTotal: "4.90",
      shippingAddress: SHIPPING_ADDRESS,
    };
    return create(CreateOrderRequestSchema, init);
  });
}
