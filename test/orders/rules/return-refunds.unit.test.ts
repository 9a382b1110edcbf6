import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAmount, parseAmount, ZERO } from "../../../src/money/money.js";
import {
  lineValue,
  returnRefund,
  type RefundableOrder,
  type ReturnRefund,
} from "../../../src/orders/rules/return-refunds.js";

/** docs/lifecycle.md's worked example: 2 x 40.00 and 1 x 20.00, 10 % off, New York City tax, UPS Ground taxed. */
const EXAMPLE: RefundableOrder = {
  minorUnits: 2,
  total: "107.77",
  shippingPart: "9.78",
  lines: [
    { id: "a", quantity: 2, lineTotal: "80.00", discountTotal: "8.00", additionalTax: "6.39" },
    { id: "b", quantity: 1, lineTotal: "20.00", discountTotal: "2.00", additionalTax: "1.60" },
  ],
};
const NONE = { returned: new Map<string, number>(), shippingRefunded: false };

describe("returnRefund", () => {
  it("one of two discounted, taxed units: half the line's value, rounded half-to-even", () => {
    expect(returnRefund(EXAMPLE, NONE, [{ lineId: "a", quantity: 1 }], false)).toEqual({
      lines: [{ lineId: "a", quantity: 1, amount: "39.20" }],
      shippingAmount: "0.00",
      total: "39.20",
    });
  });

  it("the other unit later refunds the rest of the line, to the cent", () => {
    const second = returnRefund(
      EXAMPLE,
      { returned: new Map([["a", 1]]), shippingRefunded: false },
      [{ lineId: "a", quantity: 1 }],
      false,
    );
    expect(second.total).toBe("39.19");
    expect(
      lineValue(
        EXAMPLE.lines[0] ?? { id: "", quantity: 1, lineTotal: "0", discountTotal: "0", additionalTax: "0" },
      ).toFixed(2),
    ).toBe("78.39");
  });

  it("shipping is refunded when asked, once", () => {
    const first = returnRefund(EXAMPLE, NONE, [{ lineId: "b", quantity: 1 }], true);
    expect(first).toMatchObject({ shippingAmount: "9.78", total: "29.38" });
    const again = returnRefund(
      EXAMPLE,
      { returned: new Map([["b", 1]]), shippingRefunded: true },
      [{ lineId: "a", quantity: 2 }],
      true,
    );
    expect(again).toMatchObject({ shippingAmount: "0.00", total: "78.39" });
  });

  it("what the total holds beyond lines and shipping goes with the last unit back", () => {
    // The request's own tax_total of 9.00 where the lines say 7.98: 1.02 more on the order.
    const order = { ...EXAMPLE, total: "108.79" };
    const first = returnRefund(order, NONE, [{ lineId: "a", quantity: 2 }], false);
    expect(first.total).toBe("78.39");
    const last = returnRefund(
      order,
      { returned: new Map([["a", 2]]), shippingRefunded: false },
      [{ lineId: "b", quantity: 1 }],
      false,
    );
    expect(last.total).toBe("20.62");
  });
});

