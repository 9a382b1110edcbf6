import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADDRESS_BOOK_LIMIT } from "../../src/customers/rules/address-book.js";
import { query } from "../../src/platform/database/query.js";
import type { Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { addAddress, customerOf, depot, home, newCustomer, office } from "./support/customer-fixtures.js";

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

async function book(customerId: string) {
  return (await clients.customers.listCustomerAddresses({ customerId })).customerAddresses;
}

/** The customer's default billing and shipping addresses as the database holds them (ids of the rows). */
async function storedDefaults(customerId: string) {
  const { rows } = await query<{ billing: string[] | null; shipping: string[] | null }>(
    service.app.orm.em.fork(),
    `select array_agg(id::text) filter (where default_billing) as billing, array_agg(id::text) filter (where default_shipping) as shipping
       from customer_addresses where customer_id = $1`,
    [customerId],
  );
  return { billing: rows[0]?.billing ?? [], shipping: rows[0]?.shipping ?? [] };
}

describe("AddCustomerAddress", () => {
  it("makes a customer's first address both defaults, and later ones only what they ask for", async () => {
    const customer = await newCustomer(clients);
    const first = await addAddress(clients, customer.id, home);
    expect(first).toMatchObject({
      customerId: customer.id,
      address: home,
      defaultBilling: true,
      defaultShipping: true,
    });
    const second = await addAddress(clients, customer.id, office);
    expect(second).toMatchObject({ defaultBilling: false, defaultShipping: false });
    const read = customerOf(await clients.customers.getCustomer({ id: customer.id }));
    expect(read).toMatchObject({
      defaultBillingAddress: home,
      defaultShippingAddress: home,
      defaultBillingAddressId: first.id,
      defaultShippingAddressId: first.id,
    });
    expect(read.etag).not.toBe(customer.etag);
    expect(await book(customer.id)).toEqual([first, second]);
  });

  it("takes a default role from the address that had it, whose etag changes", async () => {
    const customer = await newCustomer(clients, { defaultBillingAddress: home, defaultShippingAddress: home });
    const [before] = await book(customer.id);
    const added = await addAddress(clients, customer.id, office, { defaultShipping: true });
    expect(added).toMatchObject({ defaultBilling: false, defaultShipping: true });
    const [after] = await book(customer.id);
    expect(after).toMatchObject({ id: before?.id, defaultBilling: true, defaultShipping: false });
    expect(after?.etag).not.toBe(before?.etag);
    expect(customerOf(await clients.customers.getCustomer({ id: customer.id }))).toMatchObject({
      defaultBillingAddress: home,
      defaultShippingAddress: office,
    });
  });

  it("refuses an unknown country, a missing address and an unknown or foreign customer", async () => {
    const customer = await newCustomer(clients);
    const country = await rejectionOf(
      clients.customers.addCustomerAddress({ customerId: customer.id, address: { line1: "x", country: "XX" } }),
    );
    expect(country.violations).toEqual([{ field: "address.country", reason: "UNKNOWN_COUNTRY" }]);
    const missing = await rejectionOf(clients.customers.addCustomerAddress({ customerId: customer.id }));
    expect(missing.violations).toEqual([{ field: "address", reason: "REQUIRED" }]);
    for (const [callers, customerId] of [
      [clients, randomUUID()],
      [other, customer.id],
    ] as const) {
      const error = await rejectionOf(callers.customers.addCustomerAddress({ customerId, address: home }));
      expect(error).toMatchObject({ code: Code.NotFound, reason: "CUSTOMER_NOT_FOUND", metadata: { customerId } });
    }
    expect(await book(customer.id)).toEqual([]);
  });

  it(`holds ${ADDRESS_BOOK_LIMIT} addresses and refuses one more with FAILED_PRECONDITION ADDRESS_BOOK_FULL`, async () => {
    const customer = await newCustomer(clients);
    for (let i = 0; i < ADDRESS_BOOK_LIMIT - 1; i++)
      await addAddress(clients, customer.id, { ...depot, line2: `Bay ${i}` });
    // The last free place, asked for twice at once: exactly one call gets it.
    const results = await Promise.allSettled([0, 1].map(() => addAddress(clients, customer.id, office)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect(observedError(refused?.reason)).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "ADDRESS_BOOK_FULL",
      metadata: { customerId: customer.id, limit: "100" },
    });
    expect(await book(customer.id)).toHaveLength(ADDRESS_BOOK_LIMIT);
    const [oldest] = await book(customer.id);
    await clients.customers.deleteCustomerAddress({ customerId: customer.id, id: oldest?.id ?? "" });
    await addAddress(clients, customer.id, office);
  });

  it("answers a retry with the same request_id as the first call, adding one address", async () => {
    const customer = await newCustomer(clients);
    const request = { customerId: customer.id, address: home, requestId: randomUUID() };
    const first = await clients.customers.addCustomerAddress(request);
    expect(await clients.customers.addCustomerAddress(request)).toEqual(first);
    expect(await book(customer.id)).toHaveLength(1);
    const reused = await rejectionOf(clients.customers.addCustomerAddress({ ...request, address: office }));
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("lets viewers read the book but not change it", async () => {
    const customer = await newCustomer(clients, { defaultBillingAddress: home });
    expect((await viewer.customers.listCustomerAddresses({ customerId: customer.id })).customerAddresses).toHaveLength(
      1,
    );
    // Each call is made only when awaited: a call started before the previous one is awaited rejects unobserved.
    for (const call of [
      () => viewer.customers.addCustomerAddress({ customerId: customer.id, address: home }),
      () =>
        viewer.customers.updateCustomerAddress({
          customerAddress: { id: customer.defaultBillingAddressId, customerId: customer.id, defaultShipping: true },
          updateMask: { paths: ["default_shipping"] },
        }),
      () => viewer.customers.deleteCustomerAddress({ customerId: customer.id, id: customer.defaultBillingAddressId }),
    ]) {
      expect(await rejectionOf(call())).toMatchObject({ code: Code.PermissionDenied, reason: "ROLE_REQUIRED" });
    }
  });
});

describe("UpdateCustomerAddress", () => {
  it("replaces the address and moves default roles, clearing them on the address that had them", async () => {
    const customer = await newCustomer(clients, { defaultBillingAddress: home, defaultShippingAddress: home });
    const second = await addAddress(clients, customer.id, office);
    const { customerAddress } = await clients.customers.updateCustomerAddress({
      customerAddress: {
        id: second.id,
        customerId: customer.id,
        etag: second.etag,
        address: depot,
        defaultBilling: true,
      },
      updateMask: { paths: ["address", "default_billing"] },
    });
    expect(customerAddress).toMatchObject({
      id: second.id,
      address: depot,
      defaultBilling: true,
      defaultShipping: false,
    });
    expect(customerAddress?.etag).not.toBe(second.etag);
    expect(customerOf(await clients.customers.getCustomer({ id: customer.id }))).toMatchObject({
      defaultBillingAddress: depot,
      defaultShippingAddress: home,
      defaultBillingAddressId: second.id,
    });
  });

  it("gives a role up, leaving the customer without that default", async () => {
    const customer = await newCustomer(clients, { defaultBillingAddress: home, defaultShippingAddress: home });
    await clients.customers.updateCustomerAddress({
      customerAddress: { id: customer.defaultBillingAddressId, customerId: customer.id, defaultShipping: false },
      updateMask: { paths: ["default_shipping"] },
    });
    const read = customerOf(await clients.customers.getCustomer({ id: customer.id }));
    expect(read).toMatchObject({ defaultBillingAddress: home, defaultShippingAddressId: "" });
    expect(read.defaultShippingAddress).toBeUndefined();
  });

  it("refuses a stale etag, an address of another customer or tenant, and a bad mask or value", async () => {
    const customer = await newCustomer(clients, { defaultBillingAddress: home });
    const [entry] = await book(customer.id);
    const id = entry?.id ?? "";
    await clients.customers.updateCustomerAddress({
      customerAddress: { id, customerId: customer.id, address: office },
      updateMask: { paths: ["address"] },
    });
    const stale = await rejectionOf(
      clients.customers.updateCustomerAddress({
        customerAddress: { id, customerId: customer.id, etag: entry?.etag, address: depot },
        updateMask: { paths: ["address"] },
      }),
    );
    expect(stale).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH", metadata: { addressId: id } });

    const stranger = await newCustomer(clients);
    const notTheirs = await rejectionOf(
      clients.customers.updateCustomerAddress({
        customerAddress: { id, customerId: stranger.id, defaultShipping: true },
        updateMask: { paths: ["default_shipping"] },
      }),
    );
    expect(notTheirs).toMatchObject({
      code: Code.NotFound,
      reason: "ADDRESS_NOT_FOUND",
      metadata: { customerId: stranger.id, addressId: id },
    });
    const foreign = await rejectionOf(
      other.customers.updateCustomerAddress({
        customerAddress: { id, customerId: customer.id, defaultShipping: true },
        updateMask: { paths: ["default_shipping"] },
      }),
    );
    expect(foreign).toMatchObject({ code: Code.NotFound, reason: "CUSTOMER_NOT_FOUND" });

    const mask = await rejectionOf(
      clients.customers.updateCustomerAddress({
        customerAddress: { id: "", customerId: customer.id },
        updateMask: { paths: ["address", "create_time"] },
      }),
    );
    expect(mask.violations).toEqual([
      { field: "customer_address.id", reason: "INVALID_UUID" },
      { field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" },
    ]);
    const cleared = await rejectionOf(
      clients.customers.updateCustomerAddress({
        customerAddress: { id, customerId: customer.id },
        updateMask: { paths: ["address"] },
      }),
    );
    expect(cleared.violations).toEqual([{ field: "customer_address.address", reason: "REQUIRED" }]);
    const country = await rejectionOf(
      clients.customers.updateCustomerAddress({
        customerAddress: { id, customerId: customer.id, address: { line1: "x", country: "QQ" } },
        updateMask: { paths: ["address"] },
      }),
    );
    expect(country.violations).toEqual([{ field: "customer_address.address.country", reason: "UNKNOWN_COUNTRY" }]);
    expect((await book(customer.id))[0]?.address).toMatchObject(office);
  });

  it("leaves exactly one default of each kind when many addresses are made the default at once", async () => {
    const customer = await newCustomer(clients, { defaultBillingAddress: home, defaultShippingAddress: home });
    const entries = [await addAddress(clients, customer.id, office)];
    for (let i = 0; i < 7; i++) entries.push(await addAddress(clients, customer.id, { ...depot, line2: `Bay ${i}` }));
    const results = await Promise.all(
      entries.map((entry) =>
        clients.customers.updateCustomerAddress({
          customerAddress: { id: entry.id, customerId: customer.id, defaultBilling: true, defaultShipping: true },
          updateMask: { paths: ["default_billing", "default_shipping"] },
        }),
      ),
    );
    expect(results.every((r) => r.customerAddress?.defaultBilling && r.customerAddress.defaultShipping)).toBe(true);
    const stored = await storedDefaults(customer.id);
    expect(stored.billing).toHaveLength(1);
    expect(stored.shipping).toEqual(stored.billing);
    const read = customerOf(await clients.customers.getCustomer({ id: customer.id }));
    expect(read.defaultBillingAddressId).toBe(stored.billing[0]);
    expect((await book(customer.id)).filter((e) => e.defaultBilling).map((e) => e.id)).toEqual(stored.billing);
  });

  it("leaves exactly one default when two calls make two addresses the default at once", async () => {
    const customer = await newCustomer(clients);
    const a = await addAddress(clients, customer.id, home);
    const b = await addAddress(clients, customer.id, office);
    const c = await addAddress(clients, customer.id, depot);
    await Promise.all(
      [b, c].map((entry) =>
        clients.customers.updateCustomerAddress({
          customerAddress: { id: entry.id, customerId: customer.id, defaultBilling: true },
          updateMask: { paths: ["default_billing"] },
        }),
      ),
    );
    const stored = await storedDefaults(customer.id);
    expect(stored.billing).toHaveLength(1);
    expect([b.id, c.id]).toContain(stored.billing[0]);
    expect(stored.shipping).toEqual([a.id]);
  });
});

describe("DeleteCustomerAddress", () => {
  it("removes an address; removing a default leaves the customer without it", async () => {
    const customer = await newCustomer(clients, { defaultBillingAddress: home, defaultShippingAddress: office });
    const kept = await addAddress(clients, customer.id, depot);
    await clients.customers.deleteCustomerAddress({ customerId: customer.id, id: customer.defaultBillingAddressId });
    const read = customerOf(await clients.customers.getCustomer({ id: customer.id }));
    expect(read).toMatchObject({ defaultBillingAddressId: "", defaultShippingAddress: office });
    expect(read.defaultBillingAddress).toBeUndefined();
    expect((await book(customer.id)).map((e) => e.id)).toEqual([customer.defaultShippingAddressId, kept.id]);
  });

  it("answers a second delete NOT_FOUND, a retry with its request_id as the first, and a stale etag ABORTED", async () => {
    const customer = await newCustomer(clients);
    const entry = await addAddress(clients, customer.id, home);
    const request = { customerId: customer.id, id: entry.id, requestId: randomUUID() };
    expect(await clients.customers.deleteCustomerAddress(request)).toEqual(
      await clients.customers.deleteCustomerAddress(request),
    );
    const again = await rejectionOf(clients.customers.deleteCustomerAddress({ customerId: customer.id, id: entry.id }));
    expect(again).toMatchObject({ code: Code.NotFound, reason: "ADDRESS_NOT_FOUND" });

    const second = await addAddress(clients, customer.id, office);
    await clients.customers.updateCustomerAddress({
      customerAddress: { id: second.id, customerId: customer.id, address: depot },
      updateMask: { paths: ["address"] },
    });
    const stale = await rejectionOf(
      clients.customers.deleteCustomerAddress({ customerId: customer.id, id: second.id, etag: second.etag }),
    );
    expect(stale).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
    expect(await book(customer.id)).toHaveLength(1);
  });

  it("answers another tenant's customer as NOT_FOUND CUSTOMER_NOT_FOUND", async () => {
    const customer = await newCustomer(clients, { defaultBillingAddress: home });
    const error = await rejectionOf(
      other.customers.deleteCustomerAddress({ customerId: customer.id, id: customer.defaultBillingAddressId }),
    );
    expect(error).toMatchObject({ code: Code.NotFound, reason: "CUSTOMER_NOT_FOUND" });
    expect(await book(customer.id)).toHaveLength(1);
  });
});

describe("ListCustomerAddresses", () => {
  it("answers an unknown customer and another tenant's as NOT_FOUND CUSTOMER_NOT_FOUND", async () => {
    const customer = await newCustomer(clients);
    for (const [callers, customerId] of [
      [clients, randomUUID()],
      [other, customer.id],
    ] as const) {
      const error = await rejectionOf(callers.customers.listCustomerAddresses({ customerId }));
      expect(error).toMatchObject({ code: Code.NotFound, reason: "CUSTOMER_NOT_FOUND" });
    }
  });
});
