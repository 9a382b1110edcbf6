import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalLocale, isLocale, MAX_LOCALE_LENGTH } from "../../src/money/locale.js";

describe("canonicalLocale", () => {
  it.each([
    ["en-US", "en-US"],
    ["en-us", "en-US"],
    ["EN-us", "en-US"],
    ["de", "de"],
    ["es-419", "es-419"],
    ["zh-hant-tw", "zh-Hant-TW"],
    ["sr-Latn-RS", "sr-Latn-RS"],
    ["de-DE-u-nu-latn", "de-DE-u-nu-latn"],
    ["ja-JP-u-ca-japanese", "ja-JP-u-ca-japanese"],
    ["en-US-x-twain", "en-US-x-twain"],
    ["iw", "he"],
    ["en-UK", "en-GB"],
    ["art-lojban", "jbo"],
    ["fil", "fil"],
  ])("accepts %s as %s", (tag, canonical) => {
    expect(canonicalLocale(tag)).toBe(canonical);
  });

  it.each([
    ["", "empty"],
    ["en_US", "an underscore"],
    ["x-private", "private use only"],
    ["i-klingon", "an irregular grandfathered tag"],
    ["en-GB-oed", "an irregular grandfathered tag"],
    ["zz", "an unknown language"],
    ["zz-US", "an unknown language with a known region"],
    ["und", "the undetermined language"],
    ["qaa", "a private-use language"],
    ["en-ZZ", "the unknown region"],
    ["es-999", "an unassigned UN M.49 region"],
    ["en-Zzzz", "the unknown script"],
    ["en-Qaaa", "a private-use script"],
    ["en-", "a dangling hyphen"],
    ["en US", "a space"],
    [`en-${"a".repeat(8)}-${"b".repeat(8)}-${"c".repeat(8)}-${"d".repeat(8)}`, "more than 35 characters"],
  ])("refuses %j (%s)", (tag) => {
    expect(canonicalLocale(tag)).toBeUndefined();
    expect(isLocale(tag)).toBe(false);
  });

  const subtag = (min: number, max: number) =>
    fc.string({
      unit: fc.constantFrom(...Array.from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")),
      minLength: min,
      maxLength: max,
    });
  const tags = fc.oneof(
    fc
      .tuple(subtag(2, 3), fc.option(subtag(4, 4)), fc.option(subtag(2, 3)))
      .map((parts) => parts.filter((part) => part !== null).join("-")),
    fc.constantFrom("en-US", "de-DE", "fr-CA", "pt-BR", "zh-Hans-CN", "es-419", "nb", "ar-EG"),
  );

  it("is a fixed point: the canonical form of a canonical form is itself, whatever the case", () => {
    fc.assert(
      fc.property(tags, fc.boolean(), (tag, upper) => {
        const canonical = canonicalLocale(tag);
        if (canonical === undefined) return;
        expect(canonicalLocale(canonical)).toBe(canonical);
        expect(canonicalLocale(upper ? tag.toUpperCase() : tag.toLowerCase())).toBe(canonical);
        expect(canonical.length).toBeLessThanOrEqual(MAX_LOCALE_LENGTH);
      }),
    );
  });

  it("accepts only tags Intl can format numbers for without error", () => {
    fc.assert(
      fc.property(tags, (tag) => {
        const canonical = canonicalLocale(tag);
        if (canonical === undefined) return;
        expect(() => new Intl.NumberFormat(canonical, { style: "currency", currency: "EUR" }).format(1)).not.toThrow();
      }),
    );
  });
});