/** A random order whose parts add up as the pricing engine makes them (total = lines + shipping part + rest >= 0). */
const orders = fc
  .record({
    minorUnits: fc.constantFrom(0, 2, 3),
    lines: fc.array(
      fc.record({
        quantity: fc.integer({ min: 1, max: 7 }),
        cents: fc.integer({ min: 0, max: 500_000 }),
        discountShare: fc.integer({ min: 0, max: 100 }),
        taxCents: fc.integer({ min: 0, max: 50_000 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    shippingCents: fc.integer({ min: 0, max: 5_000 }),
    restCents: fc.integer({ min: 0, max: 300 }),
  })
  .map(({ minorUnits, lines, shippingCents, restCents }): RefundableOrder => {
    const money = (cents: number) => formatAmount(parseAmount(String(cents)).dividedBy(100), minorUnits);
    const refundable = lines.map((line, index) => ({
      id: `l${index}`,
      quantity: line.quantity,
      lineTotal: money(line.cents),
      discountTotal: money(Math.floor((line.cents * line.discountShare) / 100)),
      additionalTax: money(line.taxCents),
    }));
    const linesValue = refundable.reduce((sum, line) => sum.plus(lineValue(line)), ZERO);
    const shippingPart = money(shippingCents);
    const total = linesValue.plus(parseAmount(shippingPart)).plus(parseAmount(money(restCents)));
    return { minorUnits, total: formatAmount(total, minorUnits), shippingPart, lines: refundable };
  });

/** Every unit returned in random portions, shipping asked for by some returns: the refunds of each return. */
function returnEverything(order: RefundableOrder, cuts: number[], shippingAsks: boolean[]): ReturnRefund[] {
  const returned = new Map<string, number>();
  let shippingRefunded = false;
  const refunds: ReturnRefund[] = [];
  let step = 0;
  while (order.lines.some((line) => (returned.get(line.id) ?? 0) < line.quantity)) {
    const units = order.lines.flatMap((line) => {
      const left = line.quantity - (returned.get(line.id) ?? 0);
      const take = Math.min(left, 1 + ((cuts[step] ?? left) % left));
      return left > 0 ? [{ lineId: line.id, quantity: take }] : [];
    });
    const asks = shippingAsks[step] ?? false;
    refunds.push(returnRefund(order, { returned, shippingRefunded }, units, asks));
    for (const { lineId, quantity } of units) returned.set(lineId, (returned.get(lineId) ?? 0) + quantity);
    shippingRefunded ||= asks;
    step += 1;
  }
  return refunds;
}

const sum = (refunds: ReturnRefund[], pick: (refund: ReturnRefund) => string) =>
  refunds.reduce((total, refund) => total.plus(parseAmount(pick(refund))), ZERO);

describe("returnRefund properties", () => {
  it("returning everything refunds exactly the total less shipping, or the total when shipping is refunded", () => {
    fc.assert(
      fc.property(orders, fc.array(fc.nat(10)), fc.array(fc.boolean()), (order, cuts, asks) => {
        const refunds = returnEverything(order, cuts, asks);
        const shipping = sum(refunds, (refund) => refund.shippingAmount);
        const expected = parseAmount(order.total).minus(parseAmount(order.shippingPart)).plus(shipping);
        expect(sum(refunds, (refund) => refund.total).equals(expected)).toBe(true);
        // The shipping part at most once, exactly when some return asked for it.
        const asked = refunds.some((refund) => refund.shippingAmount !== formatAmount(ZERO, order.minorUnits));
        expect(shipping.equals(asked ? parseAmount(order.shippingPart) : ZERO)).toBe(true);
      }),
    );
  });

  it("every amount is non-negative, in the currency's minor units, and a return's lines and shipping add up", () => {
    fc.assert(
      fc.property(orders, fc.array(fc.nat(10)), fc.array(fc.boolean()), (order, cuts, asks) => {
        for (const refund of returnEverything(order, cuts, asks)) {
          const amounts = [...refund.lines.map((line) => line.amount), refund.shippingAmount, refund.total];
          for (const amount of amounts) {
            expect(parseAmount(amount).isNegative() && !parseAmount(amount).isZero()).toBe(false);
            expect(amount).toBe(formatAmount(parseAmount(amount), order.minorUnits));
          }
          const parts = sum([refund], (r) => r.shippingAmount).plus(
            refund.lines.reduce((total, line) => total.plus(parseAmount(line.amount)), ZERO),
          );
          expect(parts.equals(parseAmount(refund.total))).toBe(true);
        }
      }),
    );
  });

  it("a line's units refund the same in one return as in several", () => {
    fc.assert(
      fc.property(orders, fc.array(fc.nat(10)), (order, cuts) => {
        const lines = sum(returnEverything(order, cuts, []), (refund) => refund.total);
        const atOnce = returnRefund(
          order,
          NONE,
          order.lines.map((line) => ({ lineId: line.id, quantity: line.quantity })),
          false,
        );
        expect(lines.equals(parseAmount(atOnce.total))).toBe(true);
      }),
    );
  });
});
