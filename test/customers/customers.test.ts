import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { customerOf, home, newCustomer, office } from "./support/customer-fixtures.js";

let service: InMemoryService;
let clients: Clients;
let viewer: Clients;
let other: Clients;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant();
  clients = service.clients(tenant.key);
  viewer = service.clients(await service.newKey(tenant.tenantId, "viewer"));
  other = service.clients((await service.newTenant()).key);
});
afterAll(() => ifSetUp(service)?.close());

async function newCompanyId(callers = clients): Promise<string> {
  const { company } = await callers.companies.createCompany({ name: `Acme ${randomUUID()}` });
  return company?.id ?? "";
}

describe("CreateCustomer with an address book and a company", () => {
  it("puts the default addresses in the book: one entry when they are the same address", async () => {
    const customer = await newCustomer(clients, { defaultBillingAddress: home, defaultShippingAddress: home });
    expect(customer).toMatchObject({ defaultBillingAddress: home, defaultShippingAddress: home, companyId: "" });
    expect(customer.defaultBillingAddressId).toBe(customer.defaultShippingAddressId);
    expect(customer.etag).toMatch(/^[0-9a-f]{16}$/);
    const { customerAddresses } = await clients.customers.listCustomerAddresses({ customerId: customer.id });
    expect(customerAddresses).toMatchObject([
      { id: customer.defaultBillingAddressId, address: home, defaultBilling: true, defaultShipping: true },
    ]);
    expect(customerOf(await clients.customers.getCustomer({ id: customer.id }))).toEqual(customer);
  });

  it("one entry per address when they differ, and an empty book without addresses", async () => {
    const customer = await newCustomer(clients, { defaultBillingAddress: office, defaultShippingAddress: home });
    expect(customer).toMatchObject({ defaultBillingAddress: office, defaultShippingAddress: home });
    expect(customer.defaultBillingAddressId).not.toBe(customer.defaultShippingAddressId);
    const bare = await newCustomer(clients);
    expect(bare).toMatchObject({ defaultBillingAddressId: "", defaultShippingAddressId: "" });
    expect((await clients.customers.listCustomerAddresses({ customerId: bare.id })).customerAddresses).toEqual([]);
  });

  it("makes the customer a buyer of a company of the tenant", async () => {
    const companyId = await newCompanyId();
    const customer = await newCustomer(clients, { companyId });
    expect(customer.companyId).toBe(companyId);
  });

  it("answers an unknown company and another tenant's company as NOT_FOUND COMPANY_NOT_FOUND, writing nothing", async () => {
    for (const companyId of [randomUUID(), await newCompanyId(other)]) {
      const email = `nobody-${randomUUID()}@example.com`;
      const error = await rejectionOf(clients.customers.createCustomer({ email, name: "X", companyId }));
      expect(error).toMatchObject({ code: Code.NotFound, reason: "COMPANY_NOT_FOUND", metadata: { companyId } });
      // Nothing was written: the e-mail is still free.
      await newCustomer(clients, { email });
    }
  });

  it("refuses a company_id that is not a UUID and an e-mail the tenant already has", async () => {
    const bad = await rejectionOf(
      clients.customers.createCustomer({ email: "a@example.com", name: "A", companyId: "acme" }),
    );
    expect(bad.violations).toEqual([{ field: "company_id", reason: "STRING_UUID" }]);
    const customer = await newCustomer(clients);
    const taken = await rejectionOf(newCustomer(clients, { email: customer.email.toUpperCase() }));
    expect(taken).toMatchObject({ code: Code.AlreadyExists, reason: "CUSTOMER_EMAIL_TAKEN" });
  });
});

