/**
 * ISO 3166-1 alpha-2 country codes, decided by the runtime's ICU/CLDR data rather than a hand-kept list.
 *
 * Intl.DisplayNames alone is too generous: CLDR also names deprecated codes (they canonicalize to a successor,
 * e.g. "UK" -> "GB", "SU" -> "RU") and a handful of region codes that ISO 3166-1 does not assign to a country.
 * We drop the first by requiring the code to be its own canonical form and the second with the list below.
 */
const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

/**
 * CLDR region codes that are not assigned ISO 3166-1 alpha-2 codes: exceptionally reserved codes (AC, CP, CQ, DG,
 * EA, IC, TA), groupings (EU, EZ, UN, QO), pseudo-locale regions (XA, XB), user-assigned Kosovo (XK) and unknown (ZZ).
 * A test asserts the remaining set has exactly the 249 officially assigned codes.
 */
const NOT_ISO_3166_1: ReadonlySet<string> = new Set([
  "AC",
  "CP",
  "CQ",
  "DG",
  "EA",
  "EU",
  "EZ",
  "IC",
  "QO",
  "TA",
  "UN",
  "XA",
  "XB",
  "XK",
  "ZZ",
]);

const ALPHA_2_SHAPE = /^[A-Z]{2}$/;

/**
 * Answers per code, filled on first use. The two ICU calls cost more than the rest of an order's
 * validation together (bench profile); at most 26 x 26 codes have the shape that reaches them.
 */
const verdicts = new Map<string, boolean>();

/** True for an officially assigned ISO 3166-1 alpha-2 code in uppercase, e.g. "US", "DE"; false for "us", "419". */
export function isCountryCode(code: string): boolean {
  if (!ALPHA_2_SHAPE.test(code) || NOT_ISO_3166_1.has(code)) return false;
  let verdict = verdicts.get(code);
  if (verdict === undefined) {
    verdict = Intl.getCanonicalLocales(`und-${code}`)[0] === `und-${code}` && regionNames.of(code) !== undefined;
    verdicts.set(code, verdict);
  }
  return verdict;
}
