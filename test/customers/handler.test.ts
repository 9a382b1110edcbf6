import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;
let key: string;

beforeAll(async () => {
  service = await buildInMemoryService();
  ({ key } = await service.newTenant());
});
afterAll(() => ifSetUp(service)?.close());

describe("CustomersService in memory", () => {
  it("creates a customer and reads it back", async () => {
    const clients = service.clients(key);
    const { customer } = await clients.customers.createCustomer({
      email: `in-memory-${Date.now()}@example.com`,
      name: "Ada Buyer",
    });
    const read = await clients.customers.getCustomer({ id: customer?.id ?? "" });
    expect(read.customer).toEqual(customer);
  });

  it("answers another tenant's customer as a missing one", async () => {
    const { customer } = await service.clients(key).customers.createCustomer({
      email: `in-memory-other-${Date.now()}@example.com`,
      name: "Ada Buyer",
    });
    const other = await service.newTenant("viewer");
    const error = await rejectionOf(service.clients(other.key).customers.getCustomer({ id: customer?.id ?? "" }));
    expect(error).toMatchObject({ code: Code.NotFound, reason: "CUSTOMER_NOT_FOUND" });
  });
});
