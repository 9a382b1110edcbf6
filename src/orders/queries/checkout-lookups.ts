import type { PromotionCandidate, ShippingMethod, TaxConfiguration } from "../../domain/pricing/checkout.js";
import { Parameters, query, type Queryable } from "../../platform/database/query.js";
import { promotionCandidatesFromJson, promotionCandidatesSql, type Buyer } from "../../promotions/public.js";
import { shippingMethodFromJson, shippingMethodSql } from "../../shipping/public.js";
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
  const tenant = `${params.bind(ask.tenantId)}::uuid`;
  const tax = taxConfigurationSql(tenant);
  const columns = [`${tax.zones} as zones`, `${tax.settings} as settings`];
  if (ask.shippingMethodId) {
    columns.push(`${shippingMethodSql(params, tenant, ask.shippingMethodId)} as "shippingMethod"`);
  }
  if (ask.couponCodes.length > 0) {
    columns.push(`${promotionCandidatesSql(params, tenant, ask.couponCodes, ask.buyer)} as promotions`);
  }
  const { rows } = await query<TaxConfigurationRow & { shippingMethod?: unknown; promotions?: unknown }>(
    db,
    `select ${columns.join(",\n  ")}`,
    params.values,
  );
  // A select without FROM: always exactly one row.
  const row = rows[0];
  return {
    tax: taxConfigurationFromRow(row, ask.marketId),
    shippingMethod: shippingMethodFromJson(row?.shippingMethod ?? null),
    promotions: promotionCandidatesFromJson(row?.promotions ?? null),
  };
}
