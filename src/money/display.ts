/**
 * Amounts formatted for people (Order.display, LineItem.display): Intl.NumberFormat in the order's locale and
 * currency, e.g. "$2,316.00", "¥1,235", "2.316,00 €". The amount is handed to Intl as its decimal string, which
 * Intl formats exactly (no binary float on the way), with the currency's minor units and more fraction digits only
 * where the amount has them (a unit price of "0.1234"). Display only: totals are computed on the decimal strings.
 */

/** The locale an order without one is shown in. */
export const DEFAULT_DISPLAY_LOCALE = "en-US";

const formatters = new Map<string, Intl.NumberFormat>();

export function displayAmount(amount: string, currency: string, locale: string | null, minorUnits: number): string {
  const fraction = amount.indexOf(".") < 0 ? 0 : amount.length - amount.indexOf(".") - 1;
  const digits = Math.max(minorUnits, significantFraction(amount, fraction));
  const key = `${locale ?? DEFAULT_DISPLAY_LOCALE}|${currency}|${minorUnits}|${digits}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale ?? DEFAULT_DISPLAY_LOCALE, {
      style: "currency",
      currency,
      minimumFractionDigits: minorUnits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, formatter);
  }
  // Intl.NumberFormat formats a numeric string as the exact decimal it spells (ECMA-402 "Intl.NumberFormat v3").
  return formatter.format(amount as `${number}`);
}

/** Fraction digits of `amount` up to its last non-zero one ("1.2500" has 2). */
function significantFraction(amount: string, fraction: number): number {
  let digits = fraction;
  while (digits > 0 && amount.charCodeAt(amount.length - fraction + digits - 1) === 48) digits--;
  return digits;
}
