import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetPromotionResponseSchema,
  type GetPromotionRequest,
  type GetPromotionResponse,
} from "../../gen/orders/v1/promotions_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { promotionNotFound } from "./promotion-errors.js";
import { promotionToMessage } from "./promotion-mapper.js";
import { selectPromotions } from "./queries/promotions.js";

/** GetPromotion: one promotion of the caller's tenant; other tenants' promotions look exactly like missing ones. */
export class GetPromotion {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetPromotionRequest): Promise<GetPromotionResponse> {
    const [promotion] = await selectPromotions(this.orm.em.fork(), principal.tenantId, [request.id]);
    if (!promotion) throw promotionNotFound(request.id);
    return create(GetPromotionResponseSchema, { promotion: promotionToMessage(promotion) });
  }
}
