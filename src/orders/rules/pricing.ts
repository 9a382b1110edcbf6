import { currencyMinorUnits } from "../../money/currency.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import {
  MAX_AMOUNT,
  MoneyDecimal,
  ZERO,
  formatAmount,
  formatUnitPrice,
  fractionDigits,
  isCanonicalAmount,
  parseAmount,
  type Decimal,
} from "../../money/money.js";

/**
 * Order pricing: the one place where an order's totals are computed. Pure: no I/O, no clock, no randomness.
 *
 * Contract (clients rely on it):
 *   line_total = quantity x unit_price, rounded HALF_EVEN to the currency's minor units
 *   subtotal   = sum of line totals
 *   tax_total  = the override when given, else the sum of the lines' tax_amount (absent = 0)
 *   total      = subtotal + shipping_total + tax_total - discount_total
 * Each figure is computed from the already-rounded parts, so the returned total always equals the sum of the
 * returned parts exactly; a client re-adding our strings never finds a cent of difference.
 */

/** Machine codes this module reports in FieldViolation.reason. */
export const PricingReason = {
  INVALID_DECIMAL: "INVALID_DECIMAL",
  INVALID_QUANTITY: "INVALID_QUANTITY",
  UNKNOWN_CURRENCY: "UNKNOWN_CURRENCY",
  TOO_MANY_FRACTION_DIGITS: "TOO_MANY_FRACTION_DIGITS",
  AMOUNT_TOO_LARGE: "AMOUNT_TOO_LARGE",
  DISCOUNT_EXCEEDS_TOTAL: "DISCOUNT_EXCEEDS_TOTAL",
} as const;

/** Unit prices may be finer than the currency, down to what numeric(19,4) stores. */
const UNIT_PRICE_MAX_FRACTION_DIGITS = 4;

export interface PricingLine {
  /** Positive integer count, already validated by the proto layer (checked again here: this module never throws). */
  quantity: number;
  /** Decimal string >= 0 with at most 4 fraction digits. */
  unitPrice: string;
  /** Optional tax for the whole line, in the currency's minor units. */
  taxAmount?: string;
}

export interface PricingInput {
  currency: string;
  lines: PricingLine[];
  shippingTotal: string;
  discountTotal: string;
  /** When given (even "0"), replaces the sum of the lines' tax amounts. Absent is `undefined`, not "". */
  taxTotal?: string;
}

export interface PricedLine {
  unitPrice: string;
  taxAmount?: string;
  lineTotal: string;
}

export interface PricedOrder {
  currency: string;
  minorUnits: number;
  lines: PricedLine[];
  subtotal: string;
  shippingTotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
}

export type PricingResult = { ok: true; order: PricedOrder } | { ok: false; violations: FieldViolation[] };

interface ValidLine {
  unitPrice: Decimal;
  taxAmount: Decimal | undefined;
  lineTotal: Decimal;
}

/**
 * Validates and prices an order. Returns every violation found, one per problem, in the order of the request's
 * fields as CreateOrderRequest declares them, so a client can fix everything in one round trip. Never throws on
 * bad input. Two passes:
 *   1. each input field: items[i] (quantity, unit_price incl. line overflow, tax_amount), currency,
 *      shipping_total, discount_total, tax_total;
 *   2. only when all of those are valid, the computed figures: subtotal / summed tax overflow ("items"),
 *      a negative total ("discount_total"), total overflow ("total").
 */
