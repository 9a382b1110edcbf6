import { MoneyDecimal, parseAmount, ZERO, type Decimal } from "../../money/money.js";

/** An amount to take from or give back to one gift card: a canonical decimal string (money/money.ts). */
export interface GiftCardAmount {
  giftCardId: string;
  amount: string;
}

/**
 * One change per card: the amounts of each card added up, in order of card id, cards whose amounts add
 * up to 0 left out (an order that paid nothing with a card has nothing to debit or give back). An
 * amount that is not a canonical decimal is a caller's bug: RangeError, like parseAmount.
 */
export function changesPerCard(amounts: readonly GiftCardAmount[]): GiftCardAmount[] {
  const sums = new Map<string, Decimal>();
  for (const { giftCardId, amount } of amounts) {
    sums.set(giftCardId, (sums.get(giftCardId) ?? ZERO).plus(parseAmount(amount)));
  }
  return [...sums]
    .filter(([, sum]) => sum.greaterThan(ZERO))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([giftCardId, sum]) => ({ giftCardId, amount: new MoneyDecimal(sum).toString() }));
}
