import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MoneyDecimal } from "../../../src/money/money.js";
import { changesPerCard } from "../../../src/gift-cards/rules/balance-changes.js";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";

describe("changesPerCard", () => {
  it("adds up the amounts of each card, in card id order, leaving out cards with nothing", () => {
    expect(
      changesPerCard([
        { giftCardId: B, amount: "10.50" },
        { giftCardId: A, amount: "0" },
        { giftCardId: B, amount: "0.5" },
      ]),
    ).toEqual([{ giftCardId: B, amount: "11" }]);
    expect(changesPerCard([])).toEqual([]);
  });

  it("throws on an amount that is not a canonical decimal (a caller's bug)", () => {
    expect(() => changesPerCard([{ giftCardId: A, amount: "-1" }])).toThrow(RangeError);
    expect(() => changesPerCard([{ giftCardId: A, amount: "1e3" }])).toThrow(RangeError);
  });

  it("keeps the total exactly", () => {
    const amount = fc
      .tuple(fc.nat(999_999), fc.nat(9_999))
      .map(([units, fraction]) => `${units}.${String(fraction).padStart(4, "0")}`);
    fc.assert(
      fc.property(fc.array(fc.record({ card: fc.constantFrom(A, B), amount })), (entries) => {
        const changes = changesPerCard(entries.map((e) => ({ giftCardId: e.card, amount: e.amount })));
        const total = (list: { amount: string }[]) =>
          list.reduce((sum, e) => sum.plus(e.amount), new MoneyDecimal(0)).toString();
        expect(total(changes)).toBe(total(entries));
        expect(new Set(changes.map((c) => c.giftCardId)).size).toBe(changes.length);
      }),
    );
  });
});
