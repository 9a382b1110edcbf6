import { catalogItemsLookups, type CatalogItemRef, type CatalogResolution } from "../../catalog/public.js";
import {
  ORDER_PARTIES_SQL,
  orderPartiesFromRow,
  orderPartiesParameters,
  type OrderParties,
  type OrderPartiesQuery,
  type OrderPartiesRow,
} from "../../customers/public.js";
import type { ItemSize } from "../../platform/database/group-commit.js";
import { query, withPlaceholdersAs, type Queryable } from "../../platform/database/query.js";
import { promotionCandidatesSql, promotionLookupValues } from "../../promotions/public.js";
import { shippingMethodIdValue, shippingMethodSql } from "../../shipping/public.js";
import {
  resolvedStoreReferences,
  STORE_REFERENCES_SQL,
  storeReferencesParameters,
  type ResolvedStoreReferences,
  type StoreReferences,
  type StoreReferencesRow,
} from "../../store/public.js";
import { taxConfigurationSql } from "../../tax/public.js";
import {
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

/** The statement's row: one per order. */
type LookupsRow = OrderPartiesRow &
  StoreReferencesRow &
  UnlockedLookupsRow & {
    ordinal: number;
    catalog: unknown[];
    /** The order takes a number. */
    wanted: boolean;
    /** Its tenant's counter after the statement (text), when the statement took numbers of the tenant. */
    lastNumber: string | null;
  };

/** One order per row: its values as the columns the lookups' SQL reads. */
const ORDERS_SQL = `select * from unnest($1::integer[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[],
    $7::boolean[], $8::uuid[], $9::uuid[], $10::uuid[], $11::uuid[], $12::text[], $13::integer[], $14::integer[])
  as o(ordinal, tenant, customer, company, billing, shipping, allocate, market, channel, location, method, buyer,
       first_ref, refs)`;

/** The orders' coupon codes (lower case, as promotions compare them), one row per code. */
const CODES_SQL = `select * from unnest($15::integer[], $16::text[]) as c(ordinal, key)`;

/** The catalog's statement for every line of every order: its five placeholders after the ones above. */
const FIRST_CATALOG_PARAMETER = 17;

/**
 * Everything some orders read before they are priced, in ONE statement whatever their number (a batch of
 * CreateOrder's group commit is one round trip): per order its customer, company and addresses by id (customers'
 * ORDER_PARTIES_SQL), its store references (STORE_REFERENCES_SQL), the tenant's tax configuration, the shipping
 * method and the promotions of its codes (tax, shipping and promotions), and its lines' catalog items (the
 * catalog's statement, for all the orders' lines at once), each written by its owner and run here for every order
 * from the orders' columns; and the order numbers. The text is the same whatever the orders (their values are
 * arrays), so planning does not grow with a batch and a connection keeps the statement prepared.
 *
 * Numbers are taken per tenant in one upsert of its counter by the count of orders taking one (a statement can
 * change a row only once), so a batch's orders of one tenant get consecutive numbers in their order; an order takes
 * one only if every party it names exists, as one alone does. The statement commits on its own (autocommit): a
 * counter row is locked only while it runs, and a statement locks its tenants' counters in tenant order.
 */
const ORDER_LOOKUPS_SQL = (() => {
  const parties = withPlaceholdersAs(ORDER_PARTIES_SQL, [
    "o.customer",
    "o.company",
    "o.tenant",
    "o.billing",
    "o.shipping",
  ]);
  const store = withPlaceholdersAs(STORE_REFERENCES_SQL, ["o.tenant", "o.market", "o.channel", "o.location"]);
  const tax = taxConfigurationSql("o.tenant");
  // Cast, so that `= any(...)` takes the array as an expression, not as a subquery of arrays.
  const codes = `(select coalesce(array_agg(k.key), '{}'::text[]) from codes k where k.ordinal = o.ordinal)::text[]`;
  const catalogPlaceholders = [0, 1, 2, 3, 4].map((i) => `$${FIRST_CATALOG_PARAMETER + i}`);
  const catalog = withPlaceholdersAs(catalogItemsLookups([]).statement.sql, catalogPlaceholders);
  const first = FIRST_ORDER_NUMBER - 1;
  return `with o as (${ORDERS_SQL}),
  codes as (${CODES_SQL}),
  parties as (
    select o.ordinal, o.tenant,
           o.allocate and (o.customer is null or p.customer is not null) and (o.company is null or p.company is not null) as takes,
           p.*
      from o cross join lateral (${parties}) p),
  allocated as (
    insert into order_number_counters (tenant_id, last_value)
    select tenant, ${first} + count(*) from parties where takes group by tenant
     -- Counters locked in one order: two replicas' statements taking numbers of the same tenants never deadlock.
     order by tenant
    on conflict (tenant_id) do update set last_value = order_number_counters.last_value + (excluded.last_value - ${first})
    returning tenant_id, last_value),
  items as (${catalog})
  select o.ordinal, parties.customer, parties.company, parties."billingAddress", parties."shippingAddress",
         parties.takes as wanted,
         (select a.last_value::text from allocated a where a.tenant_id = o.tenant) as "lastNumber",
         store.*,
         ${tax.zones} as zones, ${tax.settings} as settings,
         ${shippingMethodSql("o.tenant", "o.method")} as "shippingMethod",
         ${promotionCandidatesSql("o.tenant", codes, "o.buyer")} as promotions,
         (select coalesce(json_agg(i order by i.ref), '[]'::json) from items i
           where i.ref >= o.first_ref and i.ref < o.first_ref + o.refs) as catalog
    from o join parties using (ordinal) cross join lateral (${store}) store
   order by o.ordinal`;
})();

/** The name the statement is prepared under on each connection (its text never changes while a process runs). */
const STATEMENT_NAME = "orderspine_order_lookups";

/** orderLookupsStatement's statement and how to read its rows. */
export interface OrderLookupsStatement {
  name: string;
  sql: string;
  values: unknown[];
  read(rows: readonly LookupsRow[]): OrderLookupsFound[];
}

export function orderLookupsStatement(asks: readonly OrderLookupsAsk[]): OrderLookupsStatement {
  const catalog = catalogItemsLookups(asks.map((ask) => ({ tenantId: ask.tenantId, refs: ask.catalog })));
  const columns = {
    ordinal: [] as number[],
    tenant: [] as string[],
    customer: [] as (string | null)[],
    company: [] as (string | null)[],
    billing: [] as (string | null)[],
    shipping: [] as (string | null)[],
    allocate: [] as boolean[],
    market: [] as (string | null)[],
    channel: [] as (string | null)[],
    location: [] as (string | null)[],
    method: [] as (string | null)[],
    buyer: [] as (string | null)[],
    firstRef: [] as number[],
    refs: [] as number[],
  };
  const codes = { ordinal: [] as number[], key: [] as string[] };
  let firstRef = 0;
  asks.forEach((ask, i) => {
    const [customer, company, , billing, shipping] = ask.parties
      ? orderPartiesParameters(ask.parties)
      : [null, null, null, null, null];
    const [, market, channel, location] = storeReferencesParameters(ask.tenantId, ask.store);
    const promotions = promotionLookupValues(ask.checkout.couponCodes, ask.checkout.buyer);
    columns.ordinal.push(i);
    columns.tenant.push(ask.tenantId);
    columns.customer.push(customer ?? null);
    columns.company.push(company ?? null);
    columns.billing.push(billing ?? null);
    columns.shipping.push(shipping ?? null);
    columns.allocate.push(ask.allocateNumber);
    columns.market.push(market);
    columns.channel.push(channel);
    columns.location.push(location);
    columns.method.push(ask.checkout.shippingMethodId ? shippingMethodIdValue(ask.checkout.shippingMethodId) : null);
    columns.buyer.push(promotions.customer);
    columns.firstRef.push(firstRef);
    columns.refs.push(ask.catalog.length);
    firstRef += ask.catalog.length;
    for (const key of promotions.keys) {
      codes.ordinal.push(i);
      codes.key.push(key);
    }
  });
  const c = columns;
  return {
    name: STATEMENT_NAME,
    sql: ORDER_LOOKUPS_SQL,
    // In the order of ORDERS_SQL's, CODES_SQL's and the catalog's placeholders.
    values: [
      ...[c.ordinal, c.tenant, c.customer, c.company, c.billing, c.shipping, c.allocate],
      ...[c.market, c.channel, c.location, c.method, c.buyer, c.firstRef, c.refs],
      codes.ordinal,
      codes.key,
      ...catalog.statement.values,
    ],
    read(rows) {
      const answers = catalog.answer(rows.flatMap((row) => row.catalog as Parameters<typeof catalog.answer>[0]));
      // A tenant's numbers, handed out in the orders' order: its counter moved by the count of orders taking one.
      const next = new Map<string, bigint>();
      for (const row of rows) {
        const ask = asks[row.ordinal];
        if (!row.wanted || !ask || row.lastNumber === null) continue;
        next.set(ask.tenantId, (next.get(ask.tenantId) ?? BigInt(row.lastNumber) + 1n) - 1n);
      }
      const byOrdinal = new Map(rows.map((row) => [row.ordinal, row]));
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
          catalog: answers[i] ?? [],
        };
      });
    },
  };
}

