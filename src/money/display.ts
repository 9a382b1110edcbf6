/**
 * Amounts formatted for people (Order.display, LineItem.display): Intl.NumberFormat in the order's locale and
 * currency, e.g. "$2,316.00", "¥1,235", "2.316,00 €". The amount is handed to Intl as its decimal string, which
 * Intl formats exactly (no binary float on the way), with the currency's minor units and more fraction digits only
 * where the amount has them (a unit price of "0.1234"). Display only: totals are computed on the decimal strings.
 */

/** The locale an order without one is shown in. */
export const DEFAULT_DISPLAY_LOCALE = "en-US";

/**
 * A formatter with the texts it gave last: an order shows its amounts in ten places and each line in four, many
 * of them zeros or the same price, and a memo lookup costs a twentieth of formatting again. Bounded: cleared when
 * it holds MEMO_LIMIT texts, so a stream of distinct amounts costs one clear per MEMO_LIMIT and no more memory.
 */
interface Formatter {
  format: Intl.NumberFormat;
  memo: Map<string, string>;
}

const MEMO_LIMIT = 4096;
const formatters = new Map<string, Formatter>();

export function displayAmount(amount: string, currency: string, locale: string | null, minorUnits: number): string {
  const fraction = amount.indexOf(".") < 0 ? 0 : amount.length - amount.indexOf(".") - 1;
  const digits = Math.max(minorUnits, significantFraction(amount, fraction));
  const key = `${locale ?? DEFAULT_DISPLAY_LOCALE}|${currency}|${minorUnits}|${digits}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const format = new Intl.NumberFormat(locale ?? DEFAULT_DISPLAY_LOCALE, {
      style: "currency",
      currency,
      minimumFractionDigits: minorUnits,
      maximumFractionDigits: digits,
    });
    formatter = { format, memo: new Map() };
    formatters.set(key, formatter);
  }
  const known = formatter.memo.get(amount);
  if (known !== undefined) return known;
  // Intl.NumberFormat formats a numeric string as the exact decimal it spells (ECMA-402 "Intl.NumberFormat v3").
  const text = formatter.format.format(amount as `${number}`);
  if (formatter.memo.size >= MEMO_LIMIT) formatter.memo.clear();
  formatter.memo.set(amount, text);
  return text;
}

/** Fraction digits of `amount` up to its last non-zero one ("1.2500" has 2). */
function significantFraction(amount: string, fraction: number): number {
  let digits = fraction;
  while (digits > 0 && amount.charCodeAt(amount.length - fraction + digits - 1) === 48) digits--;
  return digits;
}
