import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Company } from "../../gen/orders/v1/company_pb.js";
import type { Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;
let clients: Clients;
let viewer: Clients;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant();
  clients = service.clients(tenant.key);
  viewer = service.clients(await service.newKey(tenant.tenantId, "viewer"));
});
afterAll(() => ifSetUp(service)?.close());

const billing = { name: "Accounts Payable", company: "Acme Diesel", line1: "1 Main St", city: "Austin", country: "US" };
const dock = { line1: "9 Dock Rd", city: "Houston", region: "TX", postalCode: "77001", country: "US" };
const yard = { line1: "4 Yard Ln", city: "Dallas", region: "TX", country: "US" };

function companyOf(response: { company?: Company }): Company {
  if (!response.company) throw new Error("no company in the response");
  return response.company;
}

async function newCompany(name = "Acme Diesel"): Promise<Company> {
  return companyOf(
    await clients.companies.createCompany({
      name,
      taxId: "US-12-3456789",
      billingAddress: billing,
      shippingAddresses: [{ address: dock }, { address: yard, default: true }],
      metadata: { erp: "C-17" },
    }),
  );
}

describe("CreateCompany and GetCompany", () => {
  it("creates a company with ids for its shipping addresses and reads it back", async () => {
    const company = await newCompany();
    expect(company).toMatchObject({
      name: "Acme Diesel",
      taxId: "US-12-3456789",
      billingAddress: billing,
      shippingAddresses: [
        { address: dock, default: false },
        { address: yard, default: true },
      ],
      metadata: { erp: "C-17" },
    });
    expect(company.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(company.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(company.shippingAddresses.map((a) => a.id)).size).toBe(2);
    expect(companyOf(await viewer.companies.getCompany({ id: company.id }))).toEqual(company);
  });

  it("makes the first shipping address the default when none is marked, and needs no address at all", async () => {
    const one = companyOf(
      await clients.companies.createCompany({
        name: "Two Docks",
        shippingAddresses: [{ address: dock }, { address: yard }],
      }),
    );
    expect(one.shippingAddresses.map((a) => a.default)).toEqual([true, false]);
    const bare = companyOf(await clients.companies.createCompany({ name: "Bare" }));
    expect(bare).toMatchObject({ taxId: "", shippingAddresses: [], metadata: {} });
    expect(bare.billingAddress).toBeUndefined();
  });

  it("answers a retry with the same request_id as the first call, and refuses its reuse for another request", async () => {
    const requestId = randomUUID();
    const first = companyOf(await clients.companies.createCompany({ name: "Once Ltd", requestId }));
    const again = companyOf(await clients.companies.createCompany({ name: "Once Ltd", requestId }));
    expect(again).toEqual(first);
    const reused = await rejectionOf(clients.companies.createCompany({ name: "Twice Ltd", requestId }));
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("refuses bad input with a field violation per problem and writes nothing", async () => {
    const error = await rejectionOf(
      clients.companies.createCompany({
        name: "",
        billingAddress: { line1: "1 Nowhere", country: "XX" },
        shippingAddresses: [
          { address: dock, default: true },
          { address: yard, default: true },
        ],
      }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toEqual([{ field: "name", reason: "REQUIRED" }]);

    const rules = await rejectionOf(
      clients.companies.createCompany({
        name: "Bad Addresses",
        billingAddress: { line1: "1 Nowhere", country: "XX" },
        shippingAddresses: [
          { address: dock, default: true },
          { address: yard, default: true },
        ],
      }),
    );
    expect(rules).toMatchObject({ code: Code.InvalidArgument, reason: "INVALID_ARGUMENT" });
    expect(rules.violations).toEqual([
      { field: "billing_address.country", reason: "UNKNOWN_COUNTRY" },
      { field: "shipping_addresses[1].default", reason: "MULTIPLE_DEFAULTS" },
    ]);
    const listed = await clients.companies.listCompanies({ namePrefix: "Bad Addresses" });
    expect(listed.companies).toEqual([]);
  });

  it("bounds shipping addresses at 50 and metadata at 50 pairs", async () => {
    const addresses = Array.from({ length: 51 }, (_, i) => ({ address: { ...dock, line1: `${i} Dock Rd` } }));
    const tooMany = await rejectionOf(
      clients.companies.createCompany({ name: "Many Docks", shippingAddresses: addresses }),
    );
    expect(tooMany.violations).toEqual([{ field: "shipping_addresses", reason: "REPEATED_MAX_ITEMS" }]);
    const fifty = companyOf(
      await clients.companies.createCompany({ name: "Fifty Docks", shippingAddresses: addresses.slice(1) }),
    );
    expect(fifty.shippingAddresses).toHaveLength(50);

    const metadata = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    const error = await rejectionOf(clients.companies.createCompany({ name: "Chatty", metadata }));
    expect(error.violations).toEqual([{ field: "metadata", reason: "MAP_MAX_PAIRS" }]);
  });

  it("answers an unknown id and another tenant's company as NOT_FOUND COMPANY_NOT_FOUND", async () => {
    const company = await newCompany();
    const unknown = randomUUID();
    expect(await rejectionOf(clients.companies.getCompany({ id: unknown }))).toMatchObject({
      code: Code.NotFound,
      reason: "COMPANY_NOT_FOUND",
      metadata: { companyId: unknown },
    });
    const other = service.clients((await service.newTenant("admin")).key);
    expect(await rejectionOf(other.companies.getCompany({ id: company.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "COMPANY_NOT_FOUND",
    });
  });

  it("lets viewers read but not write", async () => {
    const company = await newCompany();
    expect(await rejectionOf(viewer.companies.createCompany({ name: "Viewer Co" }))).toMatchObject({
      code: Code.PermissionDenied,
      reason: "ROLE_REQUIRED",
      metadata: { requiredRole: "editor", role: "viewer" },
    });
    expect(
      await rejectionOf(
        viewer.companies.updateCompany({
          company: { id: company.id, name: "Renamed" },
          updateMask: { paths: ["name"] },
        }),
      ),
    ).toMatchObject({ code: Code.PermissionDenied, reason: "ROLE_REQUIRED" });
    expect((await viewer.companies.listCompanies({})).companies.length).toBeGreaterThan(0);
  });

  it("needs a key", async () => {
    const error = await rejectionOf(service.clients(undefined).companies.getCompany({ id: randomUUID() }));
    expect(error.code).toBe(Code.Unauthenticated);
  });
});

describe("UpdateCompany", () => {
  it("sets exactly the masked fields, keeps the ids of the addresses it keeps, and changes the etag", async () => {
    const company = await newCompany();
    const [first, second] = company.shippingAddresses;
    const updated = companyOf(
      await clients.companies.updateCompany({
        company: {
          id: company.id,
          etag: company.etag,
          name: "Acme Diesel & Sons",
          taxId: "ignored: not in the mask",
          shippingAddresses: [{ id: second?.id, address: { ...yard, line2: "Gate 3" } }, { address: billing }],
          metadata: { erp: "C-18", tier: "gold" },
        },
        updateMask: { paths: ["name", "shipping_addresses", "metadata"] },
      }),
    );
    expect(updated).toMatchObject({
      name: "Acme Diesel & Sons",
      taxId: "US-12-3456789",
      billingAddress: billing,
      metadata: { erp: "C-18", tier: "gold" },
      shippingAddresses: [
        { id: second?.id, address: { ...yard, line2: "Gate 3" }, default: true },
        { address: billing, default: false },
      ],
    });
    expect(updated.shippingAddresses.map((a) => a.id)).not.toContain(first?.id);
    expect(updated.etag).not.toBe(company.etag);
    expect(companyOf(await clients.companies.getCompany({ id: company.id }))).toEqual(updated);
  });

  it("clears a named field left empty, and reads * as every updatable field", async () => {
    const company = await newCompany();
    const cleared = companyOf(
      await clients.companies.updateCompany({
        company: { id: company.id },
        updateMask: { paths: ["tax_id", "billing_address", "shipping_addresses", "metadata"] },
      }),
    );
    expect(cleared).toMatchObject({ name: "Acme Diesel", taxId: "", shippingAddresses: [], metadata: {} });
    expect(cleared.billingAddress).toBeUndefined();
    const all = companyOf(
      await clients.companies.updateCompany({
        company: { id: company.id, name: "Star Co", taxId: "T-1", shippingAddresses: [{ address: dock }] },
        updateMask: { paths: ["*"] },
      }),
    );
    expect(all).toMatchObject({ name: "Star Co", taxId: "T-1", shippingAddresses: [{ address: dock, default: true }] });
  });

  it("refuses a stale etag with ABORTED ETAG_MISMATCH and changes nothing", async () => {
    const company = await newCompany();
    await clients.companies.updateCompany({
      company: { id: company.id, etag: company.etag, name: "First" },
      updateMask: { paths: ["name"] },
    });
    const stale = await rejectionOf(
      clients.companies.updateCompany({
        company: { id: company.id, etag: company.etag, name: "Second" },
        updateMask: { paths: ["name"] },
      }),
    );
    expect(stale).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH", metadata: { companyId: company.id } });
    expect(companyOf(await clients.companies.getCompany({ id: company.id })).name).toBe("First");
  });

  it("refuses a bad mask, a bad id and a cleared name, naming each", async () => {
    const company = await newCompany();
    const empty = await rejectionOf(clients.companies.updateCompany({ company: { id: company.id }, updateMask: {} }));
    expect(empty.violations).toEqual([{ field: "update_mask", reason: "REQUIRED" }]);
    const bad = await rejectionOf(
      clients.companies.updateCompany({ company: { id: "nope", name: "" }, updateMask: { paths: ["name", "etag"] } }),
    );
    expect(bad.violations).toEqual([
      { field: "company.id", reason: "INVALID_UUID" },
      { field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" },
    ]);
    const cleared = await rejectionOf(
      clients.companies.updateCompany({ company: { id: company.id }, updateMask: { paths: ["name"] } }),
    );
    expect(cleared.violations).toEqual([{ field: "company.name", reason: "REQUIRED" }]);
    const noCompany = await rejectionOf(clients.companies.updateCompany({ updateMask: { paths: ["name"] } }));
    expect(noCompany.violations).toEqual([{ field: "company", reason: "REQUIRED" }]);
  });

  it("refuses shipping address ids that are not the company's, given twice, or a second default", async () => {
    const company = await newCompany();
    const other = await newCompany("Other Co");
    const [mine] = company.shippingAddresses;
    const error = await rejectionOf(
      clients.companies.updateCompany({
        company: {
          id: company.id,
          shippingAddresses: [
            { id: mine?.id, address: dock, default: true },
            { id: mine?.id, address: yard },
            { id: other.shippingAddresses[0]?.id, address: yard, default: true },
            { address: { line1: "x", country: "ZZ" } },
          ],
        },
        updateMask: { paths: ["shipping_addresses"] },
      }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toEqual([
      { field: "company.shipping_addresses[1].id", reason: "DUPLICATE_ADDRESS_ID" },
      { field: "company.shipping_addresses[2].id", reason: "UNKNOWN_ADDRESS_ID" },
      { field: "company.shipping_addresses[2].default", reason: "MULTIPLE_DEFAULTS" },
      { field: "company.shipping_addresses[3].address.country", reason: "UNKNOWN_COUNTRY" },
    ]);
    expect(companyOf(await clients.companies.getCompany({ id: company.id }))).toEqual(company);
  });

  it("refuses a time no encoding can carry, even in a field it ignores", async () => {
    const company = await newCompany();
    const error = await rejectionOf(
      clients.companies.updateCompany({
        company: { id: company.id, name: "X", updateTime: { seconds: 253402300800n } },
        updateMask: { paths: ["name"] },
        requestId: randomUUID(),
      }),
    );
    expect(error).toMatchObject({ code: Code.InvalidArgument, violations: [{ field: "company.update_time" }] });
  });

  it("answers an unknown company and another tenant's company as NOT_FOUND", async () => {
    const company = await newCompany();
    const other = service.clients((await service.newTenant()).key);
    for (const [caller, id] of [
      [clients, randomUUID()],
      [other, company.id],
    ] as const) {
      const error = await rejectionOf(
        caller.companies.updateCompany({ company: { id, name: "X" }, updateMask: { paths: ["name"] } }),
      );
      expect(error).toMatchObject({ code: Code.NotFound, reason: "COMPANY_NOT_FOUND", metadata: { companyId: id } });
    }
  });

  it("replays a retry with the same request_id, even after a later change, and refuses its reuse", async () => {
    const company = await newCompany();
    const requestId = randomUUID();
    const request = {
      company: { id: company.id, etag: company.etag, name: "Retried" },
      updateMask: { paths: ["name"] },
      requestId,
    };
    const first = await clients.companies.updateCompany(request);
    await clients.companies.updateCompany({
      company: { id: company.id, name: "Later" },
      updateMask: { paths: ["name"] },
    });
    expect(await clients.companies.updateCompany(request)).toEqual(first);
    const reused = await rejectionOf(
      clients.companies.updateCompany({ ...request, company: { id: company.id, name: "Y" } }),
    );
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("lets exactly one of two concurrent updates under the same etag win", async () => {
    const company = await newCompany();
    const results = await Promise.allSettled(
      ["Left", "Right"].map((name) =>
        clients.companies.updateCompany({
          company: { id: company.id, etag: company.etag, name },
          updateMask: { paths: ["name"] },
        }),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(observedError(lost?.reason)).toMatchObject({
      code: Code.Aborted,
      reason: "ETAG_MISMATCH",
    });
    const name = companyOf(await clients.companies.getCompany({ id: company.id })).name;
    expect(won[0]?.status === "fulfilled" && won[0].value.company?.name).toBe(name);
  });
});

describe("ListCompanies", () => {
  it("pages through the tenant's companies newest first, and filters by name prefix in any case", async () => {
    const tenant = await service.newTenant();
    const own = service.clients(tenant.key);
    const names = ["Acme North", "Beta Corp", "acme south", "ACME West", "Gamma"];
    for (const name of names) await own.companies.createCompany({ name });
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await own.companies.listCompanies({ pageSize: 2, pageToken });
      expect(page.companies.length).toBeLessThanOrEqual(2);
      seen.push(...page.companies.map((c) => c.name));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual([...names].reverse());

    const first = await own.companies.listCompanies({ namePrefix: "acme", pageSize: 2 });
    expect(first.companies.map((c) => c.name)).toEqual(["ACME West", "acme south"]);
    const second = await own.companies.listCompanies({
      namePrefix: "acme",
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    expect(second).toMatchObject({ companies: [{ name: "Acme North" }], nextPageToken: "" });
    expect((await own.companies.listCompanies({ namePrefix: "100%" })).companies).toEqual([]);
  });

  it("refuses a token of another filter, a made-up one, and one of ListOrders", async () => {
    const tenant = await service.newTenant();
    const own = service.clients(tenant.key);
    for (const name of ["Acme 1", "Acme 2", "Acme 3"]) await own.companies.createCompany({ name });
    const page = await own.companies.listCompanies({ pageSize: 1 });
    const changed = await rejectionOf(
      own.companies.listCompanies({ pageSize: 1, pageToken: page.nextPageToken, namePrefix: "A" }),
    );
    expect(changed.violations).toEqual([{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }]);
    const madeUp = await rejectionOf(own.companies.listCompanies({ pageToken: "abc.def" }));
    expect(madeUp.violations).toEqual([{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }]);

    const customer = await own.customers.createCustomer({ email: `list-${randomUUID()}@example.com`, name: "Ada" });
    const order = {
      customerId: customer.customer?.id ?? "",
      currency: "USD",
      items: [{ sku: "A", name: "A", quantity: 1, unitPrice: "1" }],
    };
    await own.orders.createOrder(order);
    await own.orders.createOrder(order);
    const orders = await own.orders.listOrders({ pageSize: 1 });
    const foreign = await rejectionOf(own.companies.listCompanies({ pageSize: 1, pageToken: orders.nextPageToken }));
    expect(foreign.violations).toEqual([{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }]);
  });

  it("shows no other tenant's companies", async () => {
    const tenant = await service.newTenant();
    expect((await service.clients(tenant.key).companies.listCompanies({})).companies).toEqual([]);
  });
});
