import { TaxRounding as TaxRoundingMessage } from "../../../gen/orders/v1/tax_pb.js";
import type { TaxConfiguration, TaxRounding } from "../../domain/pricing/checkout.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { DEFAULT_TAX_CATEGORY, pricingZoneOf, type TaxZoneValues } from "./tax-zone-rules.js";

/** How tax is rounded, as stored in `tax_settings.rounding` and as the pricing engine reads it. */
export const TAX_ROUNDINGS = ["LINE", "ORDER"] as const satisfies readonly TaxRounding[];

/** One market's exception to prices_include_tax, as stored in `tax_settings.market_overrides` (jsonb). */
export interface MarketOverrideRecord {
  marketId: string;
  pricesIncludeTax: boolean;
}

/** The tenant's tax settings as stored (and as the defaults are). */
export interface TaxSettingsValues {
  pricesIncludeTax: boolean;
  marketOverrides: MarketOverrideRecord[];
  taxShipping: boolean;
  shippingTaxCategory: string;
  rounding: TaxRounding;
}

/** What a tenant has until its first UpdateTaxSettings (the columns' defaults, the contract's documented ones). */
export const DEFAULT_TAX_SETTINGS: Readonly<TaxSettingsValues> = Object.freeze({
  pricesIncludeTax: false,
  marketOverrides: [],
  taxShipping: false,
  shippingTaxCategory: DEFAULT_TAX_CATEGORY,
  rounding: "LINE",
});

/** The settings' fields as the request holds them (orders.v1.TaxSettings). */
export interface TaxSettingsFields {
  pricesIncludeTax: boolean;
  marketOverrides: readonly MarketOverrideRecord[];
  taxShipping: boolean;
  shippingTaxCategory: string;
  rounding: TaxRoundingMessage;
}

export type TaxSettingsField =
  "prices_include_tax" | "market_overrides" | "tax_shipping" | "shipping_tax_category" | "rounding";

export const TAX_SETTINGS_FIELDS: readonly TaxSettingsField[] = [
  "prices_include_tax",
  "market_overrides",
  "tax_shipping",
  "shipping_tax_category",
  "rounding",
];

/** The stored rounding of the contract's (UNSPECIFIED is LINE, the default). */
export function roundingOf(rounding: TaxRoundingMessage): TaxRounding {
  return rounding === TaxRoundingMessage.ORDER ? "ORDER" : "LINE";
}

/** The contract's rounding of a stored one (never UNSPECIFIED). */
export function roundingMessageOf(rounding: TaxRounding): TaxRoundingMessage {
  return rounding === "ORDER" ? TaxRoundingMessage.ORDER : TaxRoundingMessage.LINE;
}

/**
 * The violations of the settings an update gives for `fields`: a market named twice in market_overrides is
 * DUPLICATE_MARKET at `${prefix}.market_overrides[i].market_id` (ids compared in any case). Whether the
 * markets are the tenant's is the store's to say (MARKET_NOT_FOUND).
 */
export function taxSettingsViolations(
  prefix: string,
  given: TaxSettingsFields,
  fields: readonly TaxSettingsField[],
): FieldViolation[] {
  if (!fields.includes("market_overrides")) return [];
  const seen = new Set<string>();
  return given.marketOverrides.flatMap(({ marketId }, index) => {
    const known = seen.has(marketId.toLowerCase());
    seen.add(marketId.toLowerCase());
    return known
      ? [
          fieldViolation(
            `${prefix}.market_overrides[${index}].market_id`,
            "DUPLICATE_MARKET",
            "names a market an earlier override names",
          ),
        ]
      : [];
  });
}

/**
 * The settings an update leaves: `current` with the fields of `fields` taken from `given`, each empty one its
 * default ("" shipping category: "standard"; UNSPECIFIED rounding: LINE); market ids in lower case, as the
 * store writes them.
 */
export function changedTaxSettings(
  current: TaxSettingsValues,
  given: TaxSettingsFields,
  fields: readonly TaxSettingsField[],
): TaxSettingsValues {
  const values: TaxSettingsValues = { ...current, marketOverrides: [...current.marketOverrides] };
  for (const field of fields) {
    switch (field) {
      case "prices_include_tax":
        values.pricesIncludeTax = given.pricesIncludeTax;
        break;
      case "market_overrides":
        values.marketOverrides = given.marketOverrides.map(({ marketId, pricesIncludeTax }) => ({
          marketId: marketId.toLowerCase(),
          pricesIncludeTax,
        }));
        break;
      case "tax_shipping":
        values.taxShipping = given.taxShipping;
        break;
      case "shipping_tax_category":
        values.shippingTaxCategory = given.shippingTaxCategory || DEFAULT_TAX_CATEGORY;
        break;
      case "rounding":
        values.rounding = roundingOf(given.rounding);
        break;
    }
  }
  return values;
}

/**
 * What the pricing engine needs of a tenant's tax configuration for an order of market `marketId` (undefined
 * or "" when the order names none): undefined when the tenant has no zone (the order's own tax is used);
 * otherwise the zones and the settings (the defaults when it never changed them), prices including tax as
 * the market's override says when it has one, else as the tenant's setting says.
 */
export function taxConfigurationOf(
  zones: readonly TaxZoneValues[],
  settings: TaxSettingsValues | undefined,
  marketId: string | undefined,
): TaxConfiguration | undefined {
  if (zones.length === 0) return undefined;
  const { pricesIncludeTax, marketOverrides, taxShipping, shippingTaxCategory, rounding } =
    settings ?? DEFAULT_TAX_SETTINGS;
  const market = marketId?.toLowerCase();
  const override = market ? marketOverrides.find((entry) => entry.marketId === market) : undefined;
  return {
    zones: zones.map(pricingZoneOf),
    pricesIncludeTax: override?.pricesIncludeTax ?? pricesIncludeTax,
    taxShipping,
    shippingTaxCategory,
    rounding,
  };
}
