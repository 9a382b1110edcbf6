import currencyCodes from "currency-codes";

/**
 * ISO 4217 codes whose minor unit is "N.A." in the standard (precious metals, SDR, bond-market units, the testing
 * code XTS and "no currency" XXX). They are not money an order can be priced in.
 *
 * currency-codes@2.2.0 cannot tell us this itself: its ingest step does `parseInt("N.A.") || 0`, so these codes
 * come out with `digits: 0`, indistinguishable from the yen. A test compares this set with the ISO XML the package
 * ships, so a data update that adds or drops such a code fails loudly instead of silently pricing in gold.
 */
export const CODES_WITHOUT_MINOR_UNITS: ReadonlySet<string> = new Set([
  "XAG",
  "XAU",
  "XBA",
  "XBB",
  "XBC",
  "XBD",
  "XDR",
  "XPD",
  "XPT",
  "XSU",
  "XTS",
  "XUA",
  "XXX",
]);

/** Amounts are stored as numeric(19,4): a currency with finer minor units could not be stored exactly. */
const MAX_STORABLE_MINOR_UNITS = 4;

const ISO_CODE_SHAPE = /^[A-Z]{3}$/;

/**
 * Minor units (digits after the decimal point) of an ISO 4217 currency: USD 2, JPY 0, KWD 3, CLF 4.
 * Returns undefined for anything that is not an active uppercase ISO 4217 currency usable for pricing.
 * The shape check comes first because the library upper-cases its input, and "usd" is not canonical on our wire.
 */
export function currencyMinorUnits(code: string): number | undefined {
  // Looked up for every order read and written (currency-codes searches its list each time). Only currencies are
  // kept, so the map holds at most the few hundred ISO 4217 codes whatever clients send.
  const known = minorUnitsByCode.get(code);
  if (known !== undefined) return known;
  const digits = lookUpMinorUnits(code);
  if (digits !== undefined) minorUnitsByCode.set(code, digits);
  return digits;
}

const minorUnitsByCode = new Map<string, number>();

function lookUpMinorUnits(code: string): number | undefined {
  if (!ISO_CODE_SHAPE.test(code) || CODES_WITHOUT_MINOR_UNITS.has(code)) return undefined;
  const digits = currencyCodes.code(code)?.digits;
  if (digits === undefined || !Number.isInteger(digits) || digits < 0 || digits > MAX_STORABLE_MINOR_UNITS) {
    return undefined;
  }
  return digits;
}

export function isCurrencyCode(code: string): boolean {
  return currencyMinorUnits(code) !== undefined;
}
