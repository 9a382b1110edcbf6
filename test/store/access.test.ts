import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreService } from "../../gen/orders/v1/store_service_pb.js";
import { issueApiKey } from "../../src/admin/tenants.js";
import { STORE_METHOD_ROLES } from "../../src/store/access.js";
import type { Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;
let tenantId: string;
let keys: Record<"viewer" | "editor" | "admin", string>;

beforeAll(async () => {
  service = await buildInMemoryService();
  const admin = await service.newTenant("admin");
  tenantId = admin.tenantId;
  const em = service.app.orm.em.fork();
  keys = {
    admin: admin.key,
    editor: (await issueApiKey(em, tenantId, { role: "editor", mode: "test" })).key,
    viewer: (await issueApiKey(em, tenantId, { role: "viewer", mode: "test" })).key,
  };
});
afterAll(() => ifSetUp(service)?.close());

const id = "00000000-0000-4000-8000-000000000000";
const address = { line1: "1 Main St", country: "US" };

/** One call of every StoreService method, valid as far as the contract goes. */
const CALLS: Record<string, (clients: Clients) => Promise<unknown>> = {
  CreateMarket: (c) =>
    c.store.createMarket({ market: { name: "M", currency: "USD", countries: ["US"], defaultLocale: "en-US" } }),
  GetMarket: (c) => c.store.getMarket({ id }),
  ListMarkets: (c) => c.store.listMarkets({}),
  UpdateMarket: (c) => c.store.updateMarket({ market: { id, name: "M" }, updateMask: { paths: ["name"] } }),
  CreateSalesChannel: (c) => c.store.createSalesChannel({ salesChannel: { name: "Web" } }),
  GetSalesChannel: (c) => c.store.getSalesChannel({ id }),
  ListSalesChannels: (c) => c.store.listSalesChannels({}),
  UpdateSalesChannel: (c) =>
    c.store.updateSalesChannel({ salesChannel: { id, name: "Web" }, updateMask: { paths: ["name"] } }),
  CreateStockLocation: (c) => c.store.createStockLocation({ stockLocation: { name: "DC", address } }),
  GetStockLocation: (c) => c.store.getStockLocation({ id }),
  ListStockLocations: (c) => c.store.listStockLocations({}),
  UpdateStockLocation: (c) =>
    c.store.updateStockLocation({ stockLocation: { id, name: "DC" }, updateMask: { paths: ["name"] } }),
};

/** What a call that got past auth may answer: success, or NOT_FOUND for the made-up id. */
async function passesAuth(call: Promise<unknown>): Promise<boolean> {
  try {
    await call;
    return true;
  } catch (error) {
    return observedError(error).code === Code.NotFound;
  }
}

describe("StoreService roles", () => {
  it("declares a role for every method: any key reads, only admin keys write", () => {
    const methods = StoreService.methods.map((method) => method.name).sort();
    expect(Object.keys(CALLS).sort()).toEqual(methods);
    for (const method of methods) {
      const role = STORE_METHOD_ROLES[`orders.v1.StoreService/${method}`];
      expect(role).toBe(/^(Get|List)/.test(method) ? "viewer" : "admin");
    }
  });

  it.each(["viewer", "editor"] as const)("lets a %s key read and refuses its writes as ROLE_REQUIRED", async (role) => {
    const clients = service.clients(keys[role]);
    for (const [method, call] of Object.entries(CALLS)) {
      if (/^(Get|List)/.test(method)) {
        expect(await passesAuth(call(clients)), method).toBe(true);
      } else {
        expect(await rejectionOf(call(clients)), method).toMatchObject({
          code: Code.PermissionDenied,
          reason: "ROLE_REQUIRED",
          metadata: { requiredRole: "admin", role },
        });
      }
    }
    expect((await service.clients(keys.admin).store.listMarkets({})).markets).toEqual([]);
  });

  it("lets an admin key call every method", async () => {
    const clients = service.clients(keys.admin);
    for (const [method, call] of Object.entries(CALLS)) expect(await passesAuth(call(clients)), method).toBe(true);
  });

  it("refuses every method without a key as UNAUTHENTICATED", async () => {
    const clients = service.clients(undefined);
    for (const [method, call] of Object.entries(CALLS)) {
      expect((await rejectionOf(call(clients))).code, method).toBe(Code.Unauthenticated);
    }
  });
});
