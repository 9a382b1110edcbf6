import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOrderParties } from "../../src/customers/public.js";
import type { Clients } from "../support/clients.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { addAddress, depot, home, newCustomer, office } from "./support/customer-fixtures.js";

/** findOrderParties (customers/public.ts), what CreateOrder will ask in one query, on the real database. */

let service: InMemoryService;
let clients: Clients;
let tenantId: string;
let other: { clients: Clients; tenantId: string };

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant();
  tenantId = tenant.tenantId;
  clients = service.clients(tenant.key);
  const second = await service.newTenant();
  other = { clients: service.clients(second.key), tenantId: second.tenantId };
});
afterAll(() => ifSetUp(service)?.close());

const billing = { line1: "100 Congress Ave", city: "Austin", country: "US" };
const dock = { line1: "9 Dock Rd", city: "Houston", country: "US" };
const yard = { line1: "4 Yard Ln", city: "Dallas", country: "US" };

async function newCompany(callers = clients) {
  const { company } = await callers.companies.createCompany({
    name: "Acme",
    billingAddress: billing,
    shippingAddresses: [{ address: yard }, { address: dock, default: true }],
  });
  if (!company) throw new Error("no company");
  return company;
}

function lookup(ask: Omit<Parameters<typeof findOrderParties>[1], "tenantId">, tenant = tenantId) {
  return findOrderParties(service.app.orm.em.fork(), { tenantId: tenant, ...ask });
}

describe("findOrderParties", () => {
  it("reads the customer, its company's addresses and addresses by id of either, in one call", async () => {
    const company = await newCompany();
    const customer = await newCustomer(clients, {
      companyId: company.id,
      defaultBillingAddress: home,
      defaultShippingAddress: office,
    });
    const saved = await addAddress(clients, customer.id, depot);
    const [yardEntry] = company.shippingAddresses;
    const parties = await lookup({
      customerId: customer.id,
      companyId: company.id,
      billingAddressId: saved.id,
      shippingAddressId: yardEntry?.id,
    });
    expect(parties).toEqual({
      customer: {
        id: customer.id,
        email: customer.email,
        companyId: company.id,
        defaultBillingAddress: home,
        defaultShippingAddress: office,
      },
      company: { id: company.id, billingAddress: billing, defaultShippingAddress: dock },
      billingAddress: { id: saved.id, found: true, owner: "customer", address: depot },
      shippingAddress: { id: yardEntry?.id, found: true, owner: "company", address: yard },
    });
  });

  it("says which address id is not the customer's or the company's: another customer's, another company's, unknown", async () => {
    const company = await newCompany();
    const customer = await newCustomer(clients);
    const stranger = await newCustomer(clients, { defaultBillingAddress: home });
    const otherCompany = await newCompany();
    const foreignCompany = await newCompany(other.clients);
    for (const id of [
      stranger.defaultBillingAddressId,
      otherCompany.shippingAddresses[0]?.id ?? "",
      foreignCompany.shippingAddresses[0]?.id ?? "",
      randomUUID(),
    ]) {
      const parties = await lookup({ customerId: customer.id, companyId: company.id, shippingAddressId: id });
      expect(parties.shippingAddress).toEqual({ id, found: false });
    }
    // A company's address is not the customer's when the company is not asked for.
    const yardId = company.shippingAddresses[0]?.id ?? "";
    expect((await lookup({ customerId: customer.id, billingAddressId: yardId })).billingAddress).toEqual({
      id: yardId,
      found: false,
    });
  });

  it("answers null for another tenant's customer and company, and leaves out what was not asked", async () => {
    const customer = await newCustomer(clients, { defaultBillingAddress: home });
    const company = await newCompany();
    expect(
      await lookup(
        { customerId: customer.id, companyId: company.id, billingAddressId: customer.defaultBillingAddressId },
        other.tenantId,
      ),
    ).toEqual({
      customer: null,
      company: null,
      billingAddress: { id: customer.defaultBillingAddressId, found: false },
    });
    expect(await lookup({})).toEqual({});
    expect(await lookup({ companyId: company.id })).toEqual({
      company: { id: company.id, billingAddress: billing, defaultShippingAddress: dock },
    });
    expect(await lookup({ customerId: randomUUID() })).toEqual({ customer: null });
  });

  it("reads a customer with no company and no book as nulls", async () => {
    const customer = await newCustomer(clients);
    expect(await lookup({ customerId: customer.id })).toEqual({
      customer: {
        id: customer.id,
        email: customer.email,
        companyId: null,
        defaultBillingAddress: null,
        defaultShippingAddress: null,
      },
    });
  });
});
