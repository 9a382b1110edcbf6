import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { CODES_WITHOUT_MINOR_UNITS, currencyMinorUnits, isCurrencyCode } from "../../src/money/currency.js";

describe("currencyMinorUnits", () => {
  it.each([
    ["USD", 2],
    ["EUR", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["KWD", 3],
    ["BHD", 3],
    ["CLF", 4],
    ["XOF", 0],
    ["XCD", 2],
  ] as const)("%s has %i", (code, digits) => {
    expect(currencyMinorUnits(code)).toBe(digits);
    expect(isCurrencyCode(code)).toBe(true);
  });

  it.each(["XAU", "XAG", "XPT", "XPD", "XXX", "XTS", "XDR", "XSU", "XUA", "XBA"])(
    "rejects %s, which has no minor units in ISO 4217",
    (code) => {
      expect(currencyMinorUnits(code)).toBeUndefined();
    },
  );

  it.each(["usd", "Usd", "US", "USDD", " USD", "ABC", "", "840", "ZZZ"])("rejects %j", (code) => {
    expect(currencyMinorUnits(code)).toBeUndefined();
    expect(isCurrencyCode(code)).toBe(false);
  });

  it("knows exactly the codes the ISO list marks N.A. (guards a currency-codes data update)", () => {
    // currency-codes turns "N.A." into digits 0, so read the ISO XML it ships to see which codes those were.
    const require = createRequire(import.meta.url);
    const packageDir = require.resolve("currency-codes").replace(/index\.js$/, "");
    const xml = readFileSync(`${packageDir}iso-4217-list-one.xml`, "utf8");
    const notApplicable = new Set<string>();
    for (const entry of xml.matchAll(/<CcyNtry>([\s\S]*?)<\/CcyNtry>/g)) {
      const body = entry[1] ?? "";
      const code = /<Ccy>(\w+)<\/Ccy>/.exec(body)?.[1];
      const units = /<CcyMnrUnts>([^<]*)<\/CcyMnrUnts>/.exec(body)?.[1];
      if (code !== undefined && units === "N.A.") notApplicable.add(code);
    }
    expect([...CODES_WITHOUT_MINOR_UNITS].sort()).toEqual([...notApplicable].sort());
  });
});
