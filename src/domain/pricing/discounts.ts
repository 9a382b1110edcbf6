/**
 * The discount ledger: what is left of every line and of the shipping as adjustments (the manual discount, then
 * the promotions) take their part, and which part each took. Why one ledger: "never below zero" (the stacked
 * promotions of medusa#14899 gave negative totals) holds because every adjustment takes at most what the ledger
 * says is left, and the explanation (allocations per line) is the ledger's own record, so it cannot disagree with
 * the totals.
 */
import { ZERO, type Decimal } from "../../money/money.js";
import { allocate } from "./allocation.js";
import { minDecimal, sum } from "./amounts.js";
import type { PromotionKind } from "./checkout.js";

/** The manual discount's name on its adjustment (it has no promotion). */
export const MANUAL_DISCOUNT_NAME = "Discount";

export interface Adjustment {
  promotionId: string;
  code: string;
  name: string;
  kind: PromotionKind | "MANUAL";
  amount: Decimal;
  /** Taken from each line, by line index. */
  lines: Decimal[];
  shipping: Decimal;
  /** Beyond lines and shipping (the manual discount reaching into the client's tax only). */
  order: Decimal;
}

/** What is left to discount of each line and of the shipping. */
export interface Remaining {
  lines: Decimal[];
  shipping: Decimal;
}

export function newAdjustment(
  meta: Pick<Adjustment, "promotionId" | "code" | "name" | "kind">,
  lineCount: number,
): Adjustment {
  return { ...meta, amount: ZERO, lines: new Array<Decimal>(lineCount).fill(ZERO), shipping: ZERO, order: ZERO };
}

/** Takes up to `amount` off one line; returns what was taken. */
export function takeFromLine(remaining: Remaining, adjustment: Adjustment, index: number, amount: Decimal): Decimal {
  const left = remaining.lines[index] ?? ZERO;
  const taken = minDecimal(amount, left);
  remaining.lines[index] = left.minus(taken);
  adjustment.lines[index] = (adjustment.lines[index] ?? ZERO).plus(taken);
  adjustment.amount = adjustment.amount.plus(taken);
  return taken;
}

/**
 * Takes up to `amount` (a rounded order-level amount) off all lines in proportion to what is left of them, by
 * largest remainder, so the lines' shares sum exactly to what was taken; returns what was taken.
 */
export function takeFromLines(
  remaining: Remaining,
  adjustment: Adjustment,
  amount: Decimal,
  minorUnits: number,
): Decimal {
  const taken = minDecimal(amount, sum(remaining.lines));
  const shares = allocate(taken, remaining.lines, minorUnits);
  shares.forEach((share, index) => takeFromLine(remaining, adjustment, index, share));
  return taken;
}

export function takeFromShipping(remaining: Remaining, adjustment: Adjustment, amount: Decimal): Decimal {
  const taken = minDecimal(amount, remaining.shipping);
  remaining.shipping = remaining.shipping.minus(taken);
  adjustment.shipping = adjustment.shipping.plus(taken);
  adjustment.amount = adjustment.amount.plus(taken);
  return taken;
}

/**
 * The request's discount_total, taken before any promotion: on the lines first (in proportion), then on the
 * shipping, and, only when the client's tax is used (`taxRoom` = its tax_total), on up to that tax: today's rule
 * that discount_total may reach subtotal + shipping_total + tax_total. Taken first so that what a coupon adds can
 * never make a valid order fail. Returns undefined when it does not fit (DISCOUNT_EXCEEDS_TOTAL).
 */
export function takeManualDiscount(
  remaining: Remaining,
  amount: Decimal,
  taxRoom: Decimal,
  minorUnits: number,
): Adjustment | undefined {
  const adjustment = newAdjustment(
    { promotionId: "", code: "", name: MANUAL_DISCOUNT_NAME, kind: "MANUAL" },
    remaining.lines.length,
  );
  let left = amount.minus(takeFromLines(remaining, adjustment, amount, minorUnits));
  left = left.minus(takeFromShipping(remaining, adjustment, left));
  if (left.greaterThan(taxRoom)) return undefined;
  adjustment.order = left;
  adjustment.amount = adjustment.amount.plus(left);
  return adjustment;
}
