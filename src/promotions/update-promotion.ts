import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  UpdatePromotionRequestSchema,
  UpdatePromotionResponseSchema,
  type UpdatePromotionRequest,
  type UpdatePromotionResponse,
} from "../../gen/orders/v1/promotions_service_pb.js";
import { fieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { resourceIdViolations, updateMaskPaths } from "../platform/transport/update-mask.js";
import { changePromotion, checkedDraft, claimCodes, rowOf } from "./promotion-writes.js";
import { deleteCodes } from "./queries/promotions.js";
import { timestampNanosViolations, UPDATABLE_PATHS, updatedDraft } from "./rules/promotion-draft.js";

/**
 * UpdatePromotion (AIP-134): sets the fields named in update_mask from the given promotion under its row
 * lock and etag; the promotion as changed must keep every rule (the kind ties value, currency and items
 * together). Naming `codes` replaces the promotion's codes, still unique in the tenant.
 */
export class UpdatePromotion {
  constructor(private readonly orm: MikroORM) {}

  execute(principal: Principal, request: UpdatePromotionRequest): Promise<UpdatePromotionResponse> {
    const changes = request.promotion;
    if (!changes) throw ServiceError.invalidArgument([fieldViolation("promotion", "REQUIRED", "is required")]);
    const mask = updateMaskPaths(request.updateMask?.paths ?? [], UPDATABLE_PATHS);
    const violations = [
      ...timestampNanosViolations(changes),
      ...resourceIdViolations("promotion.id", changes.id),
      ...(mask.ok ? [] : mask.violations),
    ];
    if (!mask.ok || violations.length > 0) throw ServiceError.invalidArgument(violations);
    const { paths } = mask;

    const call = {
      procedure: "orders.v1.PromotionsService/UpdatePromotion",
      requestSchema: UpdatePromotionRequestSchema,
      request,
      promotionId: changes.id,
      etag: changes.etag,
      responseSchema: UpdatePromotionResponseSchema,
      respond: (promotion: UpdatePromotionResponse["promotion"]) =>
        create(UpdatePromotionResponseSchema, { promotion }),
    };
    return changePromotion(this.orm, principal, call, async (tx, promotion, current) => {
      const draft = checkedDraft(updatedDraft(current, changes, paths));
      Object.assign(promotion, rowOf(draft));
      if (paths.includes("codes")) {
        await deleteCodes(tx, principal.tenantId, promotion.id);
        await claimCodes(tx, principal.tenantId, promotion.id, draft.codes);
      }
    });
  }
}
