import type { PromotionCandidate, ShippingMethod, TaxConfiguration } from "../../domain/pricing/checkout.js";
import { Parameters, query, type Queryable } from "../../platform/database/query.js";
import {
  promotionCandidatesFromJson,
  promotionCandidatesSql,
  promotionLookupValues,
  type Buyer,
} from "../../promotions/public.js";
import { shippingMethodFromJson, shippingMethodIdValue, shippingMethodSql } from "../../shipping/public.js";
import { taxConfigurationFromRow, taxConfigurationSql, type TaxConfigurationRow } from "../../tax/public.js";

export interface UnlockedLookupsQuery {
  tenantId: string;
  marketId: string | undefined;
  /** The shipping method's id, when the request names one. */
  shippingMethodId: string | undefined;
  couponCodes: readonly string[];
  buyer: Buyer;
}

export interface UnlockedLookups {
  tax: TaxConfiguration | undefined;
  shippingMethod: ShippingMethod | undefined;
  promotions: Map<string, PromotionCandidate>;
}

/**
 * What pricing an order reads besides its lines and gift cards, without locks, in ONE statement (one round trip
 * whatever the request names): the tenant's tax configuration (tax's taxConfigurationSql), the shipping method by
 * id (shipping's shippingMethodSql) and the promotions of the coupon codes with the buyer's uses (promotions'
 * promotionCandidatesSql), each an expression its capability writes and reads back, asked only when the request
 * names it. Each is read exactly as its capability's own query reads it (loadTaxConfiguration, findShippingMethod,
 * findPromotionsForCodes), from the same snapshot.
 */
export async function unlockedCheckoutLookups(db: Queryable, ask: UnlockedLookupsQuery): Promise<UnlockedLookups> {
  const params = new Parameters();
  const { rows } = await query<UnlockedLookupsRow>(
    db,
    `select ${unlockedLookupColumns(params, ask).join(",\n  ")}`,
    params.values,
  );
  // A select without FROM: always exactly one row.
  return unlockedLookupsFromRow(rows[0], ask.marketId);
}

/** What unlockedLookupColumns select. */
export type UnlockedLookupsRow = TaxConfigurationRow & { shippingMethod?: unknown; promotions?: unknown };

/**
 * The columns of unlockedCheckoutLookups' select (zones, settings, "shippingMethod", promotions: json, null where
 * not asked), with their parameters bound to `params`, for a statement of the caller's (queries/order-lookups.ts).
 */
export function unlockedLookupColumns(params: Parameters, ask: UnlockedLookupsQuery): string[] {
  const tenant = `${params.bind(ask.tenantId)}::uuid`;
  const tax = taxConfigurationSql(tenant);
  const method = ask.shippingMethodId ? `${params.bind(shippingMethodIdValue(ask.shippingMethodId))}::uuid` : undefined;
  const promotions = ask.couponCodes.length > 0 ? promotionLookupValues(ask.couponCodes, ask.buyer) : undefined;
  return [
    `${tax.zones} as zones`,
    `${tax.settings} as settings`,
    `${method ? shippingMethodSql(tenant, method) : "null::json"} as "shippingMethod"`,
    `${
      promotions
        ? promotionCandidatesSql(
            tenant,
            `${params.bind(promotions.keys)}::text[]`,
            `${params.bind(promotions.customer)}::text`,
          )
        : "null::json"
    } as promotions`,
  ];
}

/** unlockedLookupColumns' answer, for an order of market `marketId`. */
export function unlockedLookupsFromRow(
  row: UnlockedLookupsRow | undefined,
  marketId: string | undefined,
): UnlockedLookups {
  return {
    tax: taxConfigurationFromRow(row, marketId),
    shippingMethod: shippingMethodFromJson(row?.shippingMethod ?? null),
    promotions: promotionCandidatesFromJson(row?.promotions ?? null),
  };
}
