import type { PromotionKind } from "../../domain/pricing/checkout.js";
import { currencyMinorUnits } from "../../money/currency.js";
import { formatAmount, MoneyDecimal } from "../../money/money.js";
import { isPercentageKind } from "./promotion-draft.js";

/**
 * A stored numeric(19,4) amount as the contract and the pricing engine read it: with exactly the currency's
 * minor units when there is a currency ("10.0000" USD -> "10.00", JPY -> "10"), else as a plain decimal
 * without trailing zeros ("12.5000" -> "12.5"). Amounts were checked against the currency before they were
 * stored, so nothing is rounded.
 */
export function amountText(stored: string, currency: string): string {
  const minorUnits = currency === "" ? undefined : currencyMinorUnits(currency);
  const amount = new MoneyDecimal(stored);
  return minorUnits === undefined ? amount.toString() : formatAmount(amount, minorUnits);
}

/** A promotion's stored value as the contract and the engine read it: a percent ("15", "12.5") or an amount. */
export function valueText(kind: PromotionKind, stored: string | null, currency: string): string {
  if (stored === null) return "";
  return isPercentageKind(kind) ? new MoneyDecimal(stored).toString() : amountText(stored, currency);
}
