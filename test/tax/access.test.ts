import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaxService } from "../../gen/orders/v1/tax_service_pb.js";
import { TAX_METHOD_ROLES } from "../../src/tax/access.js";
import type { Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;
let keys: Record<"viewer" | "editor" | "admin", string>;

beforeAll(async () => {
  service = await buildInMemoryService();
  const admin = await service.newTenant("admin");
  keys = {
    admin: admin.key,
    editor: await service.newKey(admin.tenantId, "editor"),
    viewer: await service.newKey(admin.tenantId, "viewer"),
  };
});
afterAll(() => ifSetUp(service)?.close());

const id = "00000000-0000-4000-8000-000000000000";
const zone = { displayName: "Z", country: "US", rates: [{ displayName: "Sales tax", rate: "0.05" }] };

/** One call of every TaxService method, valid as far as the contract goes. */
const CALLS: Record<string, (clients: Clients) => Promise<unknown>> = {
  CreateTaxZone: (c) => c.tax.createTaxZone({ taxZone: zone }),
  GetTaxZone: (c) => c.tax.getTaxZone({ id }),
  ListTaxZones: (c) => c.tax.listTaxZones({}),
  UpdateTaxZone: (c) =>
    c.tax.updateTaxZone({ taxZone: { id, displayName: "Z" }, updateMask: { paths: ["display_name"] } }),
  DeleteTaxZone: (c) => c.tax.deleteTaxZone({ id }),
  GetTaxSettings: (c) => c.tax.getTaxSettings({}),
  UpdateTaxSettings: (c) =>
    c.tax.updateTaxSettings({ taxSettings: { taxShipping: true }, updateMask: { paths: ["tax_shipping"] } }),
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

describe("TaxService roles", () => {
  it("declares a role for every method: any key reads, only admin keys write", () => {
    const methods = TaxService.methods.map((method) => method.name).sort();
    expect(Object.keys(CALLS).sort()).toEqual(methods);
    for (const method of methods) {
      const role = TAX_METHOD_ROLES[`orders.v1.TaxService/${method}`];
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
    expect((await service.clients(keys.admin).tax.listTaxZones({})).taxZones).toEqual([]);
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
