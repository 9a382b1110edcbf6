import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import type { Clients } from "../support/clients.js";

// An order's company and addresses (issue 11 sections 3 and 4, seeds 001 and 002): inline > by id > default, the
// order keeping a snapshot. Over the routes in memory with the real customers and companies.
let service: InMemoryService;
let clients: Clients;
let company: { id: string; dock: string; office: string };
let buyer: { id: string; home: string };
let outsider: string;

const place = (line1: string, city = "Chicago") => ({ name: "Acme", line1, city, postalCode: "60601", country: "US" });
const item = { sku: "BOLT", name: "Bolt", quantity: 100, unitPrice: "0.25" };

beforeAll(async () => {
  service = await buildInMemoryService();
  clients = service.clients((await service.newTenant()).key);
  const created = await clients.companies.createCompany({
    name: "Acme Industrial",
    taxId: "US-12-3456789",
    billingAddress: place("1 Billing Way"),
    shippingAddresses: [{ address: place("2 Dock Rd") }, { address: place("3 Office Pl"), default: true }],
  });
  const [dock, office] = created.company?.shippingAddresses ?? [];
  company = { id: created.company?.id ?? "", dock: dock?.id ?? "", office: office?.id ?? "" };
  const customer = await clients.customers.createCustomer({
    email: `buyer-${Date.now()}@acme.example`,
    name: "Ada Buyer",
    companyId: company.id,
  });
  const home = await clients.customers.addCustomerAddress({
    customerId: customer.customer?.id ?? "",
    address: place("9 Home St", "Evanston"),
    defaultBilling: true,
    defaultShipping: true,
  });
  buyer = { id: customer.customer?.id ?? "", home: home.customerAddress?.id ?? "" };
  outsider =
    (await clients.customers.createCustomer({ email: `other-${Date.now()}@example.com`, name: "Other" })).customer
      ?.id ?? "";
});
afterAll(() => ifSetUp(service)?.close());

describe("orders for a company (seed 001)", () => {
  it("fills billing and shipping from the company and lists the order under it", async () => {
    const { order } = await clients.orders.createOrder({ customerId: buyer.id, companyId: company.id, items: [item] });
    expect(order).toMatchObject({
      companyId: company.id,
      billingAddress: { line1: "1 Billing Way" },
      shippingAddress: { line1: "3 Office Pl" },
    });
    const listed = await clients.orders.listOrders({ companyId: company.id });
    expect(listed.orders.map((o) => o.id)).toContain(order?.id);
  });

  it("takes a company address by id and keeps inline addresses over everything", async () => {
    const { order } = await clients.orders.createOrder({
      companyId: company.id,
      email: "purchasing@acme.example",
      shippingAddressId: company.dock,
      billingAddress: place("7 Inline Ave"),
      billingAddressId: company.dock,
      items: [item],
    });
    expect(order).toMatchObject({ shippingAddress: { line1: "2 Dock Rd" }, billingAddress: { line1: "7 Inline Ave" } });
  });

  it("answers an unknown company with NOT_FOUND and a customer of another company with INVALID_ARGUMENT", async () => {
    const unknown = "0c7b1a2d-4e5f-4a6b-9c8d-2e1f0a9b8c7d";
    expect(
      await rejectionOf(clients.orders.createOrder({ customerId: buyer.id, companyId: unknown, items: [item] })),
    ).toMatchObject({ code: Code.NotFound, reason: "COMPANY_NOT_FOUND", metadata: { companyId: unknown } });
    expect(
      await rejectionOf(clients.orders.createOrder({ customerId: outsider, companyId: company.id, items: [item] })),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [expect.objectContaining({ field: "customer_id", reason: "CUSTOMER_NOT_IN_COMPANY" })],
    });
  });
});

describe("saved addresses (seed 002)", () => {
  it("copies the customer's saved address by id, and its defaults when none is given", async () => {
    const byId = await clients.orders.createOrder({
      customerId: buyer.id,
      shippingAddressId: buyer.home,
      items: [item],
    });
    expect(byId.order?.shippingAddress).toMatchObject({ line1: "9 Home St" });
    const defaults = await clients.orders.createOrder({ customerId: buyer.id, items: [item] });
    expect(defaults.order).toMatchObject({
      billingAddress: { line1: "9 Home St" },
      shippingAddress: { line1: "9 Home St" },
    });
  });

  it("follows use_customer_default_address: false leaves them empty, true prefers the customer's over the company's", async () => {
    const none = await clients.orders.createOrder({
      customerId: buyer.id,
      useCustomerDefaultAddress: false,
      items: [item],
    });
    expect(none.order?.billingAddress).toBeUndefined();
    expect(none.order?.shippingAddress).toBeUndefined();
    const customers = await clients.orders.createOrder({
      customerId: buyer.id,
      companyId: company.id,
      useCustomerDefaultAddress: true,
      items: [item],
    });
    expect(customers.order).toMatchObject({ companyId: company.id, shippingAddress: { line1: "9 Home St" } });
  });

  it("refuses an address that is not the order's customer's or company's, naming the field", async () => {
    const error = await rejectionOf(
      clients.orders.createOrder({
        customerId: outsider,
        shippingAddressId: buyer.home,
        billingAddressId: company.dock,
        items: [item],
      }),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        expect.objectContaining({ field: "billing_address_id", reason: "ADDRESS_NOT_FOUND" }),
        expect.objectContaining({ field: "shipping_address_id", reason: "ADDRESS_NOT_FOUND" }),
      ],
    });
    const guest = await rejectionOf(
      clients.orders.createOrder({ email: "g@example.com", shippingAddressId: buyer.home, items: [item] }),
    );
    expect(guest).toMatchObject({
      violations: [expect.objectContaining({ field: "shipping_address_id", reason: "ADDRESS_NOT_FOUND" })],
    });
  });

  it("keeps the snapshot when the saved address changes later", async () => {
    const { order } = await clients.orders.createOrder({
      customerId: buyer.id,
      shippingAddressId: buyer.home,
      items: [item],
    });
    const moved = await clients.customers.addCustomerAddress({
      customerId: buyer.id,
      address: place("10 New St"),
      defaultShipping: true,
    });
    expect(moved.customerAddress?.defaultShipping).toBe(true);
    const read = await clients.orders.getOrder({ id: order?.id ?? "" });
    expect(read.order?.shippingAddress).toMatchObject({ line1: "9 Home St" });
  });
});
