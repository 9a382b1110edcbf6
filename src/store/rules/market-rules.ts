import { isCountryCode } from "../../money/country.js";
import { isCurrencyCode } from "../../money/currency.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { canonicalLocale } from "../../money/locale.js";

/** A market's settable fields as the request holds them (orders.v1.Market). */
export interface MarketFields {
  name: string;
  currency: string;
  countries: readonly string[];
  defaultLocale: string;
}

export type MarketField = "name" | "currency" | "countries" | "default_locale";

export const MARKET_FIELDS: readonly MarketField[] = ["name", "currency", "countries", "default_locale"];

/** The checked values: the locale in its canonical form, the countries sorted. */
export type CheckedMarket = { ok: true; values: MarketFields } | { ok: false; violations: FieldViolation[] };

/**
 * The rules of a market's fields that protovalidate cannot state, for the fields being set (all of them on
 * create, the mask's on update), each violation at `${prefix}.<field>`: every field is required; the currency
 * an active ISO 4217 currency with minor units (UNKNOWN_CURRENCY); each country an assigned ISO 3166-1 code
 * (UNKNOWN_COUNTRY) and given once (DUPLICATE_COUNTRY; protovalidate says so too, this holds for every
 * caller); the default locale a BCP 47 tag CLDR knows (INVALID_LOCALE). Which market holds a country is the
 * database's to say (COUNTRY_TAKEN).
 */
export function checkMarket(prefix: string, market: MarketFields, fields: readonly MarketField[]): CheckedMarket {
  const violations: FieldViolation[] = [];
  const at = (field: string) => `${prefix}.${field}`;
  const has = (field: MarketField) => fields.includes(field);

  if (has("name") && market.name === "") violations.push(fieldViolation(at("name"), "REQUIRED", "is required"));
  if (has("currency")) {
    if (market.currency === "") violations.push(fieldViolation(at("currency"), "REQUIRED", "is required"));
    else if (!isCurrencyCode(market.currency)) {
      violations.push(
        fieldViolation(
          at("currency"),
          "UNKNOWN_CURRENCY",
          `"${market.currency}" is not an ISO 4217 currency with minor units`,
        ),
      );
    }
  }
  if (has("countries")) {
    if (market.countries.length === 0) {
      violations.push(fieldViolation(at("countries"), "REQUIRED", "must name at least one country"));
    }
    market.countries.forEach((country, index) => {
      if (!isCountryCode(country)) {
        violations.push(
          fieldViolation(
            `${at("countries")}[${index}]`,
            "UNKNOWN_COUNTRY",
            `"${country}" is not an ISO 3166-1 alpha-2 country code`,
          ),
        );
      } else if (market.countries.indexOf(country) !== index) {
        violations.push(
          fieldViolation(`${at("countries")}[${index}]`, "DUPLICATE_COUNTRY", `"${country}" is named twice`),
        );
      }
    });
  }
  let defaultLocale = market.defaultLocale;
  if (has("default_locale")) {
    const canonical = canonicalLocale(market.defaultLocale);
    if (market.defaultLocale === "") {
      violations.push(fieldViolation(at("default_locale"), "REQUIRED", "is required"));
    } else if (canonical === undefined) {
      violations.push(
        fieldViolation(
          at("default_locale"),
          "INVALID_LOCALE",
          `"${market.defaultLocale}" is not a BCP 47 language tag with a known language and region, e.g. "en-US"`,
        ),
      );
    } else {
      defaultLocale = canonical;
    }
  }
  if (violations.length > 0) return { ok: false, violations };
  return {
    ok: true,
    values: { ...market, countries: [...market.countries].sort(), defaultLocale },
  };
}

/** How a market's countries change: which rows to add and which to drop. */
export function countryChanges(
  current: readonly string[],
  wanted: readonly string[],
): { added: string[]; removed: string[] } {
  return {
    added: wanted.filter((country) => !current.includes(country)),
    removed: current.filter((country) => !wanted.includes(country)),
  };
}
