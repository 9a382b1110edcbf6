/**
 * Decimal helpers every step of the engine shares. Why a file of its own: each step rounds the same way (HALF_EVEN
 * to the currency's minor units, as line totals always were) and reads configuration values the
 * same way, so a rounding rule lives in one place and a finance reader finds it in one place.
 */
import { MoneyDecimal, ZERO, type Decimal } from "../../money/money.js";

/** HALF_EVEN to the currency's minor units: the one rounding rule of the engine. */
export function roundMoney(value: Decimal, minorUnits: number): Decimal {
  return value.toDecimalPlaces(minorUnits, MoneyDecimal.ROUND_HALF_EVEN);
}

/** Rounds down (toward zero): a figure that must never exceed what it came from (a gift card's balance). */
export function roundMoneyDown(value: Decimal, minorUnits: number): Decimal {
  return value.toDecimalPlaces(minorUnits, MoneyDecimal.ROUND_DOWN);
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

export function minDecimal(a: Decimal, b: Decimal): Decimal {
  return a.lessThan(b) ? a : b;
}

/** A non-negative decimal of any precision: rates ("0.08875"), percentages ("12.5"), amounts, grams. */
const CONFIG_DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/**
 * Reads a value of the tenant's configuration (a tax rate, a tier, a promotion's value, a card's balance). Those
 * services store only canonical decimals, so a value that is not one is a bug upstream: it throws (INTERNAL), never
 * prices an order with a guessed figure.
 */
export function configDecimal(text: string, what: string): Decimal {
  if (!CONFIG_DECIMAL.test(text))
    throw new RangeError(`${what} is not a non-negative decimal: ${JSON.stringify(text)}`);
  return new MoneyDecimal(text);
}
