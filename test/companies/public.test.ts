import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCompanyForOrder } from "../../src/companies/public.js";
import type { Clients } from "../support/clients.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;
let clients: Clients;
let tenantId: string;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant();
  tenantId = tenant.tenantId;
  clients = service.clients(tenant.key);
});
afterAll(() => ifSetUp(service)?.close());

const billing = { line1: "1 Main St", city: "Austin", country: "US" };
const dock = { line1: "9 Dock Rd", country: "US" };
const yard = { line1: "4 Yard Ln", country: "US" };

describe("findCompanyForOrder (companies/public.ts), on the database", () => {
  it("reads the company's billing and default shipping address, and which ids are its addresses", async () => {
    const { company } = await clients.companies.createCompany({
      name: "Acme",
      billingAddress: billing,
      shippingAddresses: [{ address: dock }, { address: yard, default: true }],
    });
    const { company: other } = await clients.companies.createCompany({
      name: "Other",
      shippingAddresses: [{ address: dock }],
    });
    const [dockId, yardId] = company?.shippingAddresses.map((a) => a.id) ?? [];
    const foreignId = other?.shippingAddresses[0]?.id ?? "";

    const lookup = await findCompanyForOrder(service.app.orm.em.fork(), tenantId, company?.id ?? "", [
      dockId ?? "",
      foreignId,
      randomUUID(),
    ]);
    expect(lookup.company).toEqual({ id: company?.id, billingAddress: billing, defaultShippingAddress: yard });
    expect([...lookup.addresses]).toEqual([[dockId, dock]]);
    expect(yardId).toBeDefined();
  });

  it("answers null for an unknown company and for another tenant's, with none of their addresses", async () => {
    const { company } = await clients.companies.createCompany({ name: "Mine", shippingAddresses: [{ address: dock }] });
    const addressId = company?.shippingAddresses[0]?.id ?? "";
    const otherTenant = await service.newTenant();
    const em = service.app.orm.em.fork();
    expect(await findCompanyForOrder(em, otherTenant.tenantId, company?.id ?? "", [addressId])).toEqual({
      company: null,
      addresses: new Map(),
    });
    expect(await findCompanyForOrder(em, tenantId, randomUUID(), [addressId])).toEqual({
      company: null,
      addresses: new Map(),
    });
  });

  it("answers a company without addresses with nulls, and an empty id list with no addresses", async () => {
    const { company } = await clients.companies.createCompany({ name: "Bare" });
    expect(await findCompanyForOrder(service.app.orm.em.fork(), tenantId, company?.id ?? "", [])).toEqual({
      company: { id: company?.id, billingAddress: null, defaultShippingAddress: null },
      addresses: new Map(),
    });
  });
});
