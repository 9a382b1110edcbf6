import { Decimal as DecimalJs } from "decimal.js";

/**
 * Money arithmetic for Orderspine. Amounts travel as decimal strings and live in decimal.js values here; a JS
 * number never holds money because binary floating point cannot represent 0.10 and silently drifts on sums.
 *
 * We use a private clone so that no other code (or library) changing decimal.js's global config can alter our
 * results. Precision 50 is far above what we need (numeric(19,4) has 19 significant digits; a quantity times a
 * unit price stays under 40), so multiplications and sums here are exact and the only rounding is the explicit,
 * HALF_EVEN one to the currency's minor units. HALF_EVEN ("banker's rounding") avoids the upward bias of HALF_UP
 * when many ties are rounded. toExpNeg/toExpPos keep toString() from ever switching to exponent notation.
 */
export const MoneyDecimal = DecimalJs.clone({
  precision: 50,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});

export type Decimal = DecimalJs;

/**
 * The wire format of every amount: digits, an optional fraction of 1-4 digits, no sign, exponent, spaces or
 * leading zeros. 15 integer digits + 4 fraction digits is exactly what a numeric(19,4) column holds, so anything
 * that passes this pattern can be stored. Keep in sync with the pattern in the proto contract.
 */
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,4})?$/;

/** The largest value a numeric(19,4) column holds; every amount we return must fit. */
export const MAX_AMOUNT: Decimal = new MoneyDecimal("999999999999999.9999");

export const ZERO: Decimal = new MoneyDecimal(0);

/** True when `text` is a canonical wire amount (see AMOUNT_PATTERN). */
export function isCanonicalAmount(text: unknown): text is string {
  return typeof text === "string" && AMOUNT_PATTERN.test(text);
}

function assertCanonical(text: string): void {
  if (!isCanonicalAmount(text)) {
    throw new RangeError(`not a canonical decimal amount: ${JSON.stringify(text)}`);
  }
}

/** Parses a canonical wire amount. Throws on anything else: callers validate with isCanonicalAmount first. */
export function parseAmount(text: string): Decimal {
  assertCanonical(text);
  return new MoneyDecimal(text);
}

/**
 * Number of fraction digits as written, so "1.50" has 2 even though it equals 1.5: the rule "no more fraction
 * digits than the currency has" is about the text the client sent, which a client can check without arithmetic.
 * Throws on non-canonical text, like parseAmount.
 */
export function fractionDigits(text: string): number {
  assertCanonical(text);
  const dot = text.indexOf(".");
  return dot === -1 ? 0 : text.length - dot - 1;
}

function assertFormattable(value: Decimal, minorUnits: number): void {
  if (!value.isFinite()) throw new RangeError(`cannot format a non-finite amount: ${value.toString()}`);
  assertMinorUnits(minorUnits);
}

/**
 * Fixed-point text with exactly `minorUnits` fraction digits, rounded HALF_EVEN: 2316 USD -> "2316.00",
 * 5 JPY -> "5". A value that rounds to zero is printed unsigned: "-0.00" would be a distinct, confusing string for
 * the same amount and would not match the wire pattern.
 */
export function formatAmount(value: Decimal, minorUnits: number): string {
  assertFormattable(value, minorUnits);
  // One rounding step with the mode given explicitly (so no library's global config can change it): every order
  // formats dozens of amounts, and a copy and a separate rounding each cost as much as the formatting itself.
  const text = value.toFixed(minorUnits, DecimalJs.ROUND_HALF_EVEN);
  return text.startsWith("-") && NEGATIVE_ZERO.test(text) ? text.slice(1) : text;
}

const NEGATIVE_ZERO = /^-0(\.0*)?$/;

/**
 * formatAmount(parseAmount(text), minorUnits), without decimal.js unless the text must be rounded: a text with
 * `minorUnits` fraction digits is its own answer (a canonical amount is unsigned and has no leading zeros), one
 * with fewer gets zeros appended, and one with more whose extra digits are zeros drops them — what a numeric(19,4)
 * column gives for every amount ("25.0000"). Responses and events format every stored amount so, a few dozen per
 * order (an order's tax lines are three per line), and a listing page of 500 orders some ten thousand.
 * Throws on non-canonical text and bad minor units, like parseAmount and formatAmount.
 */
export function formatAmountText(text: string, minorUnits: number): string {
  assertCanonical(text);
  assertMinorUnits(minorUnits);
  const dot = text.indexOf(".");
  const digits = dot === -1 ? 0 : text.length - dot - 1;
  if (digits === minorUnits) return text;
  if (digits < minorUnits) return `${dot === -1 ? `${text}.` : text}${"0".repeat(minorUnits - digits)}`;
  const kept = dot + 1 + minorUnits;
  if (!zerosFrom(text, kept)) return formatAmount(new MoneyDecimal(text), minorUnits);
  return minorUnits === 0 ? text.slice(0, dot) : text.slice(0, kept);
}

/** Whether a canonical amount is zero ("0", "0.00", "0.0000"), read from its text. */
export function isZeroAmountText(text: string): boolean {
  return text === "0" || (text.startsWith("0.") && zerosFrom(text, 2));
}

/** Whether every character of `text` from `start` on is "0". */
function zerosFrom(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) if (text.charCodeAt(i) !== 48) return false;
  return true;
}

function assertMinorUnits(minorUnits: number): void {
  if (!Number.isInteger(minorUnits) || minorUnits < 0) throw new RangeError(`bad minor units: ${minorUnits}`);
}

/**
 * Unit prices may be finer than the currency (a screw at 0.1234 USD), so they keep every significant fraction
 * digit, but never fewer than the currency shows: 289.5 USD -> "289.50", 0.1234 USD -> "0.1234", 5 JPY -> "5".
 * Never rounds; values from parseAmount have at most 4 fraction digits, so the result still fits the wire pattern.
 */
export function formatUnitPrice(value: Decimal, minorUnits: number): string {
  assertFormattable(value, minorUnits);
  const exact = new MoneyDecimal(value);
  const digits = Math.max(minorUnits, exact.decimalPlaces());
  return (exact.isZero() ? exact.abs() : exact).toFixed(digits);
}

/**
 * formatUnitPrice(parseAmount(text), minorUnits) on the text alone, which never needs rounding: the fraction's
 * trailing zeros dropped down to the currency's minor units ("289.5000" USD -> "289.50", "0.1234" -> "0.1234").
 * Throws on non-canonical text and bad minor units, like parseAmount and formatUnitPrice.
 */
export function formatUnitPriceText(text: string, minorUnits: number): string {
  assertCanonical(text);
  assertMinorUnits(minorUnits);
  const dot = text.indexOf(".");
  if (dot === -1) return minorUnits === 0 ? text : `${text}.${"0".repeat(minorUnits)}`;
  let end = text.length;
  while (end > dot + 1 && text.charCodeAt(end - 1) === 48) end--;
  const digits = Math.max(minorUnits, end - dot - 1);
  if (digits === 0) return text.slice(0, dot);
  const fraction = text.slice(dot + 1, end);
  return `${text.slice(0, dot)}.${fraction}${"0".repeat(digits - fraction.length)}`;
}
