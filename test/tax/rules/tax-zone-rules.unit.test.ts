import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MoneyDecimal } from "../../../src/money/money.js";
import {
  canonicalRate,
  checkTaxZone,
  normalizedPostalCode,
  placeOf,
  pricingZoneOf,
  TAX_ZONE_FIELDS,
  type TaxZoneFields,
} from "../../../src/tax/rules/tax-zone-rules.js";

const valid: TaxZoneFields = {
  displayName: "New York City",
  country: "US",
  region: "NY",
  postalCodePrefixes: ["102", "100", "101"],
  rates: [
    { taxCategory: "", displayName: "NY State", rate: "0.040" },
    { taxCategory: "standard", displayName: "NYC", rate: "0.04875" },
  ],
};

describe("checkTaxZone", () => {
  it("accepts a valid zone: prefixes sorted, categories defaulted to standard, rates without trailing zeros", () => {
    expect(checkTaxZone("tax_zone", valid, TAX_ZONE_FIELDS)).toEqual({
      ok: true,
      values: {
        ...valid,
        postalCodePrefixes: ["100", "101", "102"],
        rates: [
          { taxCategory: "standard", displayName: "NY State", rate: "0.04" },
          { taxCategory: "standard", displayName: "NYC", rate: "0.04875" },
        ],
      },
    });
  });

  it("requires display_name, country and at least one rate, but not a region or prefixes", () => {
    const empty = { displayName: "", country: "", region: "", postalCodePrefixes: [], rates: [] };
    expect(checkTaxZone("tax_zone", empty, TAX_ZONE_FIELDS)).toEqual({
      ok: false,
      violations: [
        { field: "tax_zone.display_name", reason: "REQUIRED", description: "is required" },
        { field: "tax_zone.country", reason: "REQUIRED", description: "is required" },
        { field: "tax_zone.rates", reason: "REQUIRED", description: "must hold at least one rate" },
      ],
    });
    expect(checkTaxZone("tax_zone", { ...valid, region: "", postalCodePrefixes: [] }, TAX_ZONE_FIELDS)).toMatchObject({
      ok: true,
    });
  });

  it("checks only the fields it is given (an update's mask)", () => {
    const bad = { displayName: "", country: "ZZ", region: "new york", postalCodePrefixes: ["1-2"], rates: [] };
    expect(checkTaxZone("tax_zone", bad, [])).toMatchObject({ ok: true });
    expect(checkTaxZone("tax_zone", bad, ["region"])).toMatchObject({
      ok: false,
      violations: [{ field: "tax_zone.region", reason: "INVALID_REGION_CODE" }],
    });
  });

  it.each(["ZZ", "UK", "EU", "us", "USA"])("refuses country %s as UNKNOWN_COUNTRY", (country) => {
    expect(checkTaxZone("tax_zone", { ...valid, country }, ["country"])).toMatchObject({
      ok: false,
      violations: [{ field: "tax_zone.country", reason: "UNKNOWN_COUNTRY" }],
    });
  });

  it.each(["ny", "NYC1", "N-Y", " NY"])("refuses region %j as INVALID_REGION_CODE", (region) => {
    expect(checkTaxZone("tax_zone", { ...valid, region }, ["region"])).toMatchObject({
      ok: false,
      violations: [{ field: "tax_zone.region", reason: "INVALID_REGION_CODE" }],
    });
  });

  it("normalises prefixes, refuses bad ones and those equal to an earlier one once normalised", () => {
    const zone = { ...valid, postalCodePrefixes: ["sw1a", "SW1A", "ec 1", "10-001", "", "   ", "12345678901", "n1"] };
    expect(checkTaxZone("tax_zone", zone, ["postal_code_prefixes"])).toEqual({
      ok: false,
      violations: [
        expect.objectContaining({ field: "tax_zone.postal_code_prefixes[1]", reason: "DUPLICATE_POSTAL_CODE_PREFIX" }),
        expect.objectContaining({ field: "tax_zone.postal_code_prefixes[3]", reason: "INVALID_POSTAL_CODE_PREFIX" }),
        expect.objectContaining({ field: "tax_zone.postal_code_prefixes[4]", reason: "INVALID_POSTAL_CODE_PREFIX" }),
        expect.objectContaining({ field: "tax_zone.postal_code_prefixes[5]", reason: "INVALID_POSTAL_CODE_PREFIX" }),
        expect.objectContaining({ field: "tax_zone.postal_code_prefixes[6]", reason: "INVALID_POSTAL_CODE_PREFIX" }),
      ],
    });
    const fine = { ...valid, postalCodePrefixes: ["sw1a", "ec 1", "N1", "1 0 0 0 0 0 0 0 0 0"] };
    expect(checkTaxZone("tax_zone", fine, ["postal_code_prefixes"])).toMatchObject({
      ok: true,
      values: { postalCodePrefixes: ["1000000000", "EC1", "N1", "SW1A"] },
    });
  });

  it("refuses a rate without a name or that is not a fraction 0..1 with at most 6 decimals", () => {
    const rates = [
      { taxCategory: "", displayName: "", rate: "0.04" },
      { taxCategory: "", displayName: "R", rate: "" },
      { taxCategory: "", displayName: "R", rate: "8.875" },
      { taxCategory: "", displayName: "R", rate: "0.0000001" },
    ];
    expect(checkTaxZone("tax_zone", { ...valid, rates }, ["rates"])).toMatchObject({
      ok: false,
      violations: [
        { field: "tax_zone.rates[0].display_name", reason: "REQUIRED" },
        { field: "tax_zone.rates[1].rate", reason: "REQUIRED" },
        { field: "tax_zone.rates[2].rate", reason: "INVALID_TAX_RATE" },
        { field: "tax_zone.rates[3].rate", reason: "INVALID_TAX_RATE" },
      ],
    });
  });

  it("gives the same place for the same prefixes in any order, case or spacing", () => {
    const prefixSets = fc
      .uniqueArray(fc.stringMatching(/^[A-Z0-9]{1,10}$/), { maxLength: 20 })
      .chain((prefixes) =>
        fc.tuple(fc.constant(prefixes), fc.shuffledSubarray(prefixes, { minLength: prefixes.length })),
      );
    fc.assert(
      fc.property(prefixSets, ([prefixes, shuffled]) => {
        const respelled = shuffled.map((prefix, i) =>
          i % 2 ? prefix.toLowerCase() : ` ${prefix.split("").join(" ")}`,
        );
        const a = checkTaxZone("z", { ...valid, postalCodePrefixes: prefixes }, TAX_ZONE_FIELDS);
        const b = checkTaxZone("z", { ...valid, postalCodePrefixes: respelled }, TAX_ZONE_FIELDS);
        if (!a.ok || !b.ok) throw new Error("valid prefixes were refused");
        expect(placeOf(b.values)).toEqual(placeOf(a.values));
      }),
    );
  });
});

