import currencyCodes from "currency-codes";
import { expect } from "vitest";
import type {
  CheckoutInput,
  CheckoutLine,
  CheckoutPricing,
  PromotionCandidate,
  TaxConfiguration,
  TaxZone,
} from "../../../../src/domain/pricing/checkout.js";
import { priceCheckout } from "../../../../src/domain/pricing/engine.js";
import { currencyMinorUnits } from "../../../../src/money/currency.js";

/** Builders for the engine's input: every field at its empty value unless given. */
export const NOW = new Date("2026-06-01T12:00:00Z");

export function line(quantity: number, unitPrice: string, overrides: Partial<CheckoutLine> = {}): CheckoutLine {
  return { quantity, unitPrice, sku: "", productId: "", variantId: "", taxCategory: "", weightGrams: 0, ...overrides };
}

export function checkout(overrides: Partial<CheckoutInput> = {}): CheckoutInput {
  return {
    currency: "USD",
    lines: [],
    shippingCountry: "",
    shipping: { kind: "NONE" },
    manualDiscount: "0",
    couponCodes: [],
    giftCards: [],
    now: NOW,
    ...overrides,
  };
}

export function promotion(overrides: Partial<PromotionCandidate> = {}): PromotionCandidate {
  return {
    id: "promo-1",
    name: "Spring",
    code: "SPRING",
    kind: "ORDER_PERCENTAGE",
    value: "10",
    skus: [],
    productIds: [],
    currency: "",
    minimumSubtotal: "",
    active: true,
    usageCount: 0,
    customerUsageCount: 0,
    ...overrides,
  };
}

export function zone(overrides: Partial<TaxZone> = {}): TaxZone {
  return {
    id: "zone-ny",
    name: "New York",
    country: "US",
    region: "NY",
    postalCodePrefixes: [],
    rates: [{ taxCategory: "standard", name: "NY", rate: "0.08875" }],
    ...overrides,
  };
}

export function taxConfig(overrides: Partial<TaxConfiguration> = {}): TaxConfiguration {
  return {
    zones: [zone()],
    pricesIncludeTax: false,
    taxShipping: false,
    shippingTaxCategory: "standard",
    rounding: "LINE",
    ...overrides,
  };
}

export const NEW_YORK = { country: "US", region: "NY", postalCode: "10001" };

export function priced(input: CheckoutInput): CheckoutPricing {
  const result = priceCheckout(input);
  if (!result.ok) throw new Error(`expected a priced checkout, got ${JSON.stringify(result.violations)}`);
  return result.pricing;
}

export function violations(input: CheckoutInput): { field: string; reason: string }[] {
  const result = priceCheckout(input);
  if (result.ok) throw new Error(`expected violations, got ${JSON.stringify(result.pricing)}`);
  for (const violation of result.violations) expect(violation.description).not.toBe("");
  return result.violations.map(({ field, reason }) => ({ field, reason }));
}

/** Every ISO 4217 code currencyMinorUnits accepts (minor units 0 to 4), from currency-codes' own list. */
export const PRICING_CURRENCIES: readonly string[] = currencyCodes
  .codes()
  .filter((code) => currencyMinorUnits(code) !== undefined);
