import { defineEntity, p } from "@mikro-orm/core";
import type { PromotionKind } from "../../domain/pricing/checkout.js";
import { createdAt, money, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";

/**
 * `promotions`: a discount of a tenant that buyers get with one of its codes (`promotion_codes`). `kind`
 * holds the pricing engine's PromotionKind as is. `value` is the percent of the percentage kinds or the
 * amount of the fixed kinds (null for free shipping), `currency` null when the promotion takes any.
 * `usage_count` is how many unreleased redemptions (`promotion_redemptions`) it has: counted in the
 * order's transaction under this row's lock (queries/redemptions.ts), and not a change of the promotion
 * (it moves neither `version`, the etag, nor `updated_at`).
 */
export const PromotionSchema = defineEntity({
  name: "Promotion",
  tableName: "promotions",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    displayName: p.text(),
    description: p.text().default(""),
    kind: p.text().$type<PromotionKind>(),
    value: money().nullable(),
    currency: p.text().nullable(),
    skus: p.array().defaultRaw("'{}'"),
    productIds: p.array().defaultRaw("'{}'"),
    minimumSubtotal: money().nullable(),
    startTime: p.datetime().nullable(),
    endTime: p.datetime().nullable(),
    usageLimit: p.integer().nullable(),
    perCustomerLimit: p.integer().nullable(),
    usageCount: p.integer().default(0),
    active: p.boolean(),
    version: p.integer().version(),
    ...createdAt,
    // Set by each change to the time of that change (promotion-writes.ts), not by redemptions.
    updatedAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
  },
  checks: [
    {
      name: "promotions_kind_check",
      expression:
        "kind in ('ORDER_PERCENTAGE', 'ORDER_FIXED_AMOUNT', 'ITEM_PERCENTAGE', 'ITEM_FIXED_AMOUNT', 'FREE_SHIPPING')",
    },
    { name: "promotions_usage_count_check", expression: "usage_count >= 0" },
  ],
  indexes: [
    // ListPromotions: newest first per tenant, `id` breaks ties; one more with the active filter in front.
    // Raw expressions for the reason the orders' listing indexes give (introspection misreads `id desc`).
    {
      name: "promotions_tenant_id_created_at_id_index",
      expression:
        "create index promotions_tenant_id_created_at_id_index on promotions (tenant_id, created_at desc, id desc)",
    },
    {
      name: "promotions_tenant_id_active_created_at_id_index",
      expression:
        "create index promotions_tenant_id_active_created_at_id_index on promotions (tenant_id, active, created_at desc, id desc)",
    },
  ],
});

export class Promotion extends PromotionSchema.class {}

PromotionSchema.setClass(Promotion);
