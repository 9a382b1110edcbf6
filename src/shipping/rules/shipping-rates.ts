import {
  ShippingRateKind as RateKindMessage,
  type ShippingRate as ShippingRateMessage,
} from "../../../gen/orders/v1/shipping_pb.js";
import type { ShippingRate, ShippingRateKind } from "../../domain/pricing/checkout.js";
import { currencyMinorUnits } from "../../money/currency.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { formatAmount, fractionDigits, isCanonicalAmount, parseAmount, type Decimal } from "../../money/money.js";

/** The contract's kinds by the checkout engine's names (domain/pricing ShippingRateKind), and back. */
export const RATE_KINDS: ReadonlyMap<RateKindMessage, ShippingRateKind> = new Map([
  [RateKindMessage.FLAT, "FLAT"],
  [RateKindMessage.SUBTOTAL_TIERS, "SUBTOTAL_TIERS"],
  [RateKindMessage.WEIGHT_TIERS, "WEIGHT_TIERS"],
]);

export function rateKindMessage(kind: ShippingRateKind): RateKindMessage {
  for (const [message, name] of RATE_KINDS) if (name === kind) return message;
  throw new Error(`unknown shipping rate kind ${kind as string}`);
}

export type CheckedRates = { ok: true; rates: ShippingRate[] } | { ok: false; violations: FieldViolation[] };

/**
 * A method's rates as the checkout engine takes them, or every field violation of them at `field`[i]
 * (protovalidate states the shapes and counts; these are the rules it cannot, and they hold for any caller):
 * - at least one rate (REQUIRED at `field`); each currency an ISO 4217 currency to price in (UNKNOWN_CURRENCY),
 *   at most one rate of it (DUPLICATE_CURRENCY at the later rate's currency);
 * - a kind (REQUIRED); FLAT has an amount (REQUIRED) and no tiers (NOT_ALLOWED), the tier kinds have tiers
 *   (REQUIRED) and no amount (NOT_ALLOWED);
 * - every amount (amount, free_above, the tiers' amounts, and their `from` for SUBTOTAL_TIERS) a decimal amount
 *   (INVALID_DECIMAL) with at most the currency's minor units (TOO_MANY_FRACTION_DIGITS); a WEIGHT_TIERS `from` is
 *   whole grams (NOT_WHOLE_GRAMS); tiers strictly ascending by `from` (TIERS_NOT_ASCENDING at the tier that is not).
 * Amounts come back with exactly the currency's minor units ("5" USD -> "5.00"); grams as given.
 */
export function checkRates(field: string, given: readonly ShippingRateMessage[]): CheckedRates {
  const violations: FieldViolation[] = [];
  if (given.length === 0)
    violations.push(fieldViolation(field, "REQUIRED", "a shipping method needs at least one rate"));
  const currencies = new Set<string>();
  const rates: ShippingRate[] = [];
  for (const [index, rate] of given.entries()) {
    const at = `${field}[${index}]`;
    const minorUnits = currencyMinorUnits(rate.currency);
    if (minorUnits === undefined) {
      violations.push(
        fieldViolation(
          `${at}.currency`,
          "UNKNOWN_CURRENCY",
          `"${rate.currency}" is not an ISO 4217 currency with minor units`,
        ),
      );
    } else if (currencies.has(rate.currency)) {
      violations.push(
        fieldViolation(
          `${at}.currency`,
          "DUPLICATE_CURRENCY",
          `a method has one rate per currency; ${rate.currency} has one before`,
        ),
      );
    }
    currencies.add(rate.currency);
    const checked = checkRate(at, rate, minorUnits);
    if (checked.ok) rates.push(checked.rate);
    else violations.push(...checked.violations);
  }
  return violations.length > 0 ? { ok: false, violations } : { ok: true, rates };
}

type CheckedRate = { ok: true; rate: ShippingRate } | { ok: false; violations: FieldViolation[] };