describe("UpdateCustomer", () => {
  it("joins a company, changes the masked fields only, and leaves the company with an empty company_id", async () => {
    const customer = await newCustomer(clients, { phone: "+44 1", defaultBillingAddress: home });
    const companyId = await newCompanyId();
    const joined = customerOf(
      await clients.customers.updateCustomer({
        customer: { id: customer.id, etag: customer.etag, companyId, name: "Ada Lovelace", phone: "ignored" },
        updateMask: { paths: ["company_id", "name"] },
      }),
    );
    expect(joined).toMatchObject({ companyId, name: "Ada Lovelace", phone: "+44 1", defaultBillingAddress: home });
    expect(joined.etag).not.toBe(customer.etag);
    expect(customerOf(await clients.customers.getCustomer({ id: customer.id }))).toEqual(joined);
    const left = customerOf(
      await clients.customers.updateCustomer({
        customer: { id: customer.id },
        updateMask: { paths: ["company_id", "phone", "company"] },
      }),
    );
    expect(left).toMatchObject({ companyId: "", phone: "", company: "" });
  });

  it("answers an unknown company or another tenant's as NOT_FOUND COMPANY_NOT_FOUND and changes nothing", async () => {
    const customer = await newCustomer(clients);
    for (const companyId of [randomUUID(), await newCompanyId(other)]) {
      const error = await rejectionOf(
        clients.customers.updateCustomer({
          customer: { id: customer.id, companyId },
          updateMask: { paths: ["company_id"] },
        }),
      );
      expect(error).toMatchObject({ code: Code.NotFound, reason: "COMPANY_NOT_FOUND" });
    }
    expect(customerOf(await clients.customers.getCustomer({ id: customer.id }))).toEqual(customer);
  });

  it("refuses a stale etag, a bad mask, a cleared e-mail or name, and a taken e-mail", async () => {
    const customer = await newCustomer(clients);
    await clients.customers.updateCustomer({
      customer: { id: customer.id, name: "B" },
      updateMask: { paths: ["name"] },
    });
    const stale = await rejectionOf(
      clients.customers.updateCustomer({
        customer: { id: customer.id, etag: customer.etag, name: "C" },
        updateMask: { paths: ["name"] },
      }),
    );
    expect(stale).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH", metadata: { customerId: customer.id } });

    const mask = await rejectionOf(
      clients.customers.updateCustomer({
        customer: { id: customer.id, email: "" },
        updateMask: { paths: ["email", "default_billing_address"] },
      }),
    );
    expect(mask.violations).toEqual([{ field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" }]);
    const cleared = await rejectionOf(
      clients.customers.updateCustomer({ customer: { id: customer.id }, updateMask: { paths: ["email", "name"] } }),
    );
    expect(cleared.violations).toEqual([
      { field: "customer.email", reason: "REQUIRED" },
      { field: "customer.name", reason: "REQUIRED" },
    ]);
    const empty = await rejectionOf(clients.customers.updateCustomer({ customer: { id: "x" }, updateMask: {} }));
    expect(empty.violations).toEqual([
      { field: "customer.id", reason: "INVALID_UUID" },
      { field: "update_mask", reason: "REQUIRED" },
    ]);

    const someoneElse = await newCustomer(clients);
    const taken = await rejectionOf(
      clients.customers.updateCustomer({
        customer: { id: customer.id, email: someoneElse.email },
        updateMask: { paths: ["email"] },
      }),
    );
    expect(taken).toMatchObject({ code: Code.AlreadyExists, reason: "CUSTOMER_EMAIL_TAKEN" });
    expect(customerOf(await clients.customers.getCustomer({ id: customer.id })).email).toBe(customer.email);
  });

  it("refuses a time no encoding can carry, even in a field it ignores, before reading the request_id", async () => {
    const customer = await newCustomer(clients);
    const error = await rejectionOf(
      clients.customers.updateCustomer({
        customer: { id: customer.id, name: "X", createTime: { seconds: -62135596801n } },
        updateMask: { paths: ["name"] },
        requestId: randomUUID(),
      }),
    );
    expect(error).toMatchObject({ code: Code.InvalidArgument, violations: [{ field: "customer.create_time" }] });
  });

  it("answers another tenant's customer as NOT_FOUND and refuses a viewer", async () => {
    const customer = await newCustomer(clients);
    const update = { customer: { id: customer.id, name: "X" }, updateMask: { paths: ["name"] } };
    expect(await rejectionOf(other.customers.updateCustomer(update))).toMatchObject({
      code: Code.NotFound,
      reason: "CUSTOMER_NOT_FOUND",
    });
    expect(await rejectionOf(viewer.customers.updateCustomer(update))).toMatchObject({
      code: Code.PermissionDenied,
      reason: "ROLE_REQUIRED",
    });
  });

  it("replays a retry with the same request_id and refuses its reuse for another request", async () => {
    const customer = await newCustomer(clients);
    const request = {
      customer: { id: customer.id, name: "Once" },
      updateMask: { paths: ["name"] },
      requestId: randomUUID(),
    };
    const first = await clients.customers.updateCustomer(request);
    expect(await clients.customers.updateCustomer(request)).toEqual(first);
    const reused = await rejectionOf(
      clients.customers.updateCustomer({ ...request, customer: { id: customer.id, name: "Twice" } }),
    );
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });
});

describe("ListCustomers", () => {
  it("pages through the tenant's customers newest first, and through one company's", async () => {
    const tenant = await service.newTenant();
    const own = service.clients(tenant.key);
    const companyId = await newCompanyId(own);
    const created = [];
    for (let i = 0; i < 5; i++) {
      created.push(await newCustomer(own, i % 2 === 0 ? { companyId, defaultShippingAddress: home } : {}));
    }
    const seen = [];
    let pageToken = "";
    do {
      const page = await own.customers.listCustomers({ pageSize: 2, pageToken });
      seen.push(...page.customers);
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual([...created].reverse());

    const first = await own.customers.listCustomers({ companyId, pageSize: 2 });
    const second = await own.customers.listCustomers({ companyId, pageSize: 2, pageToken: first.nextPageToken });
    expect([...first.customers, ...second.customers].map((c) => c.id)).toEqual(
      [created[4], created[2], created[0]].map((c) => c?.id),
    );
    expect(second.nextPageToken).toBe("");
    expect(first.customers[0]).toMatchObject({ defaultShippingAddress: home, defaultBillingAddressId: "" });

    const changed = await rejectionOf(own.customers.listCustomers({ pageToken: first.nextPageToken }));
    expect(changed.violations).toEqual([{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }]);
    const madeUp = await rejectionOf(own.customers.listCustomers({ pageToken: "x.y" }));
    expect(madeUp.violations).toEqual([{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }]);
  });

  it("shows viewers the tenant's customers and nobody else's", async () => {
    const customer = await newCustomer(clients);
    const companyId = await newCompanyId(other);
    expect((await viewer.customers.listCustomers({ pageSize: 500 })).customers.map((c) => c.id)).toContain(customer.id);
    expect((await other.customers.listCustomers({ pageSize: 500 })).customers.map((c) => c.id)).not.toContain(
      customer.id,
    );
    expect((await clients.customers.listCustomers({ companyId })).customers).toEqual([]);
  });
});
