import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  DeactivatePromotionRequestSchema,
  DeactivatePromotionResponseSchema,
  type DeactivatePromotionRequest,
  type DeactivatePromotionResponse,
} from "../../gen/orders/v1/promotions_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { promotionInactive } from "./promotion-errors.js";
import { changePromotion } from "./promotion-writes.js";

/** DeactivatePromotion (AIP-136): active -> inactive under the row lock and etag; its codes stay reserved. */
export class DeactivatePromotion {
  constructor(private readonly orm: MikroORM) {}

  execute(principal: Principal, request: DeactivatePromotionRequest): Promise<DeactivatePromotionResponse> {
    const call = {
      procedure: "orders.v1.PromotionsService/DeactivatePromotion",
      requestSchema: DeactivatePromotionRequestSchema,
      request,
      promotionId: request.id,
      etag: request.etag,
      responseSchema: DeactivatePromotionResponseSchema,
      respond: (promotion: DeactivatePromotionResponse["promotion"]) =>
        create(DeactivatePromotionResponseSchema, { promotion }),
    };
    return changePromotion(this.orm, principal, call, (_tx, promotion) => {
      if (!promotion.active) throw promotionInactive(promotion.id);
      promotion.active = false;
      return Promise.resolve();
    });
  }
}
