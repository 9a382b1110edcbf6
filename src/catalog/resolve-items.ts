import type { Queryable } from "../platform/database/query.js";
import {
  resolveTenantItemsStatement,
  selectItems,
  type CatalogItemsStatement,
  type ItemLookup,
  type ItemRow as CatalogItemRow,
} from "./queries/resolve-items.js";
import { priceText } from "./rules/prices.js";
import type { ProductStatusName } from "./rules/product-draft.js";
import { skuKey } from "./rules/sku.js";

/** How an order line names a catalog item: by one of these (the orders' rules make it exactly one). */
export interface CatalogItemRef {
  variantId?: string;
  productId?: string;
  /** A primary or alternate SKU, in any case. */
  sku?: string;
}

/** A variant of the catalog as an order line takes it (a snapshot: the line keeps these values). */
export interface CatalogVariant {
  variantId: string;
  productId: string;
  productTitle: string;
  productStatus: ProductStatusName;
  /** e.g. "Large / Red"; empty for a product's only variant. */
  variantName: string;
  /** The primary SKU, also when the line named the variant by an alternate SKU. */
  sku: string;
  /** Price of one unit per ISO 4217 currency, canonical decimal strings with at least the currency's minor units ("289.50"). */
  prices: Readonly<Record<string, string>>;
  taxCategory: string;
  weightGrams: number | null;
}

/** Why a ref names no item an order may take. */
export type CatalogRefusal = "VARIANT_NOT_FOUND" | "PRODUCT_NOT_FOUND" | "PRODUCT_ARCHIVED" | "PRODUCT_HAS_VARIANTS";

/** What a ref names. */
export type CatalogResolution =
  /** An active product's variant. */
  | { kind: "variant"; variant: CatalogVariant }
  /** A SKU the catalog does not have (nor a ref naming nothing): the line stays a custom line. */
  | { kind: "no_match" }
  /**
   * A variant or product id the tenant does not have (other tenants' look the same), a product id of a
   * product with several variants, or a variant of an archived product (by any ref, SKU included; the
   * variant comes along, e.g. for an import of past orders).
   */
  | { kind: "refused"; reason: Exclude<CatalogRefusal, "PRODUCT_ARCHIVED"> }
  | { kind: "refused"; reason: "PRODUCT_ARCHIVED"; variant: CatalogVariant };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The catalog items order lines name, in ONE statement whatever the number of refs (see
 * queries/resolve-items.ts for the plan: an index probe per ref), answered per ref in the refs' order.
 * A ref names its item by `variantId`, else `productId` (a product with exactly one variant), else
 * `sku` (primary or alternate, compared as the catalog compares SKUs: any case, NFC). Only the tenant's
 * catalog is searched. `db` may be a unit of work in a transaction (the lookup then sees its writes).
 */
export async function resolveCatalogItems(
  db: Queryable,
  tenantId: string,
  refs: readonly CatalogItemRef[],
): Promise<CatalogResolution[]> {
  const lookup = catalogItemsLookups([{ tenantId, refs }]);
  const [answers] = lookup.answer(lookup.needed ? await selectItems(db, lookup.statement) : []);
  return answers ?? [];
}

/**
 * resolveCatalogItems in two halves, for a caller that runs the statement inside one of its own, for the lines of
 * several orders at once, each in its tenant's catalog (CreateOrder reads everything it needs before pricing in
 * one statement, orders' queries/order-lookups.ts): the statement (its rows as CatalogItemRow, in any order), and
 * the answer per order and ref from those rows.
 */
export function catalogItemsLookups(asks: readonly { tenantId: string; refs: readonly CatalogItemRef[] }[]): {
  /** The statement: its text is the same for every call (placeholders $1 to $5). */
  statement: CatalogItemsStatement;
  /** Whether any ref needs the statement (the others are answered without it). */
  needed: boolean;
  answer(rows: readonly CatalogItemRow[]): CatalogResolution[][];
} {
  const lookups = asks.map((ask) => ask.refs.map(lookupOf));
  // Ids that are not UUIDs cannot name anything (and must not reach a ::uuid cast).
  const asked = asks.flatMap((ask, i) =>
    (lookups[i] ?? []).map((lookup) => ({
      tenantId: ask.tenantId,
      ...(lookup.kind === "lookup" ? lookup.lookup : { variantId: null, productId: null, skuKey: null }),
    })),
  );
  return {
    statement: resolveTenantItemsStatement(asked),
    needed: lookups.some((own) => own.some((lookup) => lookup.kind === "lookup")),
    answer(rows) {
      // A ref's row, by the ref's index in the statement: the asks' refs one after the other.
      const rowsOf = new Map<number, CatalogItemRow>();
      for (const row of rows) if (!rowsOf.has(row.ref)) rowsOf.set(row.ref, row);
      let first = 0;
      return lookups.map((own) => {
        const answers = own.map((lookup, i) => answerOf(lookup, rowsOf.get(first + i)));
        first += own.length;
        return answers;
      });
    },
  };
}

function answerOf(lookup: Lookup, row: CatalogItemRow | undefined): CatalogResolution {
  if (lookup.kind !== "lookup") return lookup.resolution;
  if (!row) return notFound(lookup.lookup);
  if (row.matches > 1) return { kind: "refused", reason: "PRODUCT_HAS_VARIANTS" };
  const variant = variantOf(row);
  if (variant.productStatus === "archived") return { kind: "refused", reason: "PRODUCT_ARCHIVED", variant };
  return { kind: "variant", variant };
}

type Lookup = { kind: "lookup"; lookup: ItemLookup } | { kind: "answered"; resolution: CatalogResolution };

function lookupOf(ref: CatalogItemRef): Lookup {
  const none = { variantId: null, productId: null, skuKey: null };
  if (ref.variantId) {
    return UUID.test(ref.variantId)
      ? { kind: "lookup", lookup: { ...none, variantId: ref.variantId.toLowerCase() } }
      : { kind: "answered", resolution: { kind: "refused", reason: "VARIANT_NOT_FOUND" } };
  }
  if (ref.productId) {
    return UUID.test(ref.productId)
      ? { kind: "lookup", lookup: { ...none, productId: ref.productId.toLowerCase() } }
      : { kind: "answered", resolution: { kind: "refused", reason: "PRODUCT_NOT_FOUND" } };
  }
  if (ref.sku) return { kind: "lookup", lookup: { ...none, skuKey: skuKey(ref.sku) } };
  return { kind: "answered", resolution: { kind: "no_match" } };
}

function notFound(lookup: ItemLookup): CatalogResolution {
  if (lookup.variantId !== null) return { kind: "refused", reason: "VARIANT_NOT_FOUND" };
  if (lookup.productId !== null) return { kind: "refused", reason: "PRODUCT_NOT_FOUND" };
  return { kind: "no_match" };
}

function variantOf(row: CatalogItemRow): CatalogVariant {
  return {
    variantId: row.variantId,
    productId: row.productId,
    productTitle: row.productTitle,
    productStatus: row.productStatus,
    variantName: row.variantName,
    sku: row.sku,
    prices: Object.fromEntries(
      Object.entries(row.prices)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([currency, amount]) => [currency, priceText(currency, amount)]),
    ),
    taxCategory: row.taxCategory,
    weightGrams: row.weightGrams,
  };
}
