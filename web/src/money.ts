/** A decimal string as the service writes amounts: digits, optionally a point and more digits. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

function isDecimal(text: string): text is `${number}` {
  return DECIMAL.test(text);
}

/**
 * Formats an amount the server computed for display. The string goes to Intl.NumberFormat as it
 * is (formatting a decimal string is exact; no binary float is involved) and keeps exactly the
 * fraction digits the server sent: the service already rounds to the currency's minor units, and
 * a unit price with 4 digits must not be rounded here.
 */
export function formatMoney(amount: string, currency: string, locale?: string): string {
  if (!isDecimal(amount)) return amount;
  const digits = amount.split(".")[1]?.length ?? 0;
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount);
  } catch {
    // A currency code Intl refuses: still show the server's exact string.
    return `${amount} ${currency}`;
  }
}

/**
 * A rate the service sends as a decimal fraction ("0.045") written as a percentage ("4.5 %"), by moving the
 * decimal point two places in the string: no binary float is involved.
 */
export function formatRate(rate: string): string {
  if (!/^\d+(\.\d+)?$/.test(rate)) return rate;
  const [whole = "0", fraction = ""] = rate.split(".");
  const padded = fraction.padEnd(2, "0");
  const integer = `${whole}${padded.slice(0, 2)}`.replace(/^0+(?=\d)/, "");
  const rest = padded.slice(2).replace(/0+$/, "");
  return `${integer}${rest ? `.${rest}` : ""} %`;
}
