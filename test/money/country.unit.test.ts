import { describe, expect, it } from "vitest";
import { isCountryCode } from "../../src/money/country.js";

function allTwoLetterCodes(): string[] {
  const letters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));
  return letters.flatMap((first) => letters.map((second) => first + second));
}

describe("isCountryCode", () => {
  it.each(["US", "DE", "GB", "JP", "BR", "AQ", "RS", "SS", "CW", "BQ", "PS", "TW"])("accepts %s", (code) => {
    expect(isCountryCode(code)).toBe(true);
  });

  it.each([
    "ZZ",
    "EU",
    "EZ",
    "UN",
    "QO",
    "XA",
    "XB",
    "XK",
    "AC",
    "TA",
    "IC",
    "EA",
    "DG",
    "CP",
    "CQ",
    "UK",
    "SU",
    "YU",
    "AN",
    "ZR",
    "TP",
    "DD",
    "us",
    "Us",
    "419",
    "001",
    "USA",
    "U",
    "",
    " US",
    "AA",
    "QZ",
  ])("rejects %j", (code) => {
    expect(isCountryCode(code)).toBe(false);
  });

  it("accepts exactly the 249 officially assigned ISO 3166-1 alpha-2 codes", () => {
    expect(allTwoLetterCodes().filter(isCountryCode)).toHaveLength(249);
  });
});
