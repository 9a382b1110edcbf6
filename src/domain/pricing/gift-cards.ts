/**
 * Gift cards pay what they can of the total, in the order the buyer gave them. Why a wrong card is fatal when a
 * wrong coupon is not: paying with the card was the buyer's intent, so placing the order without it would charge
 * them more than they meant to pay (issue 12, section 5). A card's balance is rounded down to the currency, so a
 * card never pays more than it holds.
 */
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { ZERO, type Decimal } from "../../money/money.js";
import { configDecimal, minDecimal, roundMoneyDown } from "./amounts.js";
import type { GiftCardCandidate, GiftCardInput } from "./checkout.js";
import { CheckoutReason } from "./reasons.js";

export interface UsableGiftCard {
  index: number;
  card: GiftCardCandidate;
  balance: Decimal;
}

export interface GiftCardCharge {
  index: number;
  card: GiftCardCandidate;
  amount: Decimal;
}

/** The cards that can pay, in the order given; every other card is a violation at gift_card_codes[i]. */
export function readGiftCards(
  inputs: readonly GiftCardInput[],
  order: { currency: string; minorUnits: number | undefined; now: Date },
  violations: FieldViolation[],
): UsableGiftCard[] {
  const usable: UsableGiftCard[] = [];
  const firstIndexOf = new Map<string, number>();
  inputs.forEach(({ card }, index) => {
    const earlier = card === undefined ? undefined : firstIndexOf.get(card.id);
    if (card !== undefined && earlier === undefined) firstIndexOf.set(card.id, index);
    const failure = giftCardFailure(card, earlier, order);
    if (failure !== undefined) {
      violations.push(fieldViolation(`gift_card_codes[${index}]`, failure.reason, failure.message));
    } else if (card !== undefined) {
      const balance = configDecimal(card.balance, `gift card ${card.id} balance`);
      usable.push({ index, card, balance: roundMoneyDown(balance, order.minorUnits ?? 4) });
    }
  });
  return usable;
}

/** Why the card cannot pay, in the documented order of checks, or undefined. */
function giftCardFailure(
  card: GiftCardCandidate | undefined,
  earlierIndex: number | undefined,
  order: { currency: string; now: Date },
): { reason: CheckoutReason; message: string } | undefined {
  if (card === undefined) return { reason: CheckoutReason.GIFT_CARD_NOT_FOUND, message: "no gift card has this code" };
  const ending = `gift card ending ${card.lastCharacters}`;
  if (card.disabled) return { reason: CheckoutReason.GIFT_CARD_DISABLED, message: `${ending} is disabled` };
  if (card.expireTime !== undefined && card.expireTime.getTime() <= order.now.getTime()) {
    const message = `${ending} expired at ${card.expireTime.toISOString()}`;
    return { reason: CheckoutReason.GIFT_CARD_EXPIRED, message };
  }
  if (card.currency !== order.currency) {
    const message = `${ending} holds ${card.currency}; the order is in ${order.currency}`;
    return { reason: CheckoutReason.GIFT_CARD_CURRENCY_MISMATCH, message };
  }
  if (earlierIndex !== undefined) {
    const message = `${ending} is already given as gift_card_codes[${earlierIndex}]`;
    return { reason: CheckoutReason.GIFT_CARD_DUPLICATE, message };
  }
  return undefined;
}

/** Each card pays min(balance, what is left of the total); a card that pays nothing is left out. */
export function payWithGiftCards(cards: readonly UsableGiftCard[], total: Decimal): GiftCardCharge[] {
  const charges: GiftCardCharge[] = [];
  let left = total;
  for (const { index, card, balance } of cards) {
    const amount = minDecimal(balance, left);
    if (amount.lessThanOrEqualTo(ZERO)) continue;
    left = left.minus(amount);
    charges.push({ index, card, amount });
  }
  return charges;
}