describe("canonicalRate", () => {
  it.each([
    ["0", "0"],
    ["0.0", "0"],
    ["0.04", "0.04"],
    ["0.040000", "0.04"],
    ["0.08875", "0.08875"],
    ["0.000001", "0.000001"],
    ["1", "1"],
    ["1.000000", "1"],
  ])("writes %s as %s", (given, canonical) => {
    expect(canonicalRate(given)).toBe(canonical);
  });

  it.each([
    "",
    "1.5",
    "1.000001",
    "2",
    "-0.1",
    "+0.1",
    ".5",
    "0.",
    "00.1",
    "0.0000001",
    "1e-2",
    "0,5",
    " 0.1",
    "Infinity",
  ])("refuses %j", (given) => {
    expect(canonicalRate(given)).toBeUndefined();
  });

  it("keeps the value of every rate it accepts, exactly, without trailing zeros", () => {
    const rates = fc
      .tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 6 }))
      .map(([micros, digits]) => {
        const text = new MoneyDecimal(micros).dividedBy(1_000_000).toFixed(6);
        return text.slice(0, text.length - 6 + digits).replace(/\.$/, "");
      })
      .filter((text) => new MoneyDecimal(text).lte(1));
    fc.assert(
      fc.property(rates, (text) => {
        const rate = canonicalRate(text);
        if (rate === undefined) throw new Error(`${text} was refused`);
        expect(new MoneyDecimal(rate).equals(new MoneyDecimal(text))).toBe(true);
        expect(rate).not.toMatch(/(\.\d*0|\.)$/);
      }),
    );
  });
});

describe("normalizedPostalCode and pricingZoneOf", () => {
  it("writes a postal code upper case without spaces", () => {
    expect(normalizedPostalCode(" sw1a 1aa ")).toBe("SW1A1AA");
    expect(normalizedPostalCode("10001")).toBe("10001");
  });

  it("gives the pricing engine the zone with each rate's display name as its name", () => {
    expect(
      pricingZoneOf({
        id: "z",
        displayName: "NYC",
        country: "US",
        region: "NY",
        postalCodePrefixes: ["100"],
        rates: [{ taxCategory: "standard", displayName: "NY State", rate: "0.04" }],
      }),
    ).toEqual({
      id: "z",
      name: "NYC",
      country: "US",
      region: "NY",
      postalCodePrefixes: ["100"],
      rates: [{ taxCategory: "standard", name: "NY State", rate: "0.04" }],
    });
  });
});
