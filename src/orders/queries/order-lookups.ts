import { catalogItemsLookup, type CatalogItemRef, type CatalogResolution } from "../../catalog/public.js";
import {
  ORDER_PARTIES_SQL,
  orderPartiesFromRow,
  orderPartiesParameters,
  type OrderParties,
  type OrderPartiesQuery,
  type OrderPartiesRow,
} from "../../customers/public.js";
import { Parameters, query, type Queryable } from "../../platform/database/query.js";
import {
  resolvedStoreReferences,
  STORE_REFERENCES_SQL,
  storeReferencesParameters,
  type ResolvedStoreReferences,
  type StoreReferences,
  type StoreReferencesRow,
} from "../../store/public.js";
import {
  unlockedLookupColumns,
  unlockedLookupsFromRow,
  type UnlockedLookups,
  type UnlockedLookupsQuery,
  type UnlockedLookupsRow,
} from "./checkout-lookups.js";
import { FIRST_ORDER_NUMBER } from "./order-numbers.js";

/** What one order reads before it is priced (prepareOrder): each from the capability that owns it. */
export interface OrderLookupsAsk {
  tenantId: string;
  /** Its customer, company and addresses by id; undefined when it names none of them. */
  parties: OrderPartiesQuery | undefined;
  /** Take the tenant's next order number, if every party asked for exists (never for a preview or a cart). */
  allocateNumber: boolean;
  store: StoreReferences;
  checkout: UnlockedLookupsQuery;
  /** Its lines' catalog references, in line order. */
  catalog: readonly CatalogItemRef[];
}

export interface OrderLookupsFound {
  parties: OrderParties;
  /** The number taken with `allocateNumber`; undefined without it, or when a party asked for does not exist. */
  orderNumber: string | undefined;
  store: ResolvedStoreReferences;
  checkout: UnlockedLookups;
  catalog: CatalogResolution[];
}

/** A row of the statement: one per order. */
type LookupsRow = OrderPartiesRow &
  StoreReferencesRow &
  UnlockedLookupsRow & {
    ordinal: number;
    catalog: unknown[];
    wanted: boolean;
    /** The tenant's counter after the statement (text), when it took numbers. */
    lastNumber: string | null;
  };

const NO_PARTIES = `select null::json as customer, null::json as company, null::json as "billingAddress",
  null::json as "shippingAddress"`;

/**
 * Everything some orders read before pricing, in ONE statement whatever their number (one round trip for a whole
 * batch, see CreateOrder's group commit): per order its parties (customers' ORDER_PARTIES_SQL), its store
 * references (STORE_REFERENCES_SQL), the tax configuration, shipping method and promotions (checkout-lookups.ts)
 * and its lines' catalog items (catalog's statement), each written by its owner and embedded here with its
 * parameters renumbered; and the order numbers. Numbers are taken per tenant in one upsert of the counter by the
 * count of orders that take one (a statement may change a row only once), so a batch gets consecutive numbers in
 * its orders' order; an order takes one only if every party it names exists, as before. The statement commits on
 * its own (autocommit), outside any order's transaction: a counter row is locked only while it runs.
 */
export function orderLookupsStatement(asks: readonly OrderLookupsAsk[]): {
  sql: string;
  values: unknown[];
  read(rows: readonly LookupsRow[]): OrderLookupsFound[];
} {
  const params = new Parameters();
  const ctes: string[] = [];
  const selects: string[] = [];
  const wanted: string[] = [];
  const catalogs = asks.map((ask) => catalogItemsLookup(ask.tenantId, ask.catalog));
  asks.forEach((ask, i) => {
    const tenant = `${params.bind(ask.tenantId)}::uuid`;
    ctes.push(
      `p${i} as (${ask.parties ? params.embed(ORDER_PARTIES_SQL, orderPartiesParameters(ask.parties)) : NO_PARTIES})`,
    );
    // Whether the order takes a number: asked, and every party it names exists.
    const takes = ask.parties
      ? `${params.bind(ask.allocateNumber)}::boolean and (${params.bind(ask.parties.customerId ?? null)}::uuid is null or p${i}.customer is not null)
          and (${params.bind(ask.parties.companyId ?? null)}::uuid is null or p${i}.company is not null)`
      : `${params.bind(ask.allocateNumber)}::boolean`;
    wanted.push(`(${tenant}, (select ${takes} from p${i}))`);
    const store = params.embed(STORE_REFERENCES_SQL, storeReferencesParameters(ask.tenantId, ask.store));
    const statement = catalogs[i]?.statement;
    const catalog = statement
      ? `(select coalesce(json_agg(item order by item.ref), '[]'::json) from (${params.embed(statement.sql, statement.values)}) item)`
      : `'[]'::json`;
    selects.push(`select ${i} as ordinal, p${i}.*, store.*, ${unlockedLookupColumns(params, ask.checkout).join(", ")},
      ${catalog} as catalog, (select ${takes} from p${i}) as wanted,
      (select last_value::text from allocated where allocated.tenant_id = ${tenant}) as "lastNumber"
      from p${i} cross join (${store}) store`);
  });
  const first = FIRST_ORDER_NUMBER - 1;
  ctes.push(`allocated as (insert into order_number_counters (tenant_id, last_value)
      select tenant, ${first} + count(*) from (values ${wanted.join(", ")}) as wanted(tenant, takes)
       where takes group by tenant
      on conflict (tenant_id) do update set last_value = order_number_counters.last_value + (excluded.last_value - ${first})
      returning tenant_id, last_value)`);
  const sql = `with ${ctes.join(",\n")}\n${selects.join("\nunion all\n")}`;
  return {
    sql,
    values: params.values,
    read(rows) {
      const byOrdinal = new Map(rows.map((row) => [row.ordinal, row]));
      // A tenant's numbers, handed out in the orders' order: its counter moved by the count of orders taking one.
      const next = new Map<string, bigint>();
      for (const row of rows) {
        const ask = asks[row.ordinal];
        if (!row.wanted || !ask || row.lastNumber === null) continue;
        next.set(ask.tenantId, (next.get(ask.tenantId) ?? BigInt(row.lastNumber) + 1n) - 1n);
      }
      return asks.map((ask, i) => {
        const row = byOrdinal.get(i);
        if (!row) throw new Error(`the order lookups statement returned no row for order ${i}`);
        let orderNumber: string | undefined;
        const from = next.get(ask.tenantId);
        if (row.wanted && from !== undefined) {
          orderNumber = String(from);
          next.set(ask.tenantId, from + 1n);
        }
        return {
          parties: ask.parties ? orderPartiesFromRow(ask.parties, row) : {},
          orderNumber,
          store: resolvedStoreReferences(ask.store, row),
          checkout: unlockedLookupsFromRow(row, ask.checkout.marketId),
          catalog: catalogs[i]?.answer(row.catalog as never) ?? [],
        };
      });
    },
  };
}

/** Runs orderLookupsStatement on `db` (autocommit on a pool; inside the transaction of a unit of work that has one). */
export async function findOrderLookups(db: Queryable, asks: readonly OrderLookupsAsk[]): Promise<OrderLookupsFound[]> {
  const statement = orderLookupsStatement(asks);
  const { rows } = await query<LookupsRow>(db, statement.sql, statement.values);
  return statement.read(rows);
}
