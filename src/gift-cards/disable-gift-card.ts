import { create } from "@bufbuild/protobuf";
import { LockMode, type MikroORM } from "@mikro-orm/postgresql";
import {
  DisableGiftCardRequestSchema,
  DisableGiftCardResponseSchema,
  type DisableGiftCardRequest,
  type DisableGiftCardResponse,
} from "../../gen/orders/v1/gift_cards_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { GiftCard } from "./entities/gift-card.js";
import { giftCardDisabled, giftCardEtagMismatch, giftCardNotFound } from "./gift-card-errors.js";
import { giftCardToMessage } from "./gift-card-mapper.js";

/**
 * DisableGiftCard: enabled -> disabled, for good, under the card's row lock (which debits take too, so
 * no order pays with the card once this commits) and its etag.
 */
export class DisableGiftCard {
  constructor(private readonly orm: MikroORM) {}

  execute(principal: Principal, request: DisableGiftCardRequest): Promise<DisableGiftCardResponse> {
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.GiftCardsService/DisableGiftCard",
          DisableGiftCardRequestSchema,
          request,
        )
      : undefined;
    return changeIdempotently(
      this.orm.em.fork(),
      key,
      DisableGiftCardResponseSchema,
      async (tx) => {
        const card = await tx.findOne(
          GiftCard,
          { id: request.id, tenant: principal.tenantId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (!card) throw giftCardNotFound(request.id);
        return card;
      },
      async (tx, card, now) => {
        if (request.etag !== "" && request.etag !== etagOf(card.id, card.version)) {
          throw giftCardEtagMismatch(card.id);
        }
        if (card.disabled) throw giftCardDisabled(card.id);
        card.disabled = true;
        card.updatedAt = now;
        // Flushed first so the answer carries the version (etag) the update produced.
        await tx.flush();
        return create(DisableGiftCardResponseSchema, { giftCard: giftCardToMessage(card) });
      },
    );
  }
}
