/**
 * Splitting one rounded amount over several lines, exactly. Why: an order discount of 10.00 over three equal lines
 * is 3.333... each; rounding each share would give 9.99 or 10.01 in total, so the lines would no longer add up to
 * the adjustment a finance team sees. The largest remainder method (Hamilton's) gives every line the whole minor
 * units of its proportional share, then hands the few units left, one each, to the lines with the largest
 * remainders: the shares always sum to the amount, and when the amount is at most the weights' sum no line gets
 * more than its weight (a discount never takes a line below zero).
 *
 * Ties (equal remainders) go, like HALF_EVEN rounding of a single figure, first to the lines whose share becomes
 * even by getting the unit, then to the lower line index: deterministic, and without a bias toward the first line
 * when shares are odd and even alike. Everything is computed in whole minor units with integer division, so no
 * quotient is ever cut at decimal.js's precision and equal remainders are recognised exactly.
 */
import { MoneyDecimal, ZERO, type Decimal } from "../../money/money.js";

/**
 * Splits `amount` over `weights` in proportion, in the currency's minor units. `amount` and every weight must be
 * non-negative multiples of the minor unit (amounts already rounded); the result has one share per weight, each a
 * multiple of the minor unit, summing exactly to `amount`. With `amount` <= sum of weights, no share exceeds its
 * weight. Throws (a bug in the caller) when a non-zero amount meets weights summing to zero, or on a fraction of a
 * minor unit.
 */
export function allocate(amount: Decimal, weights: readonly Decimal[], minorUnits: number): Decimal[] {
  if (amount.isZero()) return weights.map(() => ZERO);
  const scale = scaleOf(minorUnits);
  const units = wholeUnits(amount, scale);
  const weightUnits = weights.map((weight) => wholeUnits(weight, scale));
  const totalWeight = weightUnits.reduce((total, weight) => total.plus(weight), ZERO);
  if (totalWeight.isZero()) throw new RangeError(`cannot allocate ${amount.toString()} over weights summing to 0`);
  // Taking everything (a discount as large as what is left) is every weight: no division needed.
  if (units.equals(totalWeight)) return [...weights];

  const shares: Decimal[] = [];
  const remainders: Decimal[] = [];
  let left = units;
  for (const weight of weightUnits) {
    if (weight.isZero()) {
      shares.push(ZERO);
      remainders.push(ZERO);
      continue;
    }
    const product = units.times(weight);
    const share = product.divToInt(totalWeight);
    shares.push(share);
    remainders.push(product.minus(share.times(totalWeight)));
    left = left.minus(share);
  }
  // left < weights.length: each share lost less than one unit to the integer division.
  if (!left.isZero()) {
    const order = shares.map((_, index) => index).sort((a, b) => byLargestRemainder(a, b, shares, remainders));
    for (const index of order.slice(0, left.toNumber())) shares[index] = (shares[index] ?? ZERO).plus(1);
  }
  const unit = unitOf(minorUnits);
  return shares.map((share) => share.times(unit));
}

function byLargestRemainder(a: number, b: number, shares: readonly Decimal[], remainders: readonly Decimal[]): number {
  const byRemainder = (remainders[b] ?? ZERO).comparedTo(remainders[a] ?? ZERO);
  if (byRemainder !== 0) return byRemainder;
  // An odd share becomes even with the extra unit: it goes first, as HALF_EVEN rounds 0.5 of an odd figure up.
  const oddA = isOdd(shares[a] ?? ZERO);
  const oddB = isOdd(shares[b] ?? ZERO);
  if (oddA !== oddB) return oddA ? -1 : 1;
  return a - b;
}

function isOdd(value: Decimal): boolean {
  return !value.mod(2).isZero();
}

function wholeUnits(value: Decimal, scale: Decimal): Decimal {
  const units = value.times(scale);
  if (!units.isInteger() || units.isNegative()) {
    throw new RangeError(`not a non-negative whole number of minor units: ${value.toString()}`);
  }
  return units;
}

// 10^m and 10^-m for the minor units a currency can have (0 to 4): multiplying by them is exact, and cheaper than
// dividing at decimal.js's 50 digits.
const SCALES = [0, 1, 2, 3, 4].map((m) => new MoneyDecimal(10).pow(m));
const UNITS = [0, 1, 2, 3, 4].map((m) => new MoneyDecimal(10).pow(-m));

function scaleOf(minorUnits: number): Decimal {
  return SCALES[minorUnits] ?? new MoneyDecimal(10).pow(minorUnits);
}

function unitOf(minorUnits: number): Decimal {
  return UNITS[minorUnits] ?? new MoneyDecimal(10).pow(-minorUnits);
}
