import type { PromotionKind } from "../domain/pricing/checkout.js";
import { amountText, valueText } from "./rules/amounts.js";
import type { PromotionDraft } from "./rules/promotion-draft.js";

/**
 * A promotion as read (queries/promotions.ts): its draft — amounts as the contract shows them, so a read
 * promotion is what UpdatePromotion changes — with what only the service sets.
 */
export interface PromotionView extends PromotionDraft {
  id: string;
  kind: PromotionKind;
  usageCount: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The columns every read of a promotion selects, from `promotions` as `p`, as PromotionRow names them. Plain
 * text, json, int and boolean only, so a row reads alike through MikroORM's connection and a caller's own
 * `pg` client (their type parsers differ for numeric, arrays and timestamptz); times are UTC text to the
 * millisecond the service writes them with.
 */
export const PROMOTION_COLUMNS = `p.id, p.display_name as "displayName", p.description, p.kind, p.value::text as value,
  coalesce(p.currency, '') as currency, to_json(p.skus) as skus, to_json(p.product_ids) as "productIds",
  coalesce((select json_agg(pc.code order by pc.position) from promotion_codes pc where pc.promotion_id = p.id), '[]') as codes,
  p.minimum_subtotal::text as "minimumSubtotal", ${utc("p.start_time")} as "startTime", ${utc("p.end_time")} as "endTime",
  p.usage_limit as "usageLimit", p.per_customer_limit as "perCustomerLimit", p.usage_count as "usageCount",
  p.active, p.version, ${utc("p.created_at")} as "createdAt", ${utc("p.updated_at")} as "updatedAt"`;

function utc(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** One promotion as PROMOTION_COLUMNS select it. */
export interface PromotionRow {
  id: string;
  displayName: string;
  description: string;
  kind: PromotionKind;
  value: string | null;
  currency: string;
  skus: string[];
  productIds: string[];
  codes: string[];
  minimumSubtotal: string | null;
  startTime: string | null;
  endTime: string | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  usageCount: number;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function viewOfRow(row: PromotionRow): PromotionView {
  return {
    id: row.id,
    displayName: row.displayName,
    description: row.description,
    kind: row.kind,
    value: valueText(row.kind, row.value, row.currency),
    currency: row.currency,
    skus: row.skus,
    productIds: row.productIds,
    codes: row.codes,
    minimumSubtotal: row.minimumSubtotal === null ? "" : amountText(row.minimumSubtotal, row.currency),
    startTime: row.startTime === null ? undefined : new Date(row.startTime),
    endTime: row.endTime === null ? undefined : new Date(row.endTime),
    usageLimit: row.usageLimit ?? undefined,
    perCustomerLimit: row.perCustomerLimit ?? undefined,
    usageCount: row.usageCount,
    active: row.active,
    version: row.version,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}
