/**
 * Coupon codes: which promotions apply and what each takes off. Why the rules are these:
 * - A code that fails never fails the order (seed 002): it becomes a warning naming its field, and the order is
 *   priced without it. The checks run in a fixed order so a code gets one reason, the first that applies.
 * - Application order is fixed whatever the order of the codes' kinds: item promotions on their matching lines
 *   (in code order), then order promotions on what is left of all lines, then free shipping. Percentages thus apply
 *   to what the buyer still pays, and a result never depends on how the buyer typed the codes around.
 * - Every amount is rounded HALF_EVEN to the currency and capped at what is left (discounts.ts), so a line, the
 *   shipping or the order never goes below zero however many promotions stack (medusa#14899).
 */
import { MoneyDecimal, ZERO, formatAmount, type Decimal } from "../../money/money.js";
import { configDecimal, roundMoney, sum } from "./amounts.js";
import type { CheckoutLine, CouponCodeInput, PricingWarning, PromotionCandidate, WarningReason } from "./checkout.js";
import {
  newAdjustment,
  takeFromLine,
  takeFromLines,
  takeFromShipping,
  type Adjustment,
  type Remaining,
} from "./discounts.js";

export interface PromotionOrder {
  currency: string;
  minorUnits: number;
  /** Before any discount: what minimum subtotals compare with. */
  subtotal: Decimal;
  now: Date;
  lines: readonly CheckoutLine[];
}

interface Accepted {
  index: number;
  promotion: PromotionCandidate;
  /** A fraction for percentage kinds, an amount for fixed kinds. */
  value: Decimal;
}

/** Percentage kinds as a fraction (15 -> 0.15: exact, one multiplication), fixed kinds as the amount. */
function promotionValue(promotion: PromotionCandidate): Decimal {
  const value = configDecimal(promotion.value, `promotion ${promotion.id} value`);
  return promotion.kind.endsWith("_PERCENTAGE") ? value.times(PERCENT) : value;
}

const PERCENT = new MoneyDecimal("0.01");

/** Applies the codes to `remaining` (which it updates); adjustments come in application order. */
export function applyPromotions(
  codes: readonly CouponCodeInput[],
  order: PromotionOrder,
  remaining: Remaining,
): { adjustments: Adjustment[]; warnings: PricingWarning[] } {
  const warnings: { index: number; warning: PricingWarning }[] = [];
  const warn = (index: number, reason: WarningReason, message: string) =>
    warnings.push({ index, warning: { reason, field: `coupon_codes[${index}]`, message } });

  const accepted: Accepted[] = [];
  const firstIndexOf = new Map<string, number>();
  codes.forEach((code, index) => {
    const { promotion } = code;
    if (promotion === undefined) {
      warn(index, "COUPON_NOT_FOUND", `no promotion has the code ${JSON.stringify(code.text)}`);
      return;
    }
    const failure = conditionFailure(promotion, order, firstIndexOf.get(promotion.id));
    if (!firstIndexOf.has(promotion.id)) firstIndexOf.set(promotion.id, index);
    if (failure !== undefined) warn(index, failure.reason, failure.message);
    else accepted.push({ index, promotion, value: promotionValue(promotion) });
  });

  const adjustments: Adjustment[] = [];
  for (const stage of STAGES) {
    for (const candidate of accepted.filter(({ promotion }) => stage.includes(promotion.kind))) {
      const result = apply(candidate, order, remaining);
      if (typeof result === "string") warn(candidate.index, "COUPON_NOT_APPLICABLE", result);
      else adjustments.push(result);
    }
  }
  warnings.sort((a, b) => a.index - b.index);
  return { adjustments, warnings: warnings.map(({ warning }) => warning) };
}

const STAGES: readonly (readonly PromotionCandidate["kind"][])[] = [
  ["ITEM_PERCENTAGE", "ITEM_FIXED_AMOUNT"],
  ["ORDER_PERCENTAGE", "ORDER_FIXED_AMOUNT"],
  ["FREE_SHIPPING"],
];

