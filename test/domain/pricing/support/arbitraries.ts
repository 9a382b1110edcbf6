import fc from "fast-check";
import { currencyMinorUnits } from "../../../../src/money/currency.js";
import { PRICING_CURRENCIES } from "./checkout.js";

/** A canonical amount with `maxFraction` fraction digits at most; mostly small, sometimes near the limit. */
export function amountText(maxFraction: number, maxInteger = 10n ** 15n - 1n): fc.Arbitrary<string> {
  const integer = fc.oneof(
    { weight: 6, arbitrary: fc.bigInt({ min: 0n, max: 999n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: maxInteger }) },
  );
  return fc
    .tuple(integer, fc.integer({ min: 0, max: maxFraction }), fc.nat())
    .map(([whole, digits, seed]) =>
      digits === 0 ? whole.toString() : `${whole.toString()}.${String(seed % 10 ** digits).padStart(digits, "0")}`,
    );
}

/** An amount in the currency's minor units. */
export const moneyIn = (currency: string, maxInteger?: bigint) =>
  amountText(currencyMinorUnits(currency) ?? 2, maxInteger);

export const pricingCurrency = fc.constantFrom(...PRICING_CURRENCIES);