export function priceOrder(input: PricingInput): PricingResult {
  const violations: FieldViolation[] = [];
  // Without a known currency we still check every field's syntax, but cannot judge fraction digits or round.
  const minorUnits = currencyMinorUnits(input.currency);
  const amount = (field: string, text: string | undefined): Decimal | undefined =>
    readAmount(field, text, minorUnits, violations);

  const lines: (ValidLine | undefined)[] = input.lines.map((line, index) =>
    readLine(`items[${index}]`, line, minorUnits, violations),
  );
  // Reported after the items only because the request declares items (2) before currency (3).
  if (minorUnits === undefined) {
    violations.push(
      fieldViolation(
        "currency",
        PricingReason.UNKNOWN_CURRENCY,
        `${JSON.stringify(input.currency)} is not an uppercase ISO 4217 currency code with minor units`,
      ),
    );
  }

  let subtotal = ZERO;
  let lineTaxes = ZERO;
  for (const line of lines) {
    if (line === undefined) continue;
    subtotal = subtotal.plus(line.lineTotal);
    lineTaxes = lineTaxes.plus(line.taxAmount ?? ZERO);
  }

  const shippingTotal = amount("shipping_total", input.shippingTotal);
  const discountTotal = amount("discount_total", input.discountTotal);
  const taxOverride = input.taxTotal === undefined ? undefined : amount("tax_total", input.taxTotal);

  // The totals only mean something once every part is valid; until then the violations above say what to fix.
  if (violations.length > 0 || minorUnits === undefined || shippingTotal === undefined || discountTotal === undefined) {
    return { ok: false, violations };
  }

  const taxTotal = taxOverride ?? lineTaxes;
  const total = subtotal.plus(shippingTotal).plus(taxTotal).minus(discountTotal);

  // Subtotal and tax_total are stored too, so each must fit on its own: a large discount can bring the total
  // under the limit while the subtotal is still unstorable.
  if (subtotal.greaterThan(MAX_AMOUNT)) {
    violations.push(tooLarge("items", "the sum of the line totals (subtotal)"));
  }
  if (taxOverride === undefined && lineTaxes.greaterThan(MAX_AMOUNT)) {
    violations.push(tooLarge("items", "the sum of the lines' tax_amount (tax_total)"));
  }
  if (total.lessThan(ZERO)) {
    violations.push(
      fieldViolation(
        "discount_total",
        PricingReason.DISCOUNT_EXCEEDS_TOTAL,
        `discount_total ${formatAmount(discountTotal, minorUnits)} exceeds subtotal + shipping_total + tax_total ` +
          `(${formatAmount(subtotal.plus(shippingTotal).plus(taxTotal), minorUnits)})`,
      ),
    );
  }
  if (total.greaterThan(MAX_AMOUNT)) {
    violations.push(tooLarge("total", "the order total"));
  }
  if (violations.length > 0) return { ok: false, violations };

  const money = (value: Decimal): string => formatAmount(value, minorUnits);
  return {
    ok: true,
    order: {
      currency: input.currency,
      minorUnits,
      lines: lines
        .filter((line): line is ValidLine => line !== undefined)
        .map((line) => ({
          unitPrice: formatUnitPrice(line.unitPrice, minorUnits),
          ...(line.taxAmount === undefined ? {} : { taxAmount: money(line.taxAmount) }),
          lineTotal: money(line.lineTotal),
        })),
      subtotal: money(subtotal),
      shippingTotal: money(shippingTotal),
      discountTotal: money(discountTotal),
      taxTotal: money(taxTotal),
      total: money(total),
    },
  };
}

/** Validates one line; returns its parsed figures, or undefined after recording why it cannot be priced. */
function readLine(
  path: string,
  line: PricingLine,
  minorUnits: number | undefined,
  violations: FieldViolation[],
): ValidLine | undefined {
  const quantityOk = Number.isSafeInteger(line.quantity) && line.quantity > 0;
  if (!quantityOk) {
    violations.push(
      fieldViolation(`${path}.quantity`, PricingReason.INVALID_QUANTITY, "quantity must be a positive integer"),
    );
  }

  const unitPrice = readDecimal(`${path}.unit_price`, line.unitPrice, UNIT_PRICE_MAX_FRACTION_DIGITS, violations);
  let lineTotal: Decimal | undefined;
  if (unitPrice !== undefined && quantityOk && minorUnits !== undefined) {
    // The product is exact at our precision; this is the one rounding step of a line.
    lineTotal = unitPrice.times(line.quantity).toDecimalPlaces(minorUnits, MoneyDecimal.ROUND_HALF_EVEN);
    if (lineTotal.greaterThan(MAX_AMOUNT)) {
      // Reported on unit_price: it is the amount field of the line the client controls.
      violations.push(tooLarge(`${path}.unit_price`, "the line total (quantity x unit_price)"));
      lineTotal = undefined;
    }
  }

  const taxAmount =
    line.taxAmount === undefined ? undefined : readAmount(`${path}.tax_amount`, line.taxAmount, minorUnits, violations);
  const taxOk = line.taxAmount === undefined || taxAmount !== undefined;
  if (lineTotal === undefined || unitPrice === undefined || !taxOk) return undefined;
  return { unitPrice, taxAmount, lineTotal };
}

/** An amount in the order's currency: at most as many fraction digits as the currency has minor units. */
function readAmount(
  field: string,
  text: string | undefined,
  minorUnits: number | undefined,
  violations: FieldViolation[],
): Decimal | undefined {
  // An unknown currency was already reported; check syntax only, allowing the widest wire precision.
  return readDecimal(field, text, minorUnits ?? UNIT_PRICE_MAX_FRACTION_DIGITS, violations);
}

function readDecimal(
  field: string,
  text: string | undefined,
  maxFractionDigits: number,
  violations: FieldViolation[],
): Decimal | undefined {
  if (!isCanonicalAmount(text)) {
    violations.push(
      fieldViolation(
        field,
        PricingReason.INVALID_DECIMAL,
        `${field} must be a plain decimal string like "12.50" (no sign, exponent or spaces, at most 15 integer ` +
          `and 4 fraction digits)`,
      ),
    );
    return undefined;
  }
  const digits = fractionDigits(text);
  if (digits > maxFractionDigits) {
    violations.push(
      fieldViolation(
        field,
        PricingReason.TOO_MANY_FRACTION_DIGITS,
        `${field} has ${digits} fraction digits; at most ${maxFractionDigits} allowed in this currency`,
      ),
    );
    return undefined;
  }
  return parseAmount(text);
}

function tooLarge(field: string, what: string): FieldViolation {
  return fieldViolation(
    field,
    PricingReason.AMOUNT_TOO_LARGE,
    `${what} exceeds the maximum amount ${MAX_AMOUNT.toFixed(4)}`,
  );
}
