import { defineEntity, p } from "@mikro-orm/core";
import { createdAt, money, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Promotion } from "./promotion.js";

/**
 * `promotion_redemptions`: one use of a promotion by an order (written in the order's transaction by
 * queries/redemptions.ts, which keeps `promotions.usage_count` equal to the unreleased ones). `order_id` is
 * the order's id, without a foreign key: orders are another capability's table. `customer_key` is who
 * used it, for the per-customer limit: the customer's id, or "email:" and the guest's e-mail in lower case.
 * `released_at` is set when the order is canceled and the use given back.
 */
export const PromotionRedemptionSchema = defineEntity({
  name: "PromotionRedemption",
  tableName: "promotion_redemptions",
  properties: {
    ...uuidPrimaryKey,
    tenantId: p.uuid(),
    promotion: () => p.manyToOne(Promotion).index(false),
    orderId: p.uuid(),
    code: p.text(),
    customerKey: p.text(),
    amount: money(),
    ...createdAt,
    releasedAt: p.datetime().nullable(),
  },
  indexes: [
    // Releasing an order's redemptions (an order is canceled).
    { name: "promotion_redemptions_tenant_id_order_id_index", properties: ["tenantId", "orderId"] },
    // A buyer's unreleased uses of a promotion (the per-customer limit).
    {
      name: "promotion_redemptions_tenant_id_promotion_id_customer_key_index",
      expression:
        "create index promotion_redemptions_tenant_id_promotion_id_customer_key_index on promotion_redemptions (tenant_id, promotion_id, customer_key) where released_at is null",
    },
  ],
});

export class PromotionRedemption extends PromotionRedemptionSchema.class {}

PromotionRedemptionSchema.setClass(PromotionRedemption);
