import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate } from "../../../src/domain/pricing/allocation.js";
import { MoneyDecimal, type Decimal } from "../../../src/money/money.js";

const d = (text: string): Decimal => new MoneyDecimal(text);
const texts = (values: Decimal[], minorUnits: number): string[] => values.map((value) => value.toFixed(minorUnits));

describe("allocate: largest remainder, exactly", () => {
  it("splits 10.00 over three equal lines as 3.34 + 3.33 + 3.33 (the extra cent to the first tied line)", () => {
    expect(texts(allocate(d("10"), [d("30"), d("30"), d("30")], 2), 2)).toEqual(["3.34", "3.33", "3.33"]);
  });

  it("splits in proportion to the weights", () => {
    expect(texts(allocate(d("6"), [d("10"), d("20"), d("30")], 2), 2)).toEqual(["1.00", "2.00", "3.00"]);
    expect(texts(allocate(d("1"), [d("1"), d("2")], 2), 2)).toEqual(["0.33", "0.67"]);
  });

  it("gives the leftover units to the largest remainders, whatever the line order", () => {
    // Quotas 0.255 / 0.745 of 1.00 cents: 25.5 and 74.5 units, tie; 74 is even, 25 odd: 25 becomes 26.
    expect(texts(allocate(d("1"), [d("25.5"), d("74.5")], 2), 2)).toEqual(["0.26", "0.74"]);
    expect(texts(allocate(d("1"), [d("74.5"), d("25.5")], 2), 2)).toEqual(["0.74", "0.26"]);
    // Quotas 0.333.. / 0.666..: remainders 1/3 and 2/3 of a unit: the larger remainder wins.
    expect(texts(allocate(d("0.02"), [d("1"), d("2")], 2), 2)).toEqual(["0.01", "0.01"]);
  });

  it("breaks a tie toward the share that becomes even, like HALF_EVEN, then toward the lower index", () => {
    // 0.05 over two equal lines: 2.5 units each, tie; both shares 2 (even): the first line gets the unit.
    expect(texts(allocate(d("0.05"), [d("1"), d("1")], 2), 2)).toEqual(["0.03", "0.02"]);
    // 0.03 over two equal lines: 1.5 units each, both odd: the first becomes even.
    expect(texts(allocate(d("0.03"), [d("1"), d("1")], 2), 2)).toEqual(["0.02", "0.01"]);
    // Shares 1.5 and 2.5 units (same remainder): the odd share 1 gets the unit and becomes 2.
    expect(texts(allocate(d("0.04"), [d("3"), d("5")], 2), 2)).toEqual(["0.02", "0.02"]);
  });

  it("works in the currency's minor units: JPY whole yen, KWD thousandths, CLF ten-thousandths", () => {
    expect(texts(allocate(d("100"), [d("1"), d("1"), d("1")], 0), 0)).toEqual(["34", "33", "33"]);
    expect(texts(allocate(d("0.001"), [d("5"), d("5")], 3), 3)).toEqual(["0.001", "0.000"]);
    expect(texts(allocate(d("1.0001"), [d("1"), d("1")], 4), 4)).toEqual(["0.5001", "0.5000"]);
  });

  it("gives zero shares for a zero amount, even over zero weights", () => {
    expect(texts(allocate(d("0"), [d("0"), d("0")], 2), 2)).toEqual(["0.00", "0.00"]);
    expect(allocate(d("0"), [], 2)).toEqual([]);
  });

  it("never gives a share to a weight of zero", () => {
    expect(texts(allocate(d("5"), [d("0"), d("5"), d("0")], 2), 2)).toEqual(["0.00", "5.00", "0.00"]);
  });

  it("may split more than the weights (tax over bases) and still sums exactly", () => {
    expect(texts(allocate(d("3.01"), [d("1"), d("1")], 2), 2)).toEqual(["1.51", "1.50"]);
  });

  it("refuses, as a bug of its caller, a non-zero amount over zero weights or a fraction of a minor unit", () => {
    expect(() => allocate(d("1"), [d("0")], 2)).toThrow(RangeError);
    expect(() => allocate(d("0.001"), [d("1")], 2)).toThrow(RangeError);
    expect(() => allocate(d("1"), [d("0.001")], 2)).toThrow(RangeError);
  });
});

describe("allocate: properties", () => {
  const units = (minorUnits: number) =>
    fc.bigInt({ min: 0n, max: 10n ** 12n }).map((n) => new MoneyDecimal(n.toString()).dividedBy(10 ** minorUnits));

  it("sums exactly to the amount, each share a whole number of minor units within one unit of its exact quota", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 4 })
          .chain((minorUnits) =>
            fc.tuple(
              fc.constant(minorUnits),
              fc.array(units(minorUnits), { minLength: 1, maxLength: 12 }),
              units(minorUnits),
            ),
          ),
        ([minorUnits, weights, wanted]) => {
          const total = weights.reduce((sum, weight) => sum.plus(weight), new MoneyDecimal(0));
          fc.pre(!total.isZero());
          const amount = wanted.greaterThan(total) ? total : wanted;
          const shares = allocate(amount, weights, minorUnits);
          const unit = new MoneyDecimal(10).pow(-minorUnits);
          expect(shares.reduce((sum, share) => sum.plus(share), new MoneyDecimal(0)).toString()).toBe(
            amount.toString(),
          );
          shares.forEach((share, index) => {
            const weight = weights[index] ?? new MoneyDecimal(0);
            const quota = amount.times(weight).dividedBy(total);
            expect(share.dividedBy(unit).isInteger()).toBe(true);
            expect(share.isNegative()).toBe(false);
            expect(share.lessThanOrEqualTo(weight)).toBe(true);
            expect(share.minus(quota).abs().lessThan(unit)).toBe(true);
          });
          expect(texts(allocate(amount, weights, minorUnits), minorUnits)).toEqual(texts(shares, minorUnits));
        },
      ),
      { numRuns: 200 },
    );
  });
});
