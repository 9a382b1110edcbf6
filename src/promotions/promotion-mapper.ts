import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { PromotionSchema, type Promotion as PromotionMessage } from "../../gen/orders/v1/promotion_pb.js";
import { etagOf } from "../platform/database/etag.js";
import type { PromotionView } from "./promotion-view.js";
import { kindToMessage } from "./rules/promotion-draft.js";

export function promotionToMessage(promotion: PromotionView): PromotionMessage {
  return create(PromotionSchema, {
    id: promotion.id,
    displayName: promotion.displayName,
    description: promotion.description,
    kind: kindToMessage(promotion.kind),
    value: promotion.value,
    currency: promotion.currency,
    skus: promotion.skus,
    productIds: promotion.productIds,
    codes: promotion.codes,
    minimumSubtotal: promotion.minimumSubtotal,
    startTime: promotion.startTime && timestampFromDate(promotion.startTime),
    endTime: promotion.endTime && timestampFromDate(promotion.endTime),
    usageLimit: promotion.usageLimit,
    perCustomerLimit: promotion.perCustomerLimit,
    usageCount: promotion.usageCount,
    active: promotion.active,
    etag: etagOf(promotion.id, promotion.version),
    createTime: timestampFromDate(promotion.createdAt),
    updateTime: timestampFromDate(promotion.updatedAt),
  });
}
