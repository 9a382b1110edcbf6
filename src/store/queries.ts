import type { EntityManager } from "@mikro-orm/postgresql";
import { Parameters, query, type Queryable } from "../platform/database/query.js";
import { CURSOR_TIME_SQL } from "../platform/pagination/page-request.js";
import type { PageCursor } from "../platform/pagination/page-token.js";
import type { AddressRecord } from "../addresses/address.js";

/** All the store's SQL outside the unit of work. */

/** The store's tables a List call pages through (never a client's text). */
export type StoreTable = "markets" | "sales_channels" | "stock_locations";

/**
 * Ids of one page of a tenant's rows, oldest first: one range scan of the (tenant_id, created_at, id)
 * index starting after `after`; `cursorTime` is each row's created_at to the microsecond, for the next
 * page token. `limit` rows at most.
 */
export async function selectPage(
  em: EntityManager,
  table: StoreTable,
  tenantId: string,
  after: PageCursor | undefined,
  limit: number,
): Promise<{ id: string; cursorTime: string }[]> {
  const params = new Parameters();
  const where = [`tenant_id = ${params.bind(tenantId)}`];
  if (after) {
    where.push(`(created_at, id) > (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`);
  }
  const { rows } = await query<{ id: string; cursorTime: string }>(
    em,
    `select id, ${CURSOR_TIME_SQL} as "cursorTime" from ${table} where ${where.join(" and ")}
       order by created_at, id limit ${Math.trunc(limit)}`,
    params.values,
  );
  return rows;
}

/**
 * The markets of the tenant other than `exceptMarketId` that hold any of `countries`, by country: who
 * stands in the way of a market taking them.
 */
export async function countryHolders(
  db: Queryable,
  tenantId: string,
  countries: readonly string[],
  exceptMarketId: string | undefined,
): Promise<{ country: string; marketId: string }[]> {
  const { rows } = await query<{ country: string; marketId: string }>(
    db,
    `select country, market_id as "marketId" from market_countries
      where tenant_id = $1 and country = any($2::text[]) and ($3::uuid is null or market_id <> $3::uuid)
      order by country`,
    [tenantId, countries, exceptMarketId ?? null],
  );
  return rows;
}

/**
 * Serialises the writes of one tenant's sales channels until the transaction ends, so "exactly one
 * primary" holds however creates and updates interleave: each sees the primary channel the previous one
 * left. A transaction-scoped advisory lock, because a tenant's first channel has no row to lock yet.
 */
export async function lockSalesChannels(tx: EntityManager, tenantId: string): Promise<void> {
  await query(tx, "select pg_advisory_xact_lock(hashtextextended($1, 0))", [`orderspine.sales_channels:${tenantId}`]);
}

/** A market as an order sees it (public.ts). */
export interface MarketSummary {
  id: string;
  name: string;
  /** ISO 4217. */
  currency: string;
  /** ISO 3166-1 alpha-2, in alphabetical order. */
  countries: string[];
  /** Canonical BCP 47 tag. */
  defaultLocale: string;
}

/** A sales channel as an order sees it (public.ts). */
export interface SalesChannelSummary {
  id: string;
  name: string;
  primary: boolean;
}

/** A stock location as an order sees it (public.ts). */
export interface StockLocationSummary {
  id: string;
  name: string;
  address: AddressRecord;
  active: boolean;
}

/** The row STORE_REFERENCES_SQL returns: null where the id is not given or names nothing of the tenant. */
export interface StoreReferencesRow {
  market: MarketSummary | null;
  salesChannel: SalesChannelSummary | null;
  stockLocation: StockLocationSummary | null;
  /** The tenant's primary sales channel; null when it has no channel. */
  primarySalesChannel: SalesChannelSummary | null;
}

const SALES_CHANNEL_JSON = `json_build_object('id', s.id, 'name', s.name, 'primary', s.is_primary)`;

/**
 * The store's read model for an order, one row in one statement: $1 tenant id, $2 market id, $3 sales
 * channel id, $4 stock location id (each a UUID or null), in the fields of StoreReferencesRow. Orders may
 * run it as a CTE of their own statement without naming the store's tables or columns.
 */
export const STORE_REFERENCES_SQL = `select
  (select json_build_object('id', m.id, 'name', m.name, 'currency', m.currency, 'defaultLocale', m.default_locale,
          'countries', coalesce((select json_agg(c.country order by c.country) from market_countries c
                                  where c.tenant_id = m.tenant_id and c.market_id = m.id), '[]'::json))
     from markets m where m.id = $2::uuid and m.tenant_id = $1::uuid) as "market",
  (select ${SALES_CHANNEL_JSON} from sales_channels s where s.id = $3::uuid and s.tenant_id = $1::uuid) as "salesChannel",
  (select json_build_object('id', l.id, 'name', l.name, 'address', l.address, 'active', l.active)
     from stock_locations l where l.id = $4::uuid and l.tenant_id = $1::uuid) as "stockLocation",
  (select ${SALES_CHANNEL_JSON} from sales_channels s where s.tenant_id = $1::uuid and s.is_primary) as "primarySalesChannel"`;

export async function selectStoreReferences(
  db: Queryable,
  tenantId: string,
  ids: { marketId: string | null; salesChannelId: string | null; stockLocationId: string | null },
): Promise<StoreReferencesRow> {
  const { rows } = await query<StoreReferencesRow & Record<string, unknown>>(db, STORE_REFERENCES_SQL, [
    tenantId,
    ids.marketId,
    ids.salesChannelId,
    ids.stockLocationId,
  ]);
  const [row] = rows;
  if (!row) throw new Error("the store references statement returned no row");
  return row;
}