/** One rate's kind, amounts and tiers; `minorUnits` undefined when its currency is not one (reported by the caller). */
function checkRate(at: string, rate: ShippingRateMessage, minorUnits: number | undefined): CheckedRate {
  const violations: FieldViolation[] = [];
  const kind = RATE_KINDS.get(rate.kind);
  const amounts = new AmountReader(rate.currency, minorUnits, violations);
  if (!kind) violations.push(fieldViolation(`${at}.kind`, "REQUIRED", "must say how the rate prices an order"));
  if (kind === "FLAT") {
    if (rate.amount === "") violations.push(fieldViolation(`${at}.amount`, "REQUIRED", "a flat rate needs its amount"));
    if (rate.tiers.length > 0) {
      violations.push(fieldViolation(`${at}.tiers`, "NOT_ALLOWED", "a flat rate has an amount, not tiers"));
    }
  } else if (kind) {
    if (rate.amount !== "") {
      violations.push(fieldViolation(`${at}.amount`, "NOT_ALLOWED", "a tiered rate has tiers, not an amount"));
    }
    if (rate.tiers.length === 0) {
      violations.push(fieldViolation(`${at}.tiers`, "REQUIRED", "a tiered rate needs at least one tier"));
    }
  }
  const amount = rate.amount === "" ? "" : amounts.read(`${at}.amount`, rate.amount);
  const freeAbove = rate.freeAbove === "" ? undefined : amounts.read(`${at}.free_above`, rate.freeAbove);
  let previous: Decimal | undefined;
  const tiers = rate.tiers.map((tier, index) => {
    const tierAt = `${at}.tiers[${index}]`;
    const from =
      kind === "WEIGHT_TIERS"
        ? gramsOf(`${tierAt}.from`, tier.from, violations)
        : amounts.read(`${tierAt}.from`, tier.from);
    if (from !== undefined && isCanonicalAmount(from)) {
      const start = parseAmount(from);
      if (previous?.greaterThanOrEqualTo(start)) {
        violations.push(
          fieldViolation(`${tierAt}.from`, "TIERS_NOT_ASCENDING", "must be more than the previous tier's from"),
        );
      }
      previous = start;
    }
    return { from: from ?? tier.from, amount: amounts.read(`${tierAt}.amount`, tier.amount) ?? tier.amount };
  });
  if (violations.length > 0 || !kind) return { ok: false, violations };
  return {
    ok: true,
    rate: {
      currency: rate.currency,
      kind,
      amount: amount ?? "",
      tiers,
      ...(freeAbove === undefined ? {} : { freeAbove }),
    },
  };
}

/** Reads the amounts of one rate in its currency, collecting their violations. */
class AmountReader {
  constructor(
    private readonly currency: string,
    private readonly minorUnits: number | undefined,
    private readonly violations: FieldViolation[],
  ) {}

  /** `text` with exactly the currency's minor units, or undefined (and a violation) when it is not an amount of it. */
  read(at: string, text: string): string | undefined {
    if (!isCanonicalAmount(text)) {
      this.violations.push(
        fieldViolation(at, "INVALID_DECIMAL", "must be an amount written like 12.50: not negative, at most 4 decimals"),
      );
      return undefined;
    }
    if (this.minorUnits === undefined) return undefined;
    if (fractionDigits(text) > this.minorUnits) {
      this.violations.push(
        fieldViolation(
          at,
          "TOO_MANY_FRACTION_DIGITS",
          `an amount in ${this.currency} has at most ${this.minorUnits} decimals`,
        ),
      );
      return undefined;
    }
    return formatAmount(parseAmount(text), this.minorUnits);
  }
}

/** A weight tier's start: whole grams written without a fraction ("5000"), else a violation and undefined. */
function gramsOf(at: string, text: string, violations: FieldViolation[]): string | undefined {
  if (!isCanonicalAmount(text)) {
    violations.push(fieldViolation(at, "INVALID_DECIMAL", "must be a weight in grams written like 5000"));
    return undefined;
  }
  if (fractionDigits(text) > 0) {
    violations.push(fieldViolation(at, "NOT_WHOLE_GRAMS", "must be whole grams, written without a fraction"));
    return undefined;
  }
  return text;
}
