import { currencyMinorUnits } from "../../money/currency.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { formatUnitPrice, fractionDigits, isCanonicalAmount, parseAmount } from "../../money/money.js";

/** Every amount is stored as numeric(19,4) and an order's unit price has at most 4 fraction digits. */
const MAX_FRACTION_DIGITS = 4;

/** How much finer than its currency a catalog price may be: a screw at 0.0123 USD. */
const EXTRA_FRACTION_DIGITS = 2;

/**
 * The most fraction digits a price in `currency` may have: its ISO 4217 minor units + 2, never more
 * than 4 (USD 4, JPY 2, KWD 4); undefined for a code that is not a currency to price in.
 */
export function maxPriceFractionDigits(currency: string): number | undefined {
  const minorUnits = currencyMinorUnits(currency);
  return minorUnits === undefined ? undefined : maxDigitsFor(minorUnits);
}

function maxDigitsFor(minorUnits: number): number {
  return Math.min(minorUnits + EXTRA_FRACTION_DIGITS, MAX_FRACTION_DIGITS);
}

/**
 * The rules of a variant's prices the contract's patterns cannot say: a known currency, at most
 * maxPriceFractionDigits of it. Violations are at `${field}["USD"]`, the path protovalidate gives a
 * map entry.
 */
export function priceViolations(field: string, prices: Readonly<Record<string, string>>): FieldViolation[] {
  const violations: FieldViolation[] = [];
  for (const [currency, amount] of Object.entries(prices)) {
    const path = `${field}["${currency}"]`;
    const minorUnits = currencyMinorUnits(currency);
    if (minorUnits === undefined) {
      violations.push(fieldViolation(path, "UNKNOWN_CURRENCY", `"${currency}" is not an ISO 4217 currency code`));
      continue;
    }
    const maxDigits = maxDigitsFor(minorUnits);
    if (!isCanonicalAmount(amount)) {
      violations.push(
        fieldViolation(path, "INVALID_AMOUNT", "a price is a number like 12.50, not negative, at most 4 decimals"),
      );
    } else if (fractionDigits(amount) > maxDigits) {
      violations.push(
        fieldViolation(
          path,
          "TOO_MANY_FRACTION_DIGITS",
          `a price in ${currency} has at most ${maxDigits} decimals (${minorUnits} for ${currency}, 2 more for unit prices, 4 at most)`,
        ),
      );
    }
  }
  return violations;
}

/** A stored price as the contract returns it: at least the currency's minor units ("289.5000" -> "289.50"). */
export function priceText(currency: string, stored: string): string {
  const minorUnits = currencyMinorUnits(currency);
  if (minorUnits === undefined) throw new Error(`a price in unsupported currency ${currency}`);
  return formatUnitPrice(parseAmount(stored), minorUnits);
}
