import type { EntityManager } from "@mikro-orm/postgresql";
import type { TaxConfiguration } from "../domain/pricing/checkout.js";
import { Parameters, query, type Queryable } from "../platform/database/query.js";
import { CURSOR_TIME_SQL } from "../platform/pagination/page-request.js";
import type { PageCursor } from "../platform/pagination/page-token.js";
import { taxConfigurationOf, type TaxSettingsValues } from "./rules/tax-settings-rules.js";
import type { TaxZonePlace, TaxZoneValues } from "./rules/tax-zone-rules.js";
import type { TaxZoneView } from "./tax-mapper.js";

// Every SQL statement of tax outside the unit of work's entities.

/**
 * One page of a tenant's zones, oldest first, after `after`, only those of `country` when given: a range
 * scan of tax_zones_tenant_id_created_at_id_index. `limit` rows at most; `cursorTime` is each row's
 * created_at to the microsecond, for the next page token.
 */
export async function selectTaxZonePage(
  em: EntityManager,
  tenantId: string,
  country: string | undefined,
  after: PageCursor | undefined,
  limit: number,
): Promise<(TaxZoneView & { cursorTime: string })[]> {
  const params = new Parameters();
  const where = [`tenant_id = ${params.bind(tenantId)}`];
  if (country !== undefined) where.push(`country = ${params.bind(country)}`);
  if (after) {
    where.push(`(created_at, id) > (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`);
  }
  const { rows } = await query<Omit<TaxZoneView, "createdAt" | "updatedAt"> & RawTimes & { cursorTime: string }>(
    em,
    `select id, display_name as "displayName", country, region, postal_code_prefixes as "postalCodePrefixes", rates,
            version, created_at as "createdAt", updated_at as "updatedAt", ${CURSOR_TIME_SQL} as "cursorTime"
       from tax_zones where ${where.join(" and ")} order by created_at, id limit ${Math.trunc(limit)}`,
    params.values,
  );
  // timestamptz arrives as text through MikroORM's connection; parsed as the ORM parses it.
  const date = (text: string) => em.getPlatform().parseDate(text);
  return rows.map((row) => ({ ...row, createdAt: date(row.createdAt), updatedAt: date(row.updatedAt) }));
}

interface RawTimes {
  createdAt: string;
  updatedAt: string;
}

/** The zone of the tenant other than `exceptZoneId` at `place` (the same country, region and prefixes), if any. */
export async function zoneAt(
  db: Queryable,
  tenantId: string,
  place: TaxZonePlace,
  exceptZoneId: string | undefined,
): Promise<string | undefined> {
  const { rows } = await query<{ id: string }>(
    db,
    `select id from tax_zones
      where tenant_id = $1 and country = $2 and region = $3 and postal_code_prefixes = $4::text[]
        and ($5::uuid is null or id <> $5::uuid)`,
    [tenantId, place.country, place.region, place.postalCodePrefixes, exceptZoneId ?? null],
  );
  return rows[0]?.id;
}

/**
 * Gives the tenant its settings row, with the defaults, unless it has one: what UpdateTaxSettings then locks.
 * Two first updates at once both pass; the second insert waits for the first and does nothing.
 */
export async function ensureTaxSettingsRow(tx: EntityManager, tenantId: string): Promise<void> {
  await query(tx, "insert into tax_settings (tenant_id) values ($1) on conflict (tenant_id) do nothing", [tenantId]);
}

/**
 * The tenant's tax configuration for an order of market `marketId`, in the pricing engine's terms (see
 * taxConfigurationOf): undefined when the tenant has no tax zone. ONE statement (CreateOrder's hot path runs
 * taxConfigurationSql's expressions in its one lookup statement instead).
 */
export async function loadTaxConfiguration(
  db: Queryable,
  tenantId: string,
  marketId: string | undefined,
): Promise<TaxConfiguration | undefined> {
  const params = new Parameters();
  const { zones, settings } = taxConfigurationSql(`${params.bind(tenantId)}::uuid`);
  const { rows } = await query<TaxConfigurationRow>(
    db,
    `select ${zones} as zones, ${settings} as settings`,
    params.values,
  );
  return taxConfigurationFromRow(rows[0], marketId);
}

/**
 * The two expressions a statement selects for the tenant `tenant` (SQL, a uuid) as TaxConfigurationRow's `zones`
 * and `settings`: the zones, oldest first, as one json array through the tenant's prefix of
 * tax_zones_place_unique, and the settings row when there is one.
 */
export function taxConfigurationSql(tenant: string): { zones: string; settings: string } {
  return {
    zones: `(select json_agg(json_build_object('id', z.id, 'displayName', z.display_name, 'country', z.country,
                 'region', z.region, 'postalCodePrefixes', z.postal_code_prefixes, 'rates', z.rates)
               order by z.created_at, z.id)
          from tax_zones z where z.tenant_id = ${tenant})`,
    settings: `(select json_build_object('pricesIncludeTax', s.prices_include_tax, 'marketOverrides', s.market_overrides,
                 'taxShipping', s.tax_shipping, 'shippingTaxCategory', s.shipping_tax_category, 'rounding', s.rounding)
          from tax_settings s where s.tenant_id = ${tenant})`,
  };
}

/** What taxConfigurationSql's expressions select. */
export interface TaxConfigurationRow {
  zones: TaxZoneValues[] | null;
  settings: TaxSettingsValues | null;
}

/** The tax configuration for an order of market `marketId` from taxConfigurationSql's row (undefined: no zone). */
export function taxConfigurationFromRow(
  row: TaxConfigurationRow | undefined,
  marketId: string | undefined,
): TaxConfiguration | undefined {
  return taxConfigurationOf(row?.zones ?? [], row?.settings ?? undefined, marketId);
}
