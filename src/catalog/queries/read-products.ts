import { Parameters, query, type Queryable } from "../../platform/database/query.js";
import type { PageCursor } from "../../platform/pagination/page-token.js";
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

export type ProductRow = Omit<ProductView, "createdAt" | "updatedAt" | "variants"> & { updatedAt: string };
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

/**
 * The tenant's product with this id, its row locked until the transaction `tx` ends (FOR UPDATE), so
 * changes of one product queue and each sees the one before; undefined when the tenant has none.
 */
export async function lockProduct(tx: Queryable, tenantId: string, id: string): Promise<ProductView | undefined> {
  const { rows } = await query<ProductRow>(
    tx,
    `select ${PRODUCT_COLUMNS} from products where tenant_id = $1 and id = $2 for update`,
    [tenantId, id],
  );
  const [product] = await withVariants(tx, tenantId, rows);
  return product;
}

/** ListProducts' filters; unset ones select everything. */
export interface ProductFilters {
  status?: ProductStatusName;
  /** A SKU key (rules/sku.ts): the product holding that primary or alternate SKU. */
  skuKey?: string;
  /** Title prefix, compared in lower case. */
  titlePrefix?: string;
}

/**
 * One page of a tenant's products, newest first, after `after`, `limit` rows at most, with their
 * variants. Unfiltered or by status: one range scan of (tenant_id[, status], created_at desc, id desc)
 * that starts after the cursor. By SKU: the SKU's primary key finds the one product. By title prefix:
 * `products_tenant_id_lower_title_index` finds the titles, which are then sorted.
 */
export async function selectProductPage(
  db: Queryable,
  tenantId: string,
  filters: ProductFilters,
  after: PageCursor | undefined,
  limit: number,
): Promise<ProductView[]> {
  const params = new Parameters();
  const tenant = params.bind(tenantId);
  const where = [`tenant_id = ${tenant}`];
  if (filters.status !== undefined) where.push(`status = ${params.bind(filters.status)}`);
  if (filters.skuKey !== undefined) {
    where.push(`id = (select v.product_id from product_skus s join product_variants v on v.id = s.variant_id
                       where s.tenant_id = ${tenant} and s.sku_key = ${params.bind(filters.skuKey)})`);
  }
  if (filters.titlePrefix !== undefined) {
    // LIKE's wildcards and escape character in the prefix are taken literally.
    const literal = filters.titlePrefix.replace(/[\\%_]/g, "\\$&");
    where.push(`lower(title) like lower(${params.bind(literal)}) || '%'`);
  }
  if (after) {
    where.push(`(created_at, id) < (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`);
  }
  const { rows } = await query<ProductRow>(
    db,
    `select ${PRODUCT_COLUMNS} from products where ${where.join(" and ")}
      order by created_at desc, id desc limit ${Math.trunc(limit)}`,
    params.values,
  );
  return withVariants(db, tenantId, rows);
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
