import type { TaxZone } from "../../domain/pricing/checkout.js";
import { isCountryCode } from "../../money/country.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { MoneyDecimal } from "../../money/money.js";

/** One rate of a zone as stored in `tax_zones.rates` (jsonb; keys are orders.v1.TaxRate's JSON names). */
export interface TaxRateRecord {
  taxCategory: string;
  displayName: string;
  /** Fraction 0..1, canonical decimal string without trailing zeros: "0.04", "0.08875", "1". */
  rate: string;
}

/** A zone's settable fields as the request holds them (orders.v1.TaxZone and its TaxRate messages). */
export interface TaxZoneFields {
  displayName: string;
  country: string;
  region: string;
  postalCodePrefixes: readonly string[];
  rates: readonly TaxRateRecord[];
}

export type TaxZoneField = "display_name" | "country" | "region" | "postal_code_prefixes" | "rates";

export const TAX_ZONE_FIELDS: readonly TaxZoneField[] = [
  "display_name",
  "country",
  "region",
  "postal_code_prefixes",
  "rates",
];

/** The tax category of a rate or of shipping that names none, as a catalog variant's default. */
export const DEFAULT_TAX_CATEGORY = "standard";

/** A zone's stored values (tax_zones), with its id. */
export interface TaxZoneValues extends TaxZonePlace {
  id: string;
  displayName: string;
  rates: TaxRateRecord[];
}

/** Where a zone applies; two zones of a tenant never share one (TAX_ZONE_EXISTS). */
export interface TaxZonePlace {
  country: string;
  /** "" = every region of the country. */
  region: string;
  /** Upper case, without spaces, sorted, each once. */
  postalCodePrefixes: string[];
}

/** The checked values: prefixes normalised and sorted, categories defaulted, rates canonical. */
export type CheckedTaxZone = { ok: true; values: TaxZoneFields } | { ok: false; violations: FieldViolation[] };

/** A rate as the contract writes it: a fraction from 0 to 1 with at most 6 fraction digits, no sign or exponent. */
const RATE_PATTERN = /^(0(\.[0-9]{1,6})?|1(\.0{1,6})?)$/;
/** A region as the contract writes it: ISO 3166-2's subdivision part, 1 to 3 capital letters or digits. */
const REGION_PATTERN = /^[A-Z0-9]{1,3}$/;
/** A normalised postal code prefix. */
const PREFIX_PATTERN = /^[A-Z0-9]{1,10}$/;

/** A postal code or prefix as zones compare them: upper case, without spaces ("sw1a 1aa" -> "SW1A1AA"). */
export function normalizedPostalCode(text: string): string {
  return text.replace(/\s+/g, "").toUpperCase();
}

/** A valid rate without trailing zeros ("0.0400" -> "0.04", "1.0" -> "1"), or undefined for anything else. */
export function canonicalRate(text: string): string | undefined {
  return RATE_PATTERN.test(text) ? new MoneyDecimal(text).toFixed() : undefined;
}

/**
 * The rules of a zone's fields that protovalidate cannot state (and those it states, so they hold for every
 * caller), for the fields being set (all of them on create, the mask's on update), each violation at
 * `${prefix}.<field>`: display_name, country and rates are required (REQUIRED; region and prefixes may be
 * empty); the country an assigned ISO 3166-1 code (UNKNOWN_COUNTRY); the region 1 to 3 capital letters or
 * digits (INVALID_REGION_CODE); each prefix 1 to 10 letters or digits once spaces are dropped
 * (INVALID_POSTAL_CODE_PREFIX) and different from the others once upper case (DUPLICATE_POSTAL_CODE_PREFIX);
 * each rate named (REQUIRED) and a fraction 0..1 (INVALID_TAX_RATE). Which zone holds a place is the
 * database's to say (TAX_ZONE_EXISTS).
 */
