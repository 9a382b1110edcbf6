import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaxRounding } from "../../gen/orders/v1/tax_pb.js";
import type { TaxConfiguration } from "../../src/domain/pricing/checkout.js";
import { query } from "../../src/platform/database/query.js";
import { loadTaxConfiguration } from "../../src/tax/public.js";
import type { Clients } from "../support/clients.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { countingPool } from "../support/counting-pool.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;

beforeAll(async () => {
  service = await buildInMemoryService();
});
afterAll(() => ifSetUp(service)?.close());

async function newTenant(): Promise<{ tenantId: string; admin: Clients }> {
  const { tenantId, key } = await service.newTenant("admin");
  return { tenantId, admin: service.clients(key) };
}

const nyState = { displayName: "NY State", rate: "0.04" };

describe("tax/public.ts: loadTaxConfiguration", () => {
  it("is undefined for a tenant without a tax zone, whatever its settings", async () => {
    const { tenantId, admin } = await newTenant();
    const em = service.app.orm.em.fork();
    expect(await loadTaxConfiguration(em, tenantId, undefined)).toBeUndefined();
    await admin.tax.updateTaxSettings({ taxSettings: { pricesIncludeTax: true }, updateMask: { paths: ["*"] } });
    expect(await loadTaxConfiguration(em, tenantId, undefined)).toBeUndefined();
    // Another tenant's zones are not this tenant's.
    await (
      await newTenant()
    ).admin.tax.createTaxZone({ taxZone: { displayName: "US", country: "US", rates: [nyState] } });
    expect(await loadTaxConfiguration(em, tenantId, undefined)).toBeUndefined();
  });

  it("returns the zones oldest first in the pricing engine's terms, with the default settings, in one statement", async () => {
    const { tenantId, admin } = await newTenant();
    const { taxZone: nyc } = await admin.tax.createTaxZone({
      taxZone: {
        displayName: "New York City",
        country: "US",
        region: "NY",
        postalCodePrefixes: ["101", "100"],
        rates: [
          nyState,
          { displayName: "NYC", rate: "0.048750" },
          { taxCategory: "reduced", displayName: "Food", rate: "0" },
        ],
      },
    });
    const { taxZone: germany } = await admin.tax.createTaxZone({
      taxZone: { displayName: "Germany", country: "DE", rates: [{ displayName: "MwSt.", rate: "0.19" }] },
    });
    const { db, statements } = await countingPool(service.app.orm.em);
    const configuration = await loadTaxConfiguration(db, tenantId, undefined);
    expect(statements()).toBe(1);
    expect(configuration).toEqual<TaxConfiguration>({
      zones: [
        {
          id: nyc?.id ?? "",
          name: "New York City",
          country: "US",
          region: "NY",
          postalCodePrefixes: ["100", "101"],
          rates: [
            { taxCategory: "standard", name: "NY State", rate: "0.04" },
            { taxCategory: "standard", name: "NYC", rate: "0.04875" },
            { taxCategory: "reduced", name: "Food", rate: "0" },
          ],
        },
        {
          id: germany?.id ?? "",
          name: "Germany",
          country: "DE",
          region: "",
          postalCodePrefixes: [],
          rates: [{ taxCategory: "standard", name: "MwSt.", rate: "0.19" }],
        },
      ],
      pricesIncludeTax: false,
      taxShipping: false,
      shippingTaxCategory: "standard",
      rounding: "LINE",
    });
  });

  it("takes prices_include_tax from the order's market override, else from the tenant's setting", async () => {
    const { tenantId, admin } = await newTenant();
    await admin.tax.createTaxZone({ taxZone: { displayName: "EU", country: "DE", rates: [nyState] } });
    const market = async (countries: string[]) =>
      (
        await admin.store.createMarket({
          market: { name: countries.join(), currency: "EUR", countries, defaultLocale: "de" },
        })
      ).market?.id ?? "";
    const [inclusive, exclusive, plain] = [await market(["DE"]), await market(["US"]), await market(["FR"])];
    await admin.tax.updateTaxSettings({
      taxSettings: {
        pricesIncludeTax: false,
        marketOverrides: [
          { marketId: inclusive, pricesIncludeTax: true },
          { marketId: exclusive, pricesIncludeTax: false },
        ],
        taxShipping: true,
        shippingTaxCategory: "shipping",
        rounding: TaxRounding.ORDER,
      },
      updateMask: { paths: ["*"] },
    });
    const em = service.app.orm.em.fork();
    const pricesIncludeTax = async (marketId: string | undefined) =>
      (await loadTaxConfiguration(em, tenantId, marketId))?.pricesIncludeTax;
    expect(await pricesIncludeTax(inclusive)).toBe(true);
    expect(await pricesIncludeTax(inclusive.toUpperCase())).toBe(true);
    expect(await pricesIncludeTax(exclusive)).toBe(false);
    expect(await pricesIncludeTax(plain)).toBe(false);
    expect(await pricesIncludeTax(undefined)).toBe(false);
    expect(await pricesIncludeTax("")).toBe(false);
    expect(await loadTaxConfiguration(em, tenantId, inclusive)).toMatchObject({
      taxShipping: true,
      shippingTaxCategory: "shipping",
      rounding: "ORDER",
    });

    // The tenant's default flips; the overrides stay.
    await admin.tax.updateTaxSettings({
      taxSettings: { pricesIncludeTax: true },
      updateMask: { paths: ["prices_include_tax"] },
    });
    expect(await pricesIncludeTax(plain)).toBe(true);
    expect(await pricesIncludeTax(exclusive)).toBe(false);
  });

  it("runs inside the caller's transaction, seeing its uncommitted zones", async () => {
    const { tenantId, admin } = await newTenant();
    await admin.tax.createTaxZone({ taxZone: { displayName: "US", country: "US", rates: [nyState] } });
    await service.app.orm.em
      .fork()
      .transactional(async (tx) => {
        await query(tx, "delete from tax_zones where tenant_id = $1", [tenantId]);
        expect(await loadTaxConfiguration(tx, tenantId, undefined)).toBeUndefined();
        throw new RollBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RollBack)) throw error;
      });
    expect(await loadTaxConfiguration(service.app.orm.em.fork(), tenantId, undefined)).toBeDefined();
  });
});

class RollBack extends Error {}
