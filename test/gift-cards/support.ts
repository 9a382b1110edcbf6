import type { GiftCard } from "../../gen/orders/v1/gift_card_pb.js";

/** The card of an answer that must carry one. */
export function cardOf(response: { giftCard?: GiftCard }): GiftCard {
  if (!response.giftCard) throw new Error("no gift card in the response");
  return response.giftCard;
}

/** Codes the service draws: four groups of four characters without look-alikes. */
export const DRAWN_CODE = /^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/;
