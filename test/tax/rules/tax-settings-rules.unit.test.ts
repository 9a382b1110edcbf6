import { describe, expect, it } from "vitest";
import { TaxRounding } from "../../../gen/orders/v1/tax_pb.js";
import {
  changedTaxSettings,
  DEFAULT_TAX_SETTINGS,
  roundingMessageOf,
  roundingOf,
  TAX_SETTINGS_FIELDS,
  taxConfigurationOf,
  taxSettingsViolations,
  type TaxSettingsFields,
  type TaxSettingsValues,
} from "../../../src/tax/rules/tax-settings-rules.js";
import type { TaxZoneValues } from "../../../src/tax/rules/tax-zone-rules.js";

const A = "6f1c5f8e-4a3b-4c2d-9e1f-0a1b2c3d4e5f";
const B = "0d7c1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f";

const given: TaxSettingsFields = {
  pricesIncludeTax: true,
  marketOverrides: [{ marketId: A.toUpperCase(), pricesIncludeTax: false }],
  taxShipping: true,
  shippingTaxCategory: "",
  rounding: TaxRounding.UNSPECIFIED,
};

const zone: TaxZoneValues = {
  id: "z",
  displayName: "Germany",
  country: "DE",
  region: "",
  postalCodePrefixes: [],
  rates: [{ taxCategory: "standard", displayName: "MwSt.", rate: "0.19" }],
};

describe("taxSettingsViolations", () => {
  it("refuses a market named twice, in any case, at the later override", () => {
    const overrides = [
      { marketId: A, pricesIncludeTax: true },
      { marketId: B, pricesIncludeTax: true },
      { marketId: A.toUpperCase(), pricesIncludeTax: false },
    ];
    expect(
      taxSettingsViolations("tax_settings", { ...given, marketOverrides: overrides }, ["market_overrides"]),
    ).toEqual([
      {
        field: "tax_settings.market_overrides[2].market_id",
        reason: "DUPLICATE_MARKET",
        description: "names a market an earlier override names",
      },
    ]);
    // Only when the mask names the overrides.
    expect(taxSettingsViolations("tax_settings", { ...given, marketOverrides: overrides }, ["rounding"])).toEqual([]);
  });
});

describe("changedTaxSettings", () => {
  it("takes the masked fields, an empty one taking its default, market ids in lower case", () => {
    const current: TaxSettingsValues = { ...DEFAULT_TAX_SETTINGS, shippingTaxCategory: "reduced", rounding: "ORDER" };
    expect(changedTaxSettings(current, given, TAX_SETTINGS_FIELDS)).toEqual({
      pricesIncludeTax: true,
      marketOverrides: [{ marketId: A, pricesIncludeTax: false }],
      taxShipping: true,
      shippingTaxCategory: "standard",
      rounding: "LINE",
    });
    expect(changedTaxSettings(current, given, ["tax_shipping"])).toEqual({ ...current, taxShipping: true });
  });

  it("leaves the current settings as they are", () => {
    const current: TaxSettingsValues = {
      ...DEFAULT_TAX_SETTINGS,
      marketOverrides: [{ marketId: B, pricesIncludeTax: true }],
    };
    changedTaxSettings(current, given, TAX_SETTINGS_FIELDS);
    expect(current.marketOverrides).toEqual([{ marketId: B, pricesIncludeTax: true }]);
    expect(DEFAULT_TAX_SETTINGS).toMatchObject({ marketOverrides: [], rounding: "LINE" });
  });
});

describe("rounding", () => {
  it("reads UNSPECIFIED as LINE and never writes UNSPECIFIED", () => {
    expect(roundingOf(TaxRounding.UNSPECIFIED)).toBe("LINE");
    expect(roundingOf(TaxRounding.LINE)).toBe("LINE");
    expect(roundingOf(TaxRounding.ORDER)).toBe("ORDER");
    expect(roundingMessageOf("LINE")).toBe(TaxRounding.LINE);
    expect(roundingMessageOf("ORDER")).toBe(TaxRounding.ORDER);
  });
});

describe("taxConfigurationOf", () => {
  const settings: TaxSettingsValues = {
    pricesIncludeTax: true,
    marketOverrides: [{ marketId: A, pricesIncludeTax: false }],
    taxShipping: true,
    shippingTaxCategory: "shipping",
    rounding: "ORDER",
  };

  it("is undefined without zones, whatever the settings", () => {
    expect(taxConfigurationOf([], settings, A)).toBeUndefined();
    expect(taxConfigurationOf([], undefined, undefined)).toBeUndefined();
  });

  it("uses the defaults for a tenant that never changed its settings", () => {
    expect(taxConfigurationOf([zone], undefined, A)).toEqual({
      zones: [
        {
          id: "z",
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

  it("takes prices_include_tax from the market's override (any case), else from the tenant", () => {
    expect(taxConfigurationOf([zone], settings, A)).toMatchObject({
      pricesIncludeTax: false,
      taxShipping: true,
      shippingTaxCategory: "shipping",
      rounding: "ORDER",
    });
    expect(taxConfigurationOf([zone], settings, A.toUpperCase())?.pricesIncludeTax).toBe(false);
    expect(taxConfigurationOf([zone], settings, B)?.pricesIncludeTax).toBe(true);
    expect(taxConfigurationOf([zone], settings, "")?.pricesIncludeTax).toBe(true);
    expect(taxConfigurationOf([zone], settings, undefined)?.pricesIncludeTax).toBe(true);
  });
});
