import { query, type Queryable } from "../../platform/database/query.js";
import type { ProductDraft, VariantDraft } from "../rules/product-draft.js";
import { skuClaims, type SkuClaim } from "../rules/sku.js";

/**
 * The catalog's writes, set-based: one statement per table whatever the number of products (a
 * catalog import writes up to 1,000 at once), each taking its rows as arrays through unnest(). They
 * run in the caller's transaction (a unit of work's, see query.ts), which rolls everything back when
 * a SKU turns out to be taken.
 */

/** A product to insert: its draft with the ids chosen for it and its variants (in the same order). */
export interface NewProduct {
  id: string;
  draft: ProductDraft;
  variantIds: string[];
  /** Where the request gave its variants, e.g. "product.variants", for the error naming a taken SKU. */
  variantsField: string;
}

/** A SKU that was already the tenant's, with what holds it (absent if the holder went away meanwhile). */
export interface TakenSku {
  claim: SkuClaim;
  holder?: { productId: string; variantId: string };
}

/** A variant to write, with the product it belongs to and its place there. */
interface VariantRow {
  productId: string;
  variantId: string;
  position: number;
  variant: VariantDraft;
}

/**
 * Inserts products with their variants, SKUs and prices. Returns the first SKU (in request order)
 * that the tenant's catalog already holds, after which the caller must roll back; undefined when
 * every row was written.
 */
export async function insertProducts(
  db: Queryable,
  tenantId: string,
  products: readonly NewProduct[],
  now: Date,
): Promise<TakenSku | undefined> {
  await query(
    db,
    `insert into products (id, tenant_id, title, description, status, metadata, version, created_at, updated_at)
     select p.id, $1, p.title, p.description, p.status, p.metadata::jsonb, 1, $7, $7
       from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) as p(id, title, description, status, metadata)`,
    [
      tenantId,
      products.map((p) => p.id),
      products.map((p) => p.draft.title),
      products.map((p) => p.draft.description),
      products.map((p) => p.draft.status),
      products.map((p) => JSON.stringify(p.draft.metadata)),
      now,
    ],
  );
  const variants = products.flatMap((product) =>
    product.draft.variants.map((variant, position) => ({
      productId: product.id,
      variantId: variantIdAt(product, position),
      position,
      variant,
    })),
  );
  await insertVariants(db, tenantId, variants);
  const claims = products.flatMap((product) =>
    skuClaims(product.draft.variants, product.variantsField).map((claim) => ({
      ...claim,
      variantId: variantIdAt(product, claim.variant),
    })),
  );
  const taken = await claimSkus(db, tenantId, claims);
  if (taken) return taken;
  await insertPrices(db, variants);
  return undefined;
}

function variantIdAt(product: NewProduct, position: number): string {
  const id = product.variantIds[position];
  if (id === undefined) throw new Error(`product ${product.id} has no id for variant ${position}`);
  return id;
}

async function insertVariants(db: Queryable, tenantId: string, rows: readonly VariantRow[]): Promise<void> {
  await query(
    db,
    `insert into product_variants (id, product_id, tenant_id, position, name, tax_category, weight_grams, metadata)
     select v.id, v.product_id, $1, v.position, v.name, v.tax_category, v.weight_grams, v.metadata::jsonb
       from unnest($2::uuid[], $3::uuid[], $4::integer[], $5::text[], $6::text[], $7::integer[], $8::text[])
            as v(id, product_id, position, name, tax_category, weight_grams, metadata)`,
    [
      tenantId,
      rows.map((row) => row.variantId),
      rows.map((row) => row.productId),
      rows.map((row) => row.position),
      rows.map((row) => row.variant.name),
      rows.map((row) => row.variant.taxCategory),
      rows.map((row) => row.variant.weightGrams),
      rows.map((row) => JSON.stringify(row.variant.metadata)),
    ],
  );
}

/**
 * Claims SKUs for their variants. A SKU the tenant already has is skipped by `on conflict do nothing`
 * — after waiting for a transaction that claims it concurrently to end — and reported (the first in
 * request order), so two transactions never both get one SKU and the error names it without parsing a
 * database message. SKUs are inserted in key order, so concurrent imports that share SKUs lock them in
 * the same order and cannot deadlock.
 */
export async function claimSkus(
  db: Queryable,
  tenantId: string,
  claims: readonly (SkuClaim & { variantId: string })[],
): Promise<TakenSku | undefined> {
  const sorted = [...claims].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const { rows: claimed } = await query<{ skuKey: string }>(
    db,
    `insert into product_skus (tenant_id, sku_key, sku, variant_id, position)
     select $1, s.sku_key, s.sku, s.variant_id, s.position
       from unnest($2::text[], $3::text[], $4::uuid[], $5::smallint[]) with ordinality as s(sku_key, sku, variant_id, position, n)
      order by s.n
         on conflict do nothing
     returning sku_key as "skuKey"`,
    [
      tenantId,
      sorted.map((c) => c.key),
      sorted.map((c) => c.sku),
      sorted.map((c) => c.variantId),
      sorted.map((c) => c.position),
    ],
  );
  if (claimed.length === claims.length) return undefined;
  const written = new Set(claimed.map((row) => row.skuKey));
  const taken = claims.find((claim) => !written.has(claim.key));
  if (!taken) throw new Error("a SKU was neither written nor found taken");
  const { variantId, ...claim } = taken;
  return { claim, holder: await skuHolder(db, tenantId, taken.key) };
}

