import { MoneyDecimal, ZERO, formatAmount, parseAmount, type Decimal } from "../../money/money.js";

/**
 * What a return refunds (issue 14 §4), as a pure function over the order's priced lines: no I/O.
 *
 * A line's value is what the buyer paid for it: line_total - discount_total (its share of every discount, allocated
 * by the pricing engine) + its additional tax (tax lines not included in the price; the request's tax_amount when the
 * tax is the client's). Tax included in prices is inside line_total already. Returning r of a line's Q units refunds
 * its value x r / Q, rounded HALF_EVEN to the currency, counted cumulatively: a return of q units after p were
 * returned refunds round(value x (p + q) / Q) - round(value x p / Q), so returning every unit, in any number of
 * returns, refunds the line's value exactly, cent for cent.
 *
 * The shipping part is what the buyer paid for shipping: shipping_total - its discounts + its additional tax. It is
 * refunded once, by the first return that asks for it (refund_shipping). What the total holds beyond the lines and
 * the shipping (only with the request's own tax: a tax_total other than the lines' taxes, or a manual discount larger
 * than lines and shipping) goes with the return that brings the last unit back. So returning everything refunds
 * exactly total - shipping part, and total when the shipping is refunded too.
 */

/** What the refund reads of a line. Amounts are decimal strings. */
export interface RefundableLine {
  id: string;
  quantity: number;
  lineTotal: string;
  discountTotal: string;
  /** The line's tax added on top of its price (not included in it). */
  additionalTax: string;
}

/** What the refund reads of the order. */
export interface RefundableOrder {
  minorUnits: number;
  total: string;
  /** shipping_total - what discounts took off it + its tax added on top. */
  shippingPart: string;
  lines: readonly RefundableLine[];
}

/** The order's earlier returns (requested or received), which decide where the cumulative rounding stands. */
export interface EarlierReturns {
  /** Units of each line already in a return. */
  returned: ReadonlyMap<string, number>;
  /** Whether an earlier return refunds the shipping. */
  shippingRefunded: boolean;
}

export interface ReturnRefund {
  /** Per returned line, in the order given: the units and what they refund. */
  lines: { lineId: string; quantity: number; amount: string }[];
  /** The shipping part refunded by this return ("0.00" when none). */
  shippingAmount: string;
  /** lines + shipping. */
  total: string;
}

/** A line's value: what the buyer paid for all its units. */
export function lineValue(line: RefundableLine): Decimal {
  return parseAmount(line.lineTotal).minus(parseAmount(line.discountTotal)).plus(parseAmount(line.additionalTax));
}

/**
 * The refund of a return of `units` (each line of the order once, quantities within what is left to return) after
 * `earlier`, with the shipping part when `refundShipping` and no earlier return refunded it.
 */
export function returnRefund(
  order: RefundableOrder,
  earlier: EarlierReturns,
  units: readonly { lineId: string; quantity: number }[],
  refundShipping: boolean,
): ReturnRefund {
  const round = (value: Decimal) => new MoneyDecimal(formatAmount(value, order.minorUnits));
  const share = (line: RefundableLine, returnedUnits: number) =>
    round(lineValue(line).times(returnedUnits).dividedBy(line.quantity));
  const byId = new Map(order.lines.map((line) => [line.id, line]));
  const amounts = units.map(({ lineId, quantity }) => {
    const line = byId.get(lineId);
    if (!line) throw new Error(`the order has no line ${lineId}`);
    const before = earlier.returned.get(lineId) ?? 0;
    return share(line, before + quantity).minus(share(line, before));
  });
  const after = new Map(earlier.returned);
  for (const { lineId, quantity } of units) after.set(lineId, (after.get(lineId) ?? 0) + quantity);
  const everything = order.lines.every((line) => (after.get(line.id) ?? 0) >= line.quantity);
  const wasEverything = order.lines.every((line) => (earlier.returned.get(line.id) ?? 0) >= line.quantity);
  if (everything && !wasEverything && amounts.length > 0) {
    // What the total holds beyond lines and shipping goes with the last unit back (0 when the service priced the tax).
    const lines = order.lines.reduce((sum, line) => sum.plus(lineValue(line)), ZERO);
    const rest = parseAmount(order.total).minus(parseAmount(order.shippingPart)).minus(lines);
    const last = amounts.length - 1;
    amounts[last] = MoneyDecimal.max(ZERO, (amounts[last] ?? ZERO).plus(rest));
  }
  const shipping = refundShipping && !earlier.shippingRefunded ? parseAmount(order.shippingPart) : ZERO;
  const format = (value: Decimal) => formatAmount(value, order.minorUnits);
  const linesTotal = amounts.reduce((sum, amount) => sum.plus(amount), ZERO);
  return {
    lines: units.map(({ lineId, quantity }, index) => ({ lineId, quantity, amount: format(amounts[index] ?? ZERO) })),
    shippingAmount: format(shipping),
    total: format(linesTotal.plus(shipping)),
  };
}