/**
 * What one order adds to a batch's lookups statement, for the group commit's limits: its values' bytes, roughly
 * (the statement's parameters are arrays, as many whatever the number of orders).
 */
export function orderLookupsSize(ask: OrderLookupsAsk): ItemSize {
  const codes = ask.checkout.couponCodes.reduce((bytes, code) => bytes + code.length + 8, 0);
  return { parameters: 0, bytes: 256 + 96 * ask.catalog.length + codes };
}

/** findOrderLookups for one order. */
export async function findOrderLookup(db: Queryable, ask: OrderLookupsAsk): Promise<OrderLookupsFound> {
  const [found] = await findOrderLookups(db, [ask]);
  if (!found) throw new Error("the order lookups statement answered no order");
  return found;
}

/** Runs orderLookupsStatement on `db` (autocommit on a pool; inside the transaction of a unit of work that has one). */
export async function findOrderLookups(db: Queryable, asks: readonly OrderLookupsAsk[]): Promise<OrderLookupsFound[]> {
  const statement = orderLookupsStatement(asks);
  const { rows } = await query<LookupsRow>(db, statement.sql, statement.values, {
    name: statement.name,
    // Its values are arrays unnested into rows, whose planning cost 2-3 ms a call against 0.3-0.6 ms of running it.
    plan: "generic",
  });
  return statement.read(rows);
}
