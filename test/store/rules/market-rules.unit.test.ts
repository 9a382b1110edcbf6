import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkMarket, countryChanges, MARKET_FIELDS } from "../../../src/store/rules/market-rules.js";

const valid = { name: "Europe", currency: "EUR", countries: ["FR", "DE"], defaultLocale: "de-de" };

describe("checkMarket", () => {
  it("accepts a valid market, sorting its countries and canonicalising its locale", () => {
    expect(checkMarket("market", valid, MARKET_FIELDS)).toEqual({
      ok: true,
      values: { name: "Europe", currency: "EUR", countries: ["DE", "FR"], defaultLocale: "de-DE" },
    });
  });

  it("requires every field it checks", () => {
    const empty = { name: "", currency: "", countries: [], defaultLocale: "" };
    expect(checkMarket("market", empty, MARKET_FIELDS)).toEqual({
      ok: false,
      violations: [
        { field: "market.name", reason: "REQUIRED", description: "is required" },
        { field: "market.currency", reason: "REQUIRED", description: "is required" },
        { field: "market.countries", reason: "REQUIRED", description: "must name at least one country" },
        { field: "market.default_locale", reason: "REQUIRED", description: "is required" },
      ],
    });
  });

  it("checks only the fields it is given (an update's mask)", () => {
    const bad = { name: "", currency: "XAU", countries: ["ZZ"], defaultLocale: "zz" };
    expect(checkMarket("market", bad, [])).toMatchObject({ ok: true });
    expect(checkMarket("market", bad, ["currency"])).toMatchObject({
      ok: false,
      violations: [{ field: "market.currency", reason: "UNKNOWN_CURRENCY" }],
    });
  });

  it.each(["XAU", "XXX", "ABC", "usd"])("refuses currency %s as UNKNOWN_CURRENCY", (currency) => {
    expect(checkMarket("market", { ...valid, currency }, ["currency"])).toMatchObject({
      ok: false,
      violations: [{ field: "market.currency", reason: "UNKNOWN_CURRENCY" }],
    });
  });

  it("refuses unassigned and repeated countries, each at its index", () => {
    expect(checkMarket("market", { ...valid, countries: ["FR", "UK", "FR", "EU", "fr"] }, ["countries"])).toMatchObject(
      {
        ok: false,
        violations: [
          { field: "market.countries[1]", reason: "UNKNOWN_COUNTRY" },
          { field: "market.countries[2]", reason: "DUPLICATE_COUNTRY" },
          { field: "market.countries[3]", reason: "UNKNOWN_COUNTRY" },
          { field: "market.countries[4]", reason: "UNKNOWN_COUNTRY" },
        ],
      },
    );
  });

  it.each(["en_US", "zz", "x-private", "en-ZZ"])("refuses default locale %s as INVALID_LOCALE", (defaultLocale) => {
    expect(checkMarket("market", { ...valid, defaultLocale }, ["default_locale"])).toMatchObject({
      ok: false,
      violations: [{ field: "market.default_locale", reason: "INVALID_LOCALE" }],
    });
  });

  it("returns the countries it was given, sorted, whatever their order", () => {
    const codes = fc.uniqueArray(fc.constantFrom("US", "CA", "MX", "DE", "FR", "JP", "BR", "AU", "NZ", "ZA"), {
      minLength: 1,
    });
    fc.assert(
      fc.property(codes, (countries) => {
        const checked = checkMarket("market", { ...valid, countries }, ["countries"]);
        expect(checked.ok && checked.values.countries).toEqual([...countries].sort());
      }),
    );
  });
});

describe("countryChanges", () => {
  it("adds what is wanted and not held, drops what is held and not wanted, and nothing else", () => {
    const sets = fc.uniqueArray(fc.constantFrom<string>("US", "CA", "MX", "DE", "FR", "JP"));
    fc.assert(
      fc.property(sets, sets, (current, wanted) => {
        const { added, removed } = countryChanges(current, wanted);
        const after = [...current.filter((country) => !removed.includes(country)), ...added];
        expect(after.sort()).toEqual([...wanted].sort());
        expect(added.some((country) => current.includes(country))).toBe(false);
        expect(removed.some((country) => wanted.includes(country))).toBe(false);
      }),
    );
  });
});
