import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import {
  CreatePromotionRequestSchema,
  CreatePromotionResponseSchema,
  type CreatePromotionRequest,
  type CreatePromotionResponse,
} from "../../gen/orders/v1/promotions_service_pb.js";
import { fieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { idempotently, recordResponse } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { Promotion } from "./entities/promotion.js";
import { answeringCodeWinner, checkedDraft, claimCodes, keyOf, promotionMessage, rowOf } from "./promotion-writes.js";
import { draftOf, timestampNanosViolations } from "./rules/promotion-draft.js";

/** CreatePromotion: the promotion, its codes and, with a request_id, its idempotency record, in one transaction. */
export class CreatePromotion {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: CreatePromotionRequest): Promise<CreatePromotionResponse> {
    const given = request.promotion;
    if (!given) throw ServiceError.invalidArgument([fieldViolation("promotion", "REQUIRED", "is required")]);
    const times = timestampNanosViolations(given);
    if (times.length > 0) throw ServiceError.invalidArgument(times);
    const { tenantId } = principal;
    const key = keyOf(principal, "orders.v1.PromotionsService/CreatePromotion", CreatePromotionRequestSchema, request);
    const em = this.orm.em.fork();
    return idempotently(em, key, CreatePromotionResponseSchema, async () => {
      const draft = checkedDraft(draftOf(given));
      return answeringCodeWinner(this.orm, key, CreatePromotionResponseSchema, () =>
        em.fork().transactional(async (tx) => {
          const now = new Date();
          const promotion = tx.create(Promotion, {
            ...rowOf(draft),
            id: randomUUID(),
            tenant: tenantId,
            usageCount: 0,
            createdAt: now,
            updatedAt: now,
          });
          // Flushed first: the codes refer to the row.
          await tx.flush();
          await claimCodes(tx, tenantId, promotion.id, draft.codes);
          const response = create(CreatePromotionResponseSchema, {
            promotion: await promotionMessage(tx, tenantId, promotion.id),
          });
          if (key) recordResponse(tx, key, CreatePromotionResponseSchema, response, now);
          return response;
        }),
      );
    });
  }
}
