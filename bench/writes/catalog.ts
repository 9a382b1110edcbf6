import { randomUUID } from "node:crypto";
import pg from "pg";

/** Variants per seeded product: a product with several variants, as most catalogs have ("Small", "Large"). */
export const VARIANTS_PER_PRODUCT = 2;

/** The catalog's tables, in the order their foreign keys need. */
const CATALOG_TABLES = ["products", "product_variants", "product_skus", "variant_prices"];

/** What seeding wrote, and how long it took. */
export interface SeededCatalog {
  variants: number;
  products: number;
  skus: number;
  prices: number;
  seedMs: number;
  /**
   * Whether the foreign keys were checked row by row while loading. They are not when the bench's database role
   * may set session_replication_role (a superuser, as the default DATABASE_URL's postgres is): the rows satisfy
   * them by construction (test/bench/catalog.test.ts checks it), and checking 5,500,000 of them costs about half
   * the seeding time.
   */
  foreignKeysChecked: boolean;
}

/**
 * The primary SKU of the n-th variant of a seeded catalog (1-based), "BENCH-0000042", or its alternate SKU,
 * "ALT-0000042". ASCII only, so the `sku_key` the catalog compares by (rules/sku.ts: lower case, then NFC) is
 * the lower case the seeding statement writes.
 */
export function catalogSku(n: number, alternate = false): string {
  return `${alternate ? "ALT" : "BENCH"}-${String(n).padStart(7, "0")}`;
}

/**
 * A v4 UUID derived from md5(seed, kind, n): random-looking like the service's randomUUID(), and computable in
 * every statement, so each table is one INSERT ... SELECT over generate_series that joins nothing.
 */
const uuidOf = (kind: string, n: string, seed = "$2") =>
  `overlay(overlay(md5(${seed} || '${kind}' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;

/**
 * Seeds the tenant's catalog with `variants` variants, with the rows CatalogService's BatchCreateProducts
 * writes for such products (src/catalog/queries/write-products.ts): products "Bench product 17" of
 * VARIANTS_PER_PRODUCT variants "Small" and "Large", active, no description, metadata {}, version 1, created and
 * updated at one moment; each variant with tax category "standard", a weight, metadata {}, a primary SKU
 * (position 0) and one alternate SKU (position 1), and a price in EUR and in USD. 1,000,000 variants are then
 * 500,000 products, 2,000,000 SKUs and 2,000,000 prices, the catalog src/catalog/queries/resolve-items.ts was
 * measured on. No product.created events: the catalog is the bench's fixture, not what it measures, and a
 * million events would keep the relay busy through the measured windows.
 *
 * Fast because it is set-based: one statement per table, rows in primary-key order, the tables' other
 * indexes dropped before and built again after (sorting once beats millions of random B-tree inserts), all
 * in one transaction, so a failure leaves the schema as it was. Only for a database of its own (the bench's
 * scratch database): the indexes are gone until it commits.
 */
export async function seedCatalog(databaseUrl: string, tenantId: string, variants: number): Promise<SeededCatalog> {
  const products = Math.ceil(variants / VARIANTS_PER_PRODUCT);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "bench-catalog-seed" });
  await client.connect();
  const started = performance.now();
  try {
    await client.query("set synchronous_commit = off");
    await client.query("set maintenance_work_mem = '256MB'");
    await client.query("set work_mem = '256MB'");
    const foreignKeysChecked = !(await client.query("set session_replication_role = replica").then(
      () => true,
      () => false,
    ));
    await client.query("begin");
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `select i.indexname as name, i.indexdef as definition
         from pg_indexes i
        where i.schemaname = current_schema() and i.tablename = any($1)
          and not exists (select from pg_constraint c where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
      [CATALOG_TABLES],
    );
    for (const index of indexes) await client.query(`drop index ${pg.escapeIdentifier(index.name)}`);
    const seed = randomUUID();
    await client.query(
      `insert into products (id, tenant_id, title, description, status, metadata, version, created_at, updated_at)
       select ${uuidOf("p", "g")}, $1, 'Bench product ' || g, null, 'active', '{}'::jsonb, 1, $4, $4
         from generate_series(1, $3::integer) g
        order by 1`,
      [tenantId, seed, products, new Date()],
    );
    await client.query(
      `insert into product_variants (id, product_id, tenant_id, position, name, tax_category, weight_grams, metadata)
       select ${uuidOf("v", "g")}, ${uuidOf("p", `((g - 1) / ${VARIANTS_PER_PRODUCT} + 1)`)}, $1,
              (g - 1) % ${VARIANTS_PER_PRODUCT}, (array['Small', 'Large'])[(g - 1) % ${VARIANTS_PER_PRODUCT} + 1],
              'standard', 100 + g % 900, '{}'::jsonb
         from generate_series(1, $3::integer) g
        order by 1`,
      [tenantId, seed, variants],
    );
    await client.query(
      `insert into product_skus (tenant_id, sku_key, sku, variant_id, position)
       select $1, lower(s.sku), s.sku, v.id, k.position
         from generate_series(1, $3::integer) g
              cross join lateral (select ${uuidOf("v", "g")} as id offset 0) v
              cross join (values ('BENCH-', 0), ('ALT-', 1)) as k(prefix, position)
              cross join lateral (select k.prefix || lpad(g::text, 7, '0') as sku) s
        order by 2`,
      [tenantId, seed, variants],
    );
    // EUR a little under USD; two decimals, as a client would give them ("12.34").
    await client.query(
      `insert into variant_prices (variant_id, currency, amount)
       select v.id, c.currency, (g % 9000 + c.cents) / 100.0
         from generate_series(1, $2::integer) g
              cross join lateral (select ${uuidOf("v", "g", "$1")} as id offset 0) v
              cross join (values ('EUR', 95), ('USD', 100)) as c(currency, cents)
        order by 1, 2`,
      [seed, variants],
    );
    for (const index of indexes) await client.query(index.definition);
    await client.query("commit");
    await client.query(`analyze ${CATALOG_TABLES.join(", ")}`);
    return {
      variants,
      products,
      skus: variants * 2,
      prices: variants * 2,
      seedMs: performance.now() - started,
      foreignKeysChecked,
    };
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