/** The first condition the promotion fails for this order, in the documented order, or undefined. */
function conditionFailure(
  promotion: PromotionCandidate,
  order: PromotionOrder,
  earlierIndex: number | undefined,
): { reason: WarningReason; message: string } | undefined {
  const name = JSON.stringify(promotion.name);
  const now = order.now.getTime();
  if (!promotion.active) return { reason: "COUPON_INACTIVE", message: `promotion ${name} is not active` };
  if (promotion.startTime !== undefined && now < promotion.startTime.getTime()) {
    const start = promotion.startTime.toISOString();
    return { reason: "COUPON_NOT_STARTED", message: `promotion ${name} starts at ${start}` };
  }
  if (promotion.endTime !== undefined && now >= promotion.endTime.getTime()) {
    const end = promotion.endTime.toISOString();
    return { reason: "COUPON_EXPIRED", message: `promotion ${name} ended at ${end}` };
  }
  if (promotion.usageLimit !== undefined && promotion.usageCount >= promotion.usageLimit) {
    const message = `promotion ${name} has been used its ${promotion.usageLimit} times`;
    return { reason: "COUPON_USAGE_LIMIT_REACHED", message };
  }
  if (promotion.perCustomerLimit !== undefined && promotion.customerUsageCount >= promotion.perCustomerLimit) {
    const message = `this customer has used promotion ${name} its ${promotion.perCustomerLimit} times`;
    return { reason: "COUPON_CUSTOMER_LIMIT_REACHED", message };
  }
  if (promotion.currency !== "" && promotion.currency !== order.currency) {
    const message = `promotion ${name} is for orders in ${promotion.currency}, not ${order.currency}`;
    return { reason: "COUPON_CURRENCY_MISMATCH", message };
  }
  if (promotion.minimumSubtotal !== "") {
    const minimum = configDecimal(promotion.minimumSubtotal, `promotion ${promotion.id} minimum subtotal`);
    if (order.subtotal.lessThan(minimum)) {
      const message = `promotion ${name} needs a subtotal of at least ${formatAmount(minimum, order.minorUnits)}`;
      return { reason: "COUPON_MINIMUM_NOT_MET", message };
    }
  }
  if (earlierIndex !== undefined) {
    const message = `promotion ${name} was already given as coupon_codes[${earlierIndex}]`;
    return { reason: "COUPON_DUPLICATE", message };
  }
  return undefined;
}

/** The promotion's adjustment, or why it takes nothing (COUPON_NOT_APPLICABLE). */
function apply({ promotion, value }: Accepted, order: PromotionOrder, remaining: Remaining): Adjustment | string {
  const { minorUnits } = order;
  const adjustment = newAdjustment(
    { promotionId: promotion.id, code: promotion.code, name: promotion.name, kind: promotion.kind },
    remaining.lines.length,
  );
  const name = JSON.stringify(promotion.name);
  switch (promotion.kind) {
    case "ITEM_PERCENTAGE":
    case "ITEM_FIXED_AMOUNT": {
      const matching = matchingLines(promotion, order.lines);
      if (matching.length === 0) return `promotion ${name} matches no line of the order`;
      for (const lineIndex of matching) {
        const base =
          promotion.kind === "ITEM_PERCENTAGE"
            ? (remaining.lines[lineIndex] ?? ZERO).times(value)
            : value.times(order.lines[lineIndex]?.quantity ?? 0);
        takeFromLine(remaining, adjustment, lineIndex, roundMoney(base, minorUnits));
      }
      break;
    }
    case "ORDER_PERCENTAGE":
      takeFromLines(remaining, adjustment, roundMoney(sum(remaining.lines).times(value), minorUnits), minorUnits);
      break;
    case "ORDER_FIXED_AMOUNT":
      takeFromLines(remaining, adjustment, roundMoney(value, minorUnits), minorUnits);
      break;
    case "FREE_SHIPPING":
      if (remaining.shipping.isZero()) return `promotion ${name} has no shipping charge to take off`;
      takeFromShipping(remaining, adjustment, remaining.shipping);
      break;
  }
  return adjustment.amount.isZero()
    ? `promotion ${name} leaves nothing to discount: what it applies to is 0`
    : adjustment;
}

/** Lines whose SKU (any case) or product id the promotion names. */
function matchingLines(promotion: PromotionCandidate, lines: readonly CheckoutLine[]): number[] {
  const skus = new Set(promotion.skus.filter((sku) => sku !== "").map((sku) => sku.toLowerCase()));
  const productIds = new Set(promotion.productIds.filter((id) => id !== ""));
  const matching: number[] = [];
  lines.forEach((line, index) => {
    if (skus.has(line.sku.toLowerCase()) || (line.productId !== "" && productIds.has(line.productId))) {
      matching.push(index);
    }
  });
  return matching;
}