export function checkTaxZone(prefix: string, zone: TaxZoneFields, fields: readonly TaxZoneField[]): CheckedTaxZone {
  const violations: FieldViolation[] = [];
  const at = (field: string) => `${prefix}.${field}`;
  const has = (field: TaxZoneField) => fields.includes(field);

  if (has("display_name") && zone.displayName === "") {
    violations.push(fieldViolation(at("display_name"), "REQUIRED", "is required"));
  }
  if (has("country")) {
    if (zone.country === "") violations.push(fieldViolation(at("country"), "REQUIRED", "is required"));
    else if (!isCountryCode(zone.country)) {
      violations.push(
        fieldViolation(at("country"), "UNKNOWN_COUNTRY", `"${zone.country}" is not an ISO 3166-1 alpha-2 country code`),
      );
    }
  }
  if (has("region") && zone.region !== "" && !REGION_PATTERN.test(zone.region)) {
    violations.push(
      fieldViolation(at("region"), "INVALID_REGION_CODE", "must be 1 to 3 capital letters or digits, like NY"),
    );
  }
  const prefixes = has("postal_code_prefixes") ? checkedPrefixes(at("postal_code_prefixes"), zone, violations) : [];
  const rates = has("rates") ? checkedRates(at("rates"), zone, violations) : [];
  if (violations.length > 0) return { ok: false, violations };
  return { ok: true, values: { ...zone, postalCodePrefixes: prefixes.sort(), rates } };
}

function checkedPrefixes(field: string, zone: TaxZoneFields, violations: FieldViolation[]): string[] {
  const seen = new Set<string>();
  zone.postalCodePrefixes.forEach((given, index) => {
    const prefix = normalizedPostalCode(given);
    if (!PREFIX_PATTERN.test(prefix)) {
      violations.push(
        fieldViolation(
          `${field}[${index}]`,
          "INVALID_POSTAL_CODE_PREFIX",
          "must be 1 to 10 letters or digits, like 100 or SW1A (spaces are ignored)",
        ),
      );
    } else if (seen.has(prefix)) {
      violations.push(
        fieldViolation(`${field}[${index}]`, "DUPLICATE_POSTAL_CODE_PREFIX", `"${prefix}" is named twice`),
      );
    }
    seen.add(prefix);
  });
  return [...seen];
}

function checkedRates(field: string, zone: TaxZoneFields, violations: FieldViolation[]): TaxRateRecord[] {
  if (zone.rates.length === 0) violations.push(fieldViolation(field, "REQUIRED", "must hold at least one rate"));
  return zone.rates.map((given, index) => {
    const at = `${field}[${index}]`;
    if (given.displayName === "") violations.push(fieldViolation(`${at}.display_name`, "REQUIRED", "is required"));
    const rate = canonicalRate(given.rate);
    if (given.rate === "") violations.push(fieldViolation(`${at}.rate`, "REQUIRED", "is required"));
    else if (rate === undefined) {
      violations.push(
        fieldViolation(`${at}.rate`, "INVALID_TAX_RATE", "must be a fraction from 0 to 1 with at most 6 decimals"),
      );
    }
    return {
      taxCategory: given.taxCategory === "" ? DEFAULT_TAX_CATEGORY : given.taxCategory,
      displayName: given.displayName,
      rate: rate ?? given.rate,
    };
  });
}

/** Where a zone with these (checked) values applies. */
export function placeOf(zone: Pick<TaxZoneFields, "country" | "region" | "postalCodePrefixes">): TaxZonePlace {
  return { country: zone.country, region: zone.region, postalCodePrefixes: [...zone.postalCodePrefixes] };
}

/** A stored zone as the pricing engine reads it (its TaxZone: a rate's display name is its `name`). */
export function pricingZoneOf(zone: TaxZoneValues): TaxZone {
  return {
    id: zone.id,
    name: zone.displayName,
    country: zone.country,
    region: zone.region,
    postalCodePrefixes: [...zone.postalCodePrefixes],
    rates: zone.rates.map((rate) => ({ taxCategory: rate.taxCategory, name: rate.displayName, rate: rate.rate })),
  };
}
