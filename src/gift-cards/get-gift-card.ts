import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetGiftCardResponseSchema,
  type GetGiftCardRequest,
  type GetGiftCardResponse,
} from "../../gen/orders/v1/gift_cards_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { giftCardNotFound } from "./gift-card-errors.js";
import { giftCardToMessage } from "./gift-card-mapper.js";
import { selectGiftCard } from "./queries.js";

/** GetGiftCard: one card of the caller's tenant, without its code. */
export class GetGiftCard {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetGiftCardRequest): Promise<GetGiftCardResponse> {
    const card = await selectGiftCard(this.orm.em.fork(), principal.tenantId, { id: request.id });
    if (!card) throw giftCardNotFound(request.id);
    return create(GetGiftCardResponseSchema, { giftCard: giftCardToMessage(card) });
  }
}
