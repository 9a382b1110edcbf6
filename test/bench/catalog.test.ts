import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogSku, seedCatalog, type SeededCatalog } from "../../bench/writes/catalog.js";
import { createTenant } from "../../src/admin/tenants.js";
import { resolveCatalogItems } from "../../src/catalog/public.js";
import { createOrm } from "../../src/database.js";
import { testDatabaseUrl } from "../support/database.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratch-database.js";
import { ifSetUp } from "../support/set-up.js";

const V4_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CATALOG_TABLES = ["products", "product_variants", "product_skus", "variant_prices"];

/**
 * A tenant's catalog rows without what differs between any two catalogs (ids, tenant, times): products in title
 * order, each with its variants in position order, each with its SKUs and prices.
 */
async function catalogRows(db: pg.Pool, tenantId: string) {
  const { rows } = await db.query<{ product: Record<string, unknown> }>(
    `select jsonb_build_object(
              'product', to_jsonb(p) - array['id', 'tenant_id', 'created_at', 'updated_at'],
              'same_times', p.created_at = p.updated_at,
              'variants', (select jsonb_agg(jsonb_build_object(
                  'variant', to_jsonb(v) - array['id', 'product_id', 'tenant_id'],
                  'skus', (select jsonb_agg(to_jsonb(s) - array['tenant_id', 'variant_id'] order by s.position)
                             from product_skus s where s.variant_id = v.id and s.tenant_id = $1),
                  'prices', (select jsonb_agg(jsonb_build_object('currency', vp.currency, 'amount', vp.amount::text)
                                              order by vp.currency)
                               from variant_prices vp where vp.variant_id = v.id))
                order by v.position)
                from product_variants v where v.product_id = p.id and v.tenant_id = $1)) as product
       from products p where p.tenant_id = $1 order by p.title`,
    [tenantId],
  );
  return rows.map((row) => row.product);
}

/** Definitions of the catalog tables' indexes and constraints: seeding drops some indexes and builds them again. */
async function catalogSchema(db: pg.Pool): Promise<string[]> {
  const { rows } = await db.query<{ definition: string }>(
    `select indexdef as definition from pg_indexes where tablename = any($1)
     union all
     select conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint
      where conrelid::regclass::text = any($1)
     order by 1`,
    [CATALOG_TABLES],
  );
  return rows.map((row) => row.definition);
}

// A database of its own: seeding drops indexes of the catalog's tables while it runs.
describe("the bench's catalog seeding", () => {
  let scratch: ScratchDatabase;
  let pool: pg.Pool;
  let service: InMemoryService;
  let tenantId: string;
  let seeded: SeededCatalog;
  let schemaBefore: string[];

  beforeAll(async () => {
    scratch = await createScratchDatabase(testDatabaseUrl(), "orderspine_bench_catalog", { migrated: true });
    pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
    pool.on("error", () => undefined);
    const orm = await createOrm({ databaseUrl: scratch.url, poolMax: 1 });
    try {
      tenantId = (await createTenant(orm.em.fork(), "bench catalog")).id;
    } finally {
      await orm.close(true);
    }
    schemaBefore = await catalogSchema(pool);
    // Five variants: two products of two and one of one, so an odd count is covered too.
    seeded = await seedCatalog(scratch.url, tenantId, 5);
    service = await buildInMemoryService();
  });
  afterAll(async () => {
    await ifSetUp(service)?.close();
    await ifSetUp(pool)?.end();
    await ifSetUp(scratch)?.drop();
  });

  it("writes the rows CreateProduct writes for the same products", async () => {
    expect(seeded).toMatchObject({ variants: 5, products: 3, skus: 10, prices: 10 });
    const tenant = await service.newTenant("editor");
    const clients = service.clients(tenant.key);
    for (let product = 1; product <= 3; product++) {
      const variants = [1, 2]
        .map((position) => (product - 1) * 2 + position)
        .filter((n) => n <= 5)
        .map((n) => ({
          sku: catalogSku(n),
          alternateSkus: [catalogSku(n, true)],
          name: n % 2 === 1 ? "Small" : "Large",
          prices: { USD: ((n + 100) / 100).toFixed(2), EUR: ((n + 95) / 100).toFixed(2) },
          weightGrams: 100 + n,
        }));
      await clients.catalog.createProduct({ product: { title: `Bench product ${product}`, variants } });
    }
    const runDatabase = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 });
    try {
      const expected = await catalogRows(runDatabase, tenant.tenantId);
      expect(expected).toHaveLength(3);
      expect(await catalogRows(pool, tenantId)).toEqual(expected);
    } finally {
      await runDatabase.end();
    }
  });

  it("gives every row a random (v4) id and keeps every foreign key", async () => {
    const { rows } = await pool.query<{ id: string }>(
      `select id::text from products where tenant_id = $1 union all select id::text from product_variants where tenant_id = $1`,
      [tenantId],
    );
    expect(rows).toHaveLength(8);
    for (const { id } of rows) expect(id).toMatch(V4_UUID);
    const { rows: orphans } = await pool.query(
      `select 'variant' from product_variants v where not exists (select from products p where p.id = v.product_id)
       union all select 'sku' from product_skus s where not exists (select from product_variants v where v.id = s.variant_id)
       union all select 'price' from variant_prices vp where not exists (select from product_variants v where v.id = vp.variant_id)`,
    );
    expect(orphans).toEqual([]);
  });

  it("leaves the catalog tables' indexes and constraints as the migrations made them", async () => {
    expect(await catalogSchema(pool)).toEqual(schemaBefore);
  });

  it("is found by SKU the way orders look lines up: primary or alternate, any case", async () => {
    const [byPrimary, byAlternate, unknown] = await resolveCatalogItems(pool, tenantId, [
      { sku: catalogSku(3) },
      { sku: catalogSku(4, true).toLowerCase() },
      { sku: catalogSku(6) },
    ]);
    expect(byPrimary).toMatchObject({
      kind: "variant",
      variant: {
        productTitle: "Bench product 2",
        variantName: "Small",
        sku: "BENCH-0000003",
        prices: { EUR: "0.98", USD: "1.03" },
        taxCategory: "standard",
        weightGrams: 103,
      },
    });
    expect(byAlternate).toMatchObject({ kind: "variant", variant: { sku: "BENCH-0000004", variantName: "Large" } });
    expect(unknown).toEqual({ kind: "no_match" });
  });
});
