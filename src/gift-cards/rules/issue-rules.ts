import { currencyMinorUnits } from "../../money/currency.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { formatAmount, fractionDigits, isCanonicalAmount, parseAmount, ZERO } from "../../money/money.js";

/** What IssueGiftCard asks for, once the contract's rules (patterns, lengths) have passed. */
export interface IssueInput {
  initialBalance: string;
  currency: string;
  /** Undefined: the card never expires. */
  expiresAt: Date | undefined;
}

/** A card's opening numbers, checked: the balance formatted with the currency's minor units. */
export type CheckedIssue =
  { ok: true; initialBalance: string; minorUnits: number } | { ok: false; violations: FieldViolation[] };

/**
 * The rules of a new card only the service can check: a known currency (UNKNOWN_CURRENCY at currency);
 * an initial balance above 0 (AMOUNT_NOT_POSITIVE) with no more fraction digits than the currency has
 * (TOO_MANY_FRACTION_DIGITS at initial_balance: "0.001" USD is no money a buyer can spend); an expiry
 * after `now` (IN_PAST at expire_time: a card that never pays is a mistake).
 */
export function checkIssue(input: IssueInput, now: Date): CheckedIssue {
  const violations: FieldViolation[] = [];
  const minorUnits = currencyMinorUnits(input.currency);
  if (minorUnits === undefined) {
    violations.push(fieldViolation("currency", "UNKNOWN_CURRENCY", `"${input.currency}" is not an ISO 4217 currency`));
  }
  // The contract's pattern refused anything else before; checked again so this rule stands on its own.
  if (!isCanonicalAmount(input.initialBalance)) {
    violations.push(fieldViolation("initial_balance", "INVALID_DECIMAL", "must be an amount written like 12.50"));
  } else if (!parseAmount(input.initialBalance).greaterThan(ZERO)) {
    violations.push(fieldViolation("initial_balance", "AMOUNT_NOT_POSITIVE", "must be more than 0"));
  } else if (minorUnits !== undefined && fractionDigits(input.initialBalance) > minorUnits) {
    violations.push(
      fieldViolation(
        "initial_balance",
        "TOO_MANY_FRACTION_DIGITS",
        `must have at most ${minorUnits} fraction digits in ${input.currency}`,
      ),
    );
  }
  if (input.expiresAt !== undefined && input.expiresAt.getTime() <= now.getTime()) {
    violations.push(fieldViolation("expire_time", "IN_PAST", "must be after now: the card would never pay"));
  }
  if (violations.length > 0 || minorUnits === undefined) return { ok: false, violations };
  return { ok: true, initialBalance: formatAmount(parseAmount(input.initialBalance), minorUnits), minorUnits };
}
