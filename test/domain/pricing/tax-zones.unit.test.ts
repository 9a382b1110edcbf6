import { describe, expect, it } from "vitest";
import { matchTaxZone } from "../../../src/domain/pricing/engine.js";
import { zone } from "./support/checkout.js";

const US = zone({ id: "us", country: "US", region: "", rates: [] });
const NY = zone({ id: "ny", country: "US", region: "NY", rates: [] });
const NYC = zone({ id: "nyc", country: "US", region: "NY", postalCodePrefixes: ["100", "101", "102"], rates: [] });
const MANHATTAN = zone({ id: "manhattan", country: "US", region: "", postalCodePrefixes: ["1001"], rates: [] });
const UK_LONDON = zone({ id: "london", country: "GB", region: "", postalCodePrefixes: ["SW1A"], rates: [] });

const at = (country: string, region: string, postalCode: string) => ({ country, region, postalCode });

describe("matchTaxZone", () => {
  it("matches the country, with an empty region matching every region", () => {
    expect(matchTaxZone([US], at("US", "CA", "94105"))?.id).toBe("us");
    expect(matchTaxZone([US], at("CA", "ON", "M5V"))).toBeUndefined();
  });

  it("matches the region in any case, and not another region", () => {
    expect(matchTaxZone([NY], at("US", "ny", "12207"))?.id).toBe("ny");
    expect(matchTaxZone([NY], at("US", "NJ", "07030"))).toBeUndefined();
  });

  it("matches a postal prefix with spaces removed and in any case, and no other postal code", () => {
    expect(matchTaxZone([UK_LONDON], at("GB", "", "sw1a 1aa"))?.id).toBe("london");
    expect(matchTaxZone([UK_LONDON], at("GB", "", "SW1 1AA"))).toBeUndefined();
    expect(matchTaxZone([NYC], at("US", "NY", "12207"))).toBeUndefined();
  });

  it("takes the most specific zone: the longest postal prefix, then a region, then the country", () => {
    const zones = [US, NY, NYC, MANHATTAN];
    expect(matchTaxZone(zones, at("US", "NY", "10012"))?.id).toBe("manhattan");
    expect(matchTaxZone(zones, at("US", "NY", "10212"))?.id).toBe("nyc");
    expect(matchTaxZone(zones, at("US", "NY", "12207"))?.id).toBe("ny");
    expect(matchTaxZone(zones, at("US", "TX", "73301"))?.id).toBe("us");
    expect(matchTaxZone([...zones].reverse(), at("US", "NY", "10012"))?.id).toBe("manhattan");
  });

  it("decides between equally specific zones by id, whatever their order", () => {
    const a = zone({ id: "a", rates: [] });
    const b = zone({ id: "b", rates: [] });
    expect(matchTaxZone([b, a], at("US", "NY", "10001"))?.id).toBe("a");
    expect(matchTaxZone([a, b], at("US", "NY", "10001"))?.id).toBe("a");
  });

  it("treats empty prefixes as none, and finds nothing in no zones", () => {
    expect(matchTaxZone([zone({ id: "x", postalCodePrefixes: ["", " "] })], at("US", "NY", "1"))?.id).toBe("x");
    expect(matchTaxZone([], at("US", "NY", "10001"))).toBeUndefined();
  });
});
