import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  LookupGiftCardResponseSchema,
  type LookupGiftCardRequest,
  type LookupGiftCardResponse,
} from "../../gen/orders/v1/gift_cards_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { giftCardCodeNotFound } from "./gift-card-errors.js";
import { giftCardToMessage } from "./gift-card-mapper.js";
import { selectGiftCard } from "./queries.js";
import { giftCardCodeHash, normalizeGiftCardCode } from "./rules/gift-card-code.js";

/** LookupGiftCard: the card of the caller's tenant a code belongs to, found by the code's hash. */
export class LookupGiftCard {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: LookupGiftCardRequest): Promise<LookupGiftCardResponse> {
    const normalized = normalizeGiftCardCode(request.code);
    const card =
      normalized === ""
        ? undefined
        : await selectGiftCard(this.orm.em.fork(), principal.tenantId, {
            codeHash: giftCardCodeHash(principal.tenantId, normalized),
          });
    if (!card) throw giftCardCodeNotFound();
    return create(LookupGiftCardResponseSchema, { giftCard: giftCardToMessage(card) });
  }
}
