/**
 * Reading the request's own figures: quantities, unit prices, the client's tax, shipping_total, discount_total.
 * Why apart from the arithmetic: these checks, their field paths, their order and their words are the ones
 * CreateOrder has always answered (test/domain/pricing/plain-orders.unit.test.ts), whatever the engine computes.
 */
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { MAX_AMOUNT, fractionDigits, isCanonicalAmount, parseAmount, type Decimal } from "../../money/money.js";
import { roundMoney } from "./amounts.js";
import type { CheckoutLine } from "./checkout.js";
import { CheckoutReason } from "./reasons.js";

/** Unit prices may be finer than the currency, down to what numeric(19,4) stores. */
const UNIT_PRICE_MAX_FRACTION_DIGITS = 4;

/** A line once read: its figures parsed once, its match keys normalised once (the engine runs per order). */
export interface LineFigures {
  quantity: number;
  unitPrice: Decimal;
  lineTotal: Decimal;
  /** The client's tax_amount, read only when the client's tax is used. */
  clientTax: Decimal | undefined;
}

/**
 * Reads every line; an entry is undefined when the line cannot be priced (its violations are recorded). Without
 * `minorUnits` (unknown currency) only the syntax is checked. `readClientTax`: false when a tax zone matched, so
 * the client's tax_amount is ignored altogether.
 */
export function readLines(
  lines: readonly CheckoutLine[],
  minorUnits: number | undefined,
  readClientTax: boolean,
  violations: FieldViolation[],
): (LineFigures | undefined)[] {
  return lines.map((line, index) => readLine(`items[${index}]`, line, minorUnits, readClientTax, violations));
}

function readLine(
  path: string,
  line: CheckoutLine,
  minorUnits: number | undefined,
  readClientTax: boolean,
  violations: FieldViolation[],
): LineFigures | undefined {
  const quantityOk = Number.isSafeInteger(line.quantity) && line.quantity > 0;
  if (!quantityOk) {
    violations.push(
      fieldViolation(`${path}.quantity`, CheckoutReason.INVALID_QUANTITY, "quantity must be a positive integer"),
    );
  }
  const unitPrice = readDecimal(`${path}.unit_price`, line.unitPrice, UNIT_PRICE_MAX_FRACTION_DIGITS, violations);
  let lineTotal: Decimal | undefined;
  if (unitPrice !== undefined && quantityOk && minorUnits !== undefined) {
    lineTotal = roundMoney(unitPrice.times(line.quantity), minorUnits);
    if (lineTotal.greaterThan(MAX_AMOUNT)) {
      violations.push(tooLarge(`${path}.unit_price`, "the line total (quantity x unit_price)"));
      lineTotal = undefined;
    }
  }
  const given = readClientTax ? line.clientTaxAmount : undefined;
  const clientTax = given === undefined ? undefined : readAmount(`${path}.tax_amount`, given, minorUnits, violations);
  if (lineTotal === undefined || unitPrice === undefined || (given !== undefined && clientTax === undefined)) {
    return undefined;
  }
  return { quantity: line.quantity, unitPrice, lineTotal, clientTax };
}

/** An amount in the order's currency: at most as many fraction digits as the currency has minor units. */
export function readAmount(
  field: string,
  text: string,
  minorUnits: number | undefined,
  violations: FieldViolation[],
): Decimal | undefined {
  // An unknown currency was already reported; check syntax only, allowing the widest wire precision.
  return readDecimal(field, text, minorUnits ?? UNIT_PRICE_MAX_FRACTION_DIGITS, violations);
}

function readDecimal(
  field: string,
  text: string,
  maxFractionDigits: number,
  violations: FieldViolation[],
): Decimal | undefined {
  if (!isCanonicalAmount(text)) {
    violations.push(
      fieldViolation(
        field,
        CheckoutReason.INVALID_DECIMAL,
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
        CheckoutReason.TOO_MANY_FRACTION_DIGITS,
        `${field} has ${digits} fraction digits; at most ${maxFractionDigits} allowed in this currency`,
      ),
    );
    return undefined;
  }
  return parseAmount(text);
}

export function tooLarge(field: string, what: string): FieldViolation {
  return fieldViolation(
    field,
    CheckoutReason.AMOUNT_TOO_LARGE,
    `${what} exceeds the maximum amount ${MAX_AMOUNT.toFixed(4)}`,
  );
}

export function unknownCurrency(currency: string): FieldViolation {
  return fieldViolation(
    "currency",
    CheckoutReason.UNKNOWN_CURRENCY,
    `${JSON.stringify(currency)} is not an uppercase ISO 4217 currency code with minor units`,
  );
}
