/**
 * BCP 47 language tags (locales such as "en-US", "de", "es-419", "zh-Hant-TW"), decided by the runtime's
 * ICU/CLDR data rather than a hand-kept list, as country.ts decides countries.
 *
 * Intl.getCanonicalLocales checks that a tag is well formed (RFC 5646 as ECMA-402 reads it: no underscores,
 * no private-use-only or irregular grandfathered tags) and gives its canonical form: case normalised
 * ("en-us" -> "en-US"), deprecated subtags replaced ("iw" -> "he", "en-UK" -> "en-GB"). Well formed is not
 * enough ("zz-US" is well formed), so the language, script and region must also be ones CLDR names.
 */
const languageNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });
const scriptNames = new Intl.DisplayNames(["en"], { type: "script", fallback: "none" });
const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

/** BCP 47 asks implementations to support tags of at least 35 characters; longer ones are refused. */
export const MAX_LOCALE_LENGTH = 35;

/** CLDR names these codes ("Unknown Region", "Unknown Script"), but they say nothing about the reader. */
const UNKNOWN_SUBTAGS: ReadonlySet<string> = new Set(["ZZ", "Zzzz"]);

/** The canonical form of a BCP 47 language tag, or undefined when it is not one (see above). */
export function canonicalLocale(tag: string): string | undefined {
  if (tag.length === 0 || tag.length > MAX_LOCALE_LENGTH) return undefined;
  let canonical: string | undefined;
  try {
    [canonical] = Intl.getCanonicalLocales(tag);
  } catch {
    return undefined;
  }
  if (canonical === undefined || canonical.length > MAX_LOCALE_LENGTH) return undefined;
  const { language, script, region } = new Intl.Locale(canonical);
  if (!isNamed(languageNames, language)) return undefined;
  if (script !== undefined && (UNKNOWN_SUBTAGS.has(script) || !isNamed(scriptNames, script))) return undefined;
  if (region !== undefined && (UNKNOWN_SUBTAGS.has(region) || !isNamed(regionNames, region))) return undefined;
  return canonical;
}

export function isLocale(tag: string): boolean {
  return canonicalLocale(tag) !== undefined;
}

/** DisplayNames throws for codes it cannot even look up ("und"), and answers undefined for unnamed ones. */
function isNamed(names: Intl.DisplayNames, code: string): boolean {
  try {
    return names.of(code) !== undefined;
  } catch {
    return false;
  }
}
