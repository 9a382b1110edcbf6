import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaxRounding, type TaxSettings } from "../../gen/orders/v1/tax_pb.js";
import type { Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;

beforeAll(async () => {
  service = await buildInMemoryService();
});
afterAll(() => ifSetUp(service)?.close());

/** A tenant of its own (settings are one per tenant): its admin clients and a viewer's. */
async function newTenant(): Promise<{ admin: Clients; viewer: Clients }> {
  const tenant = await service.newTenant("admin");
  return {
    admin: service.clients(tenant.key),
    viewer: service.clients(await service.newKey(tenant.tenantId, "viewer")),
  };
}

/** A rounding no version of the contract defines, as a client built against a newer one could send. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- a value outside the enum, on purpose
const UNDEFINED_ROUNDING = 7 as TaxRounding;

function settingsOf(response: { taxSettings?: TaxSettings }): TaxSettings {
  if (!response.taxSettings) throw new Error("no tax settings in the response");
  return response.taxSettings;
}

async function newMarket(clients: Clients, countries: string[]): Promise<string> {
  const { market } = await clients.store.createMarket({
    market: { name: countries.join("+"), currency: "EUR", countries, defaultLocale: "de-DE" },
  });
  if (!market) throw new Error("CreateMarket returned no market");
  return market.id;
}

describe("GetTaxSettings", () => {
  it("returns the defaults, with an etag and no update time, until the settings are changed", async () => {
    const { viewer } = await newTenant();
    const settings = settingsOf(await viewer.tax.getTaxSettings({}));
    expect(settings).toMatchObject({
      pricesIncludeTax: false,
      marketOverrides: [],
      taxShipping: false,
      shippingTaxCategory: "standard",
      rounding: TaxRounding.LINE,
    });
    expect(settings.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(settings.updateTime).toBeUndefined();
    // Another tenant's defaults have another etag: the singleton's is its tenant's.
    const other = settingsOf(await (await newTenant()).viewer.tax.getTaxSettings({}));
    expect(other.etag).not.toBe(settings.etag);
  });
});

describe("UpdateTaxSettings", () => {
  it("sets exactly the masked fields under the defaults' etag, and Get reads them back", async () => {
    const { admin, viewer } = await newTenant();
    const defaults = settingsOf(await admin.tax.getTaxSettings({}));
    const europe = await newMarket(admin, ["DE", "FR"]);
    const updated = settingsOf(
      await admin.tax.updateTaxSettings({
        taxSettings: {
          etag: defaults.etag,
          pricesIncludeTax: true,
          marketOverrides: [{ marketId: europe.toUpperCase(), pricesIncludeTax: false }],
          taxShipping: true,
          shippingTaxCategory: "reduced",
          rounding: TaxRounding.ORDER,
        },
        updateMask: { paths: ["prices_include_tax", "market_overrides", "rounding"] },
      }),
    );
    expect(updated).toMatchObject({
      pricesIncludeTax: true,
      marketOverrides: [{ marketId: europe, pricesIncludeTax: false }],
      taxShipping: false,
      shippingTaxCategory: "standard",
      rounding: TaxRounding.ORDER,
    });
    expect(updated.etag).not.toBe(defaults.etag);
    expect(updated.updateTime).toBeDefined();
    expect(settingsOf(await viewer.tax.getTaxSettings({}))).toEqual(updated);

    // The overrides are replaced as a whole.
    const asia = await newMarket(admin, ["JP"]);
    const replaced = settingsOf(
      await admin.tax.updateTaxSettings({
        taxSettings: { etag: updated.etag, marketOverrides: [{ marketId: asia, pricesIncludeTax: true }] },
        updateMask: { paths: ["market_overrides"] },
      }),
    );
    expect(replaced).toMatchObject({
      pricesIncludeTax: true,
      marketOverrides: [{ marketId: asia, pricesIncludeTax: true }],
      rounding: TaxRounding.ORDER,
    });
  });

  it('sets every field with "*", a named empty field taking its default', async () => {
    const { admin } = await newTenant();
    await admin.tax.updateTaxSettings({
      taxSettings: { taxShipping: true, shippingTaxCategory: "reduced", rounding: TaxRounding.ORDER },
      updateMask: { paths: ["*"] },
    });
    const cleared = settingsOf(
      await admin.tax.updateTaxSettings({
        taxSettings: { taxShipping: true },
        updateMask: { paths: ["*"] },
      }),
    );
    expect(cleared).toMatchObject({
      pricesIncludeTax: false,
      marketOverrides: [],
      taxShipping: true,
      shippingTaxCategory: "standard",
      rounding: TaxRounding.LINE,
    });
  });

  it("refuses a stale etag as ABORTED ETAG_MISMATCH, also the defaults' etag once changed", async () => {
    const { admin } = await newTenant();
    const defaults = settingsOf(await admin.tax.getTaxSettings({}));
    await admin.tax.updateTaxSettings({ taxSettings: { taxShipping: true }, updateMask: { paths: ["tax_shipping"] } });
    const error = await rejectionOf(
      admin.tax.updateTaxSettings({
        taxSettings: { etag: defaults.etag, taxShipping: false },
        updateMask: { paths: ["tax_shipping"] },
      }),
    );
    expect(error).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
    expect(settingsOf(await admin.tax.getTaxSettings({})).taxShipping).toBe(true);
  });

  it("answers a retry with the same request_id as the first call, and a changed retry as a reuse", async () => {
    const { admin } = await newTenant();
    const request = {
      taxSettings: { pricesIncludeTax: true },
      updateMask: { paths: ["prices_include_tax"] },
      requestId: crypto.randomUUID(),
    };
    const first = await admin.tax.updateTaxSettings(request);
    await admin.tax.updateTaxSettings({ taxSettings: { taxShipping: true }, updateMask: { paths: ["tax_shipping"] } });
    expect(await admin.tax.updateTaxSettings(request)).toEqual(first);
    expect(
      await rejectionOf(admin.tax.updateTaxSettings({ ...request, taxSettings: { pricesIncludeTax: false } })),
    ).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("refuses an override of a market that is not the tenant's as NOT_FOUND MARKET_NOT_FOUND, changing nothing", async () => {
    const { admin } = await newTenant();
    const mine = await newMarket(admin, ["AT"]);
    const theirs = await newMarket((await newTenant()).admin, ["AT"]);
    for (const marketId of [theirs, crypto.randomUUID()]) {
      expect(
        await rejectionOf(
          admin.tax.updateTaxSettings({
            taxSettings: {
              marketOverrides: [
                { marketId: mine, pricesIncludeTax: true },
                { marketId, pricesIncludeTax: true },
              ],
            },
            updateMask: { paths: ["market_overrides"] },
          }),
        ),
      ).toMatchObject({ code: Code.NotFound, reason: "MARKET_NOT_FOUND", metadata: { marketId } });
    }
    expect(settingsOf(await admin.tax.getTaxSettings({}))).toMatchObject({ marketOverrides: [] });
  });

  it("refuses a market named twice, a bad mask and bad values with a field violation each", async () => {
    const { admin } = await newTenant();
    const market = await newMarket(admin, ["CH"]);
    expect(
      await rejectionOf(
        admin.tax.updateTaxSettings({
          taxSettings: {
            marketOverrides: [
              { marketId: market, pricesIncludeTax: true },
              { marketId: market.toUpperCase(), pricesIncludeTax: false },
            ],
          },
          updateMask: { paths: ["market_overrides"] },
        }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "tax_settings.market_overrides[1].market_id", reason: "DUPLICATE_MARKET" }],
    });
    expect(
      await rejectionOf(admin.tax.updateTaxSettings({ taxSettings: {}, updateMask: { paths: ["rounding", "etag"] } })),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" }],
    });
    expect(
      await rejectionOf(admin.tax.updateTaxSettings({ taxSettings: {}, updateMask: { paths: [] } })),
    ).toMatchObject({ code: Code.InvalidArgument, violations: [{ field: "update_mask", reason: "REQUIRED" }] });
    expect(
      await rejectionOf(
        admin.tax.updateTaxSettings({
          taxSettings: {
            shippingTaxCategory: "Reduced",
            rounding: UNDEFINED_ROUNDING,
            marketOverrides: [{ marketId: "not-a-uuid" }],
          },
          updateMask: { paths: ["*"] },
        }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "tax_settings.market_overrides[0].market_id", reason: "STRING_UUID" },
        { field: "tax_settings.shipping_tax_category", reason: "INVALID_TAX_CATEGORY" },
        { field: "tax_settings.rounding", reason: "ENUM_DEFINED_ONLY" },
      ],
    });
    expect(
      await rejectionOf(
        admin.tax.updateTaxSettings({
          taxSettings: { updateTime: { seconds: -62135596801n } },
          updateMask: { paths: ["rounding"] },
          requestId: crypto.randomUUID(),
        }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "tax_settings.update_time", reason: "TIMESTAMP_GTE_LTE" }],
    });
    expect(await rejectionOf(admin.tax.updateTaxSettings({ updateMask: { paths: ["rounding"] } }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "tax_settings", reason: "REQUIRED" }],
    });
  });
});
