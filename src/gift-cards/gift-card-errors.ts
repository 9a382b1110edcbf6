import { ServiceError } from "../platform/transport/service-error.js";

/** Other tenants' cards look exactly like missing ones. */
export function giftCardNotFound(giftCardId: string): ServiceError {
  return new ServiceError("not_found", "GIFT_CARD_NOT_FOUND", `gift card ${giftCardId} was not found`, [], {
    giftCardId,
  });
}

/** LookupGiftCard's answer to a wrong code: it says nothing about the code (not even which it was). */
export function giftCardCodeNotFound(): ServiceError {
  return new ServiceError("not_found", "GIFT_CARD_NOT_FOUND", "no gift card has this code");
}

export function giftCardCodeTaken(): ServiceError {
  return new ServiceError("already_exists", "GIFT_CARD_CODE_TAKEN", "another gift card has this code", [], {
    field: "code",
  });
}

export function giftCardDisabled(giftCardId: string): ServiceError {
  return new ServiceError("failed_precondition", "GIFT_CARD_DISABLED", `gift card ${giftCardId} is disabled`, [], {
    giftCardId,
  });
}

export function giftCardEtagMismatch(giftCardId: string): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `gift card ${giftCardId} changed since the given etag was read; read it again`,
    [],
    { giftCardId },
  );
}

/**
 * debitGiftCards (public.ts) could not take an amount from these cards: the balance is short, or the card
 * is disabled, expired or not the tenant's. Orders lock the cards (findGiftCardsForCodes with `lock`)
 * and price against what they read, so this only happens to a caller that did not; the caller's
 * transaction must roll back (the other cards of the call may have been debited).
 */
export class GiftCardDebitFailed extends Error {
  override readonly name = "GiftCardDebitFailed";

  constructor(readonly giftCardIds: readonly string[]) {
    super(`gift cards ${giftCardIds.join(", ")} could not be debited`);
  }
}