/** The variants' prices (one statement). */
async function insertPrices(db: Queryable, rows: readonly VariantRow[]): Promise<void> {
  const prices = rows.flatMap((row) =>
    Object.entries(row.variant.prices).map(([currency, amount]) => ({ variantId: row.variantId, currency, amount })),
  );
  if (prices.length === 0) return;
  await query(
    db,
    `insert into variant_prices (variant_id, currency, amount)
     select * from unnest($1::uuid[], $2::text[], $3::numeric[])`,
    [prices.map((p) => p.variantId), prices.map((p) => p.currency), prices.map((p) => p.amount)],
  );
}

async function skuHolder(
  db: Queryable,
  tenantId: string,
  key: string,
): Promise<{ productId: string; variantId: string } | undefined> {
  const { rows } = await query<{ productId: string; variantId: string }>(
    db,
    `select v.product_id as "productId", v.id as "variantId"
       from product_skus s join product_variants v on v.id = s.variant_id
      where s.tenant_id = $1 and s.sku_key = $2`,
    [tenantId, key],
  );
  return rows[0];
}

/** The product row's own fields, as UpdateProduct and ArchiveProduct set them. */
export interface ProductRowChange {
  title: string;
  description: string | null;
  status: ProductDraft["status"];
  metadata: Record<string, string>;
}

/** Sets the product's own fields and counts the change: version (etag, event sequence) one up, updated_at now. */
export async function updateProductRow(
  db: Queryable,
  tenantId: string,
  productId: string,
  change: ProductRowChange,
  now: Date,
): Promise<void> {
  await query(
    db,
    `update products set title = $3, description = $4, status = $5, metadata = $6::jsonb, version = version + 1, updated_at = $7
      where tenant_id = $1 and id = $2`,
    [tenantId, productId, change.title, change.description, change.status, JSON.stringify(change.metadata), now],
  );
}

/**
 * Replaces a product's variants with `variants` (UpdateProduct naming `variants`): those with the id of
 * one of `currentIds` are changed in place, those without an id are added with the id given for them in
 * `newIds` (in order), the rest of `currentIds` are removed (their SKUs and prices with them). The
 * product's SKUs are given up first and claimed again, so a variant may take a SKU a sibling gives up;
 * the first SKU another product holds is returned, after which the caller must roll back.
 */
export async function replaceVariants(
  db: Queryable,
  tenantId: string,
  productId: string,
  currentIds: readonly string[],
  variants: readonly VariantDraft[],
  newIds: readonly string[],
): Promise<TakenSku | undefined> {
  let next = 0;
  const rows: VariantRow[] = variants.map((variant, position) => {
    const variantId = variant.id ?? newIds[next++];
    if (variantId === undefined) throw new Error(`no id for new variant ${position} of product ${productId}`);
    return { productId, variantId, position, variant };
  });
  const kept = rows.filter((row) => row.variant.id !== undefined);
  const keptIds = kept.map((row) => row.variantId);
  await query(db, `delete from product_skus where tenant_id = $1 and variant_id = any($2::uuid[])`, [
    tenantId,
    currentIds,
  ]);
  await query(db, `delete from product_variants where product_id = $1 and not (id = any($2::uuid[]))`, [
    productId,
    keptIds,
  ]);
  await query(db, `delete from variant_prices where variant_id = any($1::uuid[])`, [keptIds]);
  if (kept.length > 0) {
    await query(
      db,
      `update product_variants v
          set position = u.position, name = u.name, tax_category = u.tax_category, weight_grams = u.weight_grams,
              metadata = u.metadata::jsonb
         from unnest($2::uuid[], $3::integer[], $4::text[], $5::text[], $6::integer[], $7::text[])
              as u(id, position, name, tax_category, weight_grams, metadata)
        where v.id = u.id and v.product_id = $1`,
      [
        productId,
        keptIds,
        kept.map((row) => row.position),
        kept.map((row) => row.variant.name),
        kept.map((row) => row.variant.taxCategory),
        kept.map((row) => row.variant.weightGrams),
        kept.map((row) => JSON.stringify(row.variant.metadata)),
      ],
    );
  }
  const added = rows.filter((row) => row.variant.id === undefined);
  if (added.length > 0) await insertVariants(db, tenantId, added);
  const claims = skuClaims(variants, "product.variants").map((claim) => ({
    ...claim,
    variantId: rows[claim.variant]?.variantId ?? "",
  }));
  const taken = await claimSkus(db, tenantId, claims);
  if (taken) return taken;
  await insertPrices(db, rows);
  return undefined;
}
