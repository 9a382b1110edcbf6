import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ShippingRateKind } from "../../gen/orders/v1/shipping_pb.js";
import type { ShippingMethod } from "../../src/domain/pricing/checkout.js";
import { nativePool, query } from "../../src/platform/database/query.js";
import { findShippingMethod, listActiveShippingMethods } from "../../src/shipping/public.js";
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

async function newMethodId(displayName: string, active = true): Promise<string> {
  const { shippingMethod } = await clients.shipping.createShippingMethod({
    shippingMethod: {
      displayName,
      carrier: "UPS",
      service: "Ground",
      countries: ["US"],
      active,
      rates: [
        { currency: "USD", kind: ShippingRateKind.FLAT, amount: "4.95", freeAbove: "50" },
        {
          currency: "EUR",
          kind: ShippingRateKind.WEIGHT_TIERS,
          tiers: [
            { from: "0", amount: "5" },
            { from: "2000", amount: "9.5" },
          ],
        },
      ],
    },
  });
  return shippingMethod?.id ?? "";
}

/** The checkout engine's ShippingMethod of what newMethodId creates. */
function engineMethod(id: string, name: string, active = true): ShippingMethod {
  return {
    id,
    name,
    carrier: "UPS",
    service: "Ground",
    countries: ["US"],
    active,
    rates: [
      { currency: "USD", kind: "FLAT", amount: "4.95", tiers: [], freeAbove: "50.00" },
      {
        currency: "EUR",
        kind: "WEIGHT_TIERS",
        amount: "",
        tiers: [
          { from: "0", amount: "5.00" },
          { from: "2000", amount: "9.50" },
        ],
      },
    ],
  };
}

describe("findShippingMethod (shipping/public.ts), on the database", () => {
  it("reads a method as the checkout engine prices it, active or not, on an EntityManager, a pool or in a transaction", async () => {
    const id = await newMethodId("Standard");
    const paused = await newMethodId("Paused", false);
    const em = service.app.orm.em.fork();
    expect(await findShippingMethod(em, tenantId, id)).toEqual(engineMethod(id, "Standard"));
    expect(await findShippingMethod(await nativePool(em), tenantId, paused)).toEqual(
      engineMethod(paused, "Paused", false),
    );
    const inTransaction = await em.fork().transactional((tx) => findShippingMethod(tx, tenantId, id));
    expect(inTransaction).toEqual(engineMethod(id, "Standard"));
  });

  it("answers undefined for an unknown id, another tenant's method and an id that is not a UUID", async () => {
    const id = await newMethodId("Mine");
    const other = await service.newTenant();
    const em = service.app.orm.em.fork();
    expect(await findShippingMethod(em, other.tenantId, id)).toBeUndefined();
    expect(await findShippingMethod(em, tenantId, randomUUID())).toBeUndefined();
    expect(await findShippingMethod(em, tenantId, "not-a-uuid")).toBeUndefined();
  });
});

describe("listActiveShippingMethods (shipping/public.ts), on the database", () => {
  it("lists the tenant's active methods oldest first, without inactive or deleted ones or other tenants'", async () => {
    const tenant = await service.newTenant();
    const own = service.clients(tenant.key);
    const create = async (displayName: string, active: boolean) =>
      (
        await own.shipping.createShippingMethod({
          shippingMethod: {
            displayName,
            carrier: "DHL",
            service: "Express",
            active,
            rates: [{ currency: "USD", kind: ShippingRateKind.FLAT, amount: "0" }],
          },
        })
      ).shippingMethod?.id ?? "";
    const first = await create("First", true);
    await create("Inactive", false);
    const gone = await create("Deleted", true);
    const last = await create("Last", true);
    await own.shipping.deleteShippingMethod({ id: gone });
    await newMethodId("Another tenant's");

    const methods = await listActiveShippingMethods(service.app.orm.em.fork(), tenant.tenantId);
    expect(methods.map((m) => [m.id, m.name, m.active])).toEqual([
      [first, "First", true],
      [last, "Last", true],
    ]);
    expect(methods[0]).toEqual({
      id: first,
      name: "First",
      carrier: "DHL",
      service: "Express",
      countries: [],
      active: true,
      rates: [{ currency: "USD", kind: "FLAT", amount: "0.00", tiers: [] }],
    });
    expect(await listActiveShippingMethods(service.app.orm.em.fork(), randomUUID())).toEqual([]);
  });
});

describe("shipping_methods.rates", () => {
  it("refuses a JSON number anywhere in the rates: money is stored as decimal strings", async () => {
    const id = await newMethodId("Guarded");
    const pool = await nativePool(service.app.orm.em.fork());
    const set = (rates: unknown) =>
      query(pool, "update shipping_methods set rates = $1::jsonb where id = $2", [JSON.stringify(rates), id]);
    await expect(set([{ currency: "USD", kind: "FLAT", amount: 4.95, tiers: [] }])).rejects.toThrow(
      /shipping_methods_rates_without_numbers/,
    );
    await expect(
      set([{ currency: "EUR", kind: "WEIGHT_TIERS", amount: "", tiers: [{ from: 0, amount: "5.00" }] }]),
    ).rejects.toThrow(/shipping_methods_rates_without_numbers/);
    await expect(set({ currency: "USD" })).rejects.toThrow(/shipping_methods_rates_without_numbers/);
    expect((await findShippingMethod(pool, tenantId, id))?.rates[0]?.amount).toBe("4.95");
  });
});
