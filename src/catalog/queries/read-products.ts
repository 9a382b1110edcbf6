import { Parameters, query, type Queryable } from "../../platform/database/query.js";
import type { ProductStatusName } from "../rules/product-draft.js";

/**
 * Products read as plain rows (no unit of work: a read needs no change tracking), two statements
 * whatever the number of products: the products, then all their variants with each variant's SKUs
 * (primary first) and prices aggregated into the row.
 */

/** A variant as read: prices as stored (numeric(19,4) text, e.g. "289.5000"). */
export interface VariantView {
  id: string;
  /** The primary SKU, then the alternate SKUs in their order. */
  skus: string[];
  name: string;
  prices: Record<string, string>;
  taxCategory: string;
  weightGrams: number | null;
  metadata: Record<string, string>;
}

/** A product as read, with its variants in their order. */
export interface ProductView {
  id: string;
  title: string;
  description: string | null;
  status: ProductStatusName;
  metadata: Record<string, string>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** created_at to the microsecond (RFC 3339, UTC), the position page tokens carry. */
  cursorTime: string;
  variants: VariantView[];
}

type ProductRow = Omit<ProductView, "createdAt" | "updatedAt" | "variants"> & { updatedAt: string };
type VariantRow = VariantView & { productId: string };

/** RFC 3339 in UTC with microseconds: exact for page tokens, and parsed the same whatever the connection's type parsers. */
const time = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The `products` columns of a ProductRow, for `select ${PRODUCT_COLUMNS} from products ...`. */
export const PRODUCT_COLUMNS = [
  "id",
  "title",
  "description",
  "status",
  "metadata",
  "version",
  `${time("created_at")} as "cursorTime"`,
  `${time("updated_at")} as "updatedAt"`,
].join(", ");

/** The tenant's products with these ids, in the order of `ids` (missing ones left out). */
export async function selectProducts(db: Queryable, tenantId: string, ids: readonly string[]): Promise<ProductView[]> {
  if (ids.length === 0) return [];
  const { rows } = await query<ProductRow>(
    db,
    `select ${PRODUCT_COLUMNS} from products where tenant_id = $1 and id = any($2::uuid[])`,
    [tenantId, ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const found = ids.flatMap((id) => byId.get(id) ?? []);
  return withVariants(db, tenantId, found);
}

/** The variants of these product rows (one statement), as ProductViews in the rows' order. */
export async function withVariants(
  db: Queryable,
  tenantId: string,
  rows: readonly ProductRow[],
): Promise<ProductView[]> {
  if (rows.length === 0) return [];
  const params = new Parameters();
  const { rows: variants } = await query<VariantRow>(
    db,
    `select v.product_id as "productId", v.id, v.name, v.tax_category as "taxCategory",
            v.weight_grams as "weightGrams", v.metadata,
            array(select s.sku from product_skus s where s.variant_id = v.id order by s.position) as skus,
            coalesce((select jsonb_object_agg(p.currency, p.amount::text) from variant_prices p where p.variant_id = v.id),
                     '{}'::jsonb) as prices
       from product_variants v
      where v.tenant_id = ${params.bind(tenantId)} and v.product_id = any(${params.bind(rows.map((row) => row.id))}::uuid[])
      order by v.product_id, v.position`,
    params.values,
  );
  const variantsOf = new Map<string, VariantView[]>();
  for (const { productId, ...variant } of variants) {
    const list = variantsOf.get(productId);
    if (list) list.push(variant);
    else variantsOf.set(productId, [variant]);
  }
  return rows.map((row) => ({
    ...row,
    createdAt: new Date(row.cursorTime),
    updatedAt: new Date(row.updatedAt),
    variants: variantsOf.get(row.id) ?? [],
  }));
}
