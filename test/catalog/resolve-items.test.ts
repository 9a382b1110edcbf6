import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProductStatus, type Product } from "../../gen/orders/v1/product_pb.js";
import { resolveCatalogItems, type CatalogItemRef } from "../../src/catalog/public.js";
import { resolveItemsStatement } from "../../src/catalog/queries/resolve-items.js";
import type { Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratch-database.js";
import { ifSetUp } from "../support/set-up.js";
import { injectorProduct, shirtProduct, uniqueSku } from "./support/product-fixtures.js";

let service: InMemoryService;
let tenantId: string;
let clients: Clients;
let db: pg.Pool;
let injector: Product;
let shirt: Product;
let archived: Product;
let foreign: Product;

async function created(client: Clients, product: Parameters<Clients["catalog"]["createProduct"]>[0]["product"]) {
  const answer = await client.catalog.createProduct({ product });
  if (!answer.product) throw new Error("CreateProduct returned no product");
  return answer.product;
}

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant("editor");
  tenantId = tenant.tenantId;
  clients = service.clients(tenant.key);
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const sku = uniqueSku("INJ");
  injector = await created(
    clients,
    injectorProduct({
      variants: [{ sku, alternateSkus: [`BOSCH-${sku}`], prices: { USD: "289.5", JPY: "41000" }, weightGrams: 820 }],
    }),
  );
  shirt = await created(clients, shirtProduct());
  archived = await created(clients, injectorProduct({ title: "Old injector", status: ProductStatus.ARCHIVED }));
  // The same SKU in another tenant's catalog.
  const other = service.clients((await service.newTenant("editor")).key);
  foreign = await created(other, injectorProduct({ variants: [{ sku: `foreign-${sku}` }, { sku }] }));
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.close();
});

const variantOf = (product: Product, index = 0) => product.variants[index] ?? { id: "", sku: "" };

describe("resolveCatalogItems", () => {
  it("finds a variant by id, a one-variant product by id, and a SKU in any case, primary or alternate", async () => {
    const v = variantOf(injector);
    const [byVariant, byProduct, byPrimary, byLowerCase, byAlternate] = await resolveCatalogItems(db, tenantId, [
      { variantId: v.id },
      { productId: injector.id },
      { sku: v.sku },
      { sku: v.sku.toLowerCase() },
      { sku: `bosch-${v.sku.toLowerCase()}` },
    ]);
    const expected = {
      kind: "variant",
      variant: {
        variantId: v.id,
        productId: injector.id,
        productTitle: "6.7L Common-Rail Injector",
        productStatus: "active",
        variantName: "",
        sku: v.sku,
        prices: { JPY: "41000", USD: "289.50" },
        taxCategory: "standard",
        weightGrams: 820,
      },
    };
    for (const resolution of [byVariant, byProduct, byPrimary, byLowerCase, byAlternate]) {
      expect(resolution).toEqual(expected);
    }
  });

  it("gives the variant of a product with several variants by variant id or SKU, not by product id", async () => {
    const large = variantOf(shirt, 2);
    const resolutions = await resolveCatalogItems(db, tenantId, [
      { productId: shirt.id },
      { variantId: large.id },
      { sku: large.sku },
    ]);
    expect(resolutions[0]).toEqual({ kind: "refused", reason: "PRODUCT_HAS_VARIANTS" });
    for (const resolution of resolutions.slice(1)) {
      expect(resolution).toMatchObject({
        kind: "variant",
        variant: { variantId: large.id, variantName: "Large / Red", taxCategory: "clothing", weightGrams: null },
      });
    }
  });

  it("says why an id names nothing, and answers an unknown SKU as no match", async () => {
    expect(
      await resolveCatalogItems(db, tenantId, [
        { variantId: randomUUID() },
        { productId: randomUUID() },
        { variantId: "not-a-uuid" },
        { productId: "42" },
        { sku: uniqueSku("NOWHERE") },
        {},
      ]),
    ).toEqual([
      { kind: "refused", reason: "VARIANT_NOT_FOUND" },
      { kind: "refused", reason: "PRODUCT_NOT_FOUND" },
      { kind: "refused", reason: "VARIANT_NOT_FOUND" },
      { kind: "refused", reason: "PRODUCT_NOT_FOUND" },
      { kind: "no_match" },
      { kind: "no_match" },
    ]);
  });

  it("refuses an archived product's variant by any ref, with the variant for whoever needs it", async () => {
    const v = variantOf(archived);
    const resolutions = await resolveCatalogItems(db, tenantId, [
      { variantId: v.id },
      { productId: archived.id },
      { sku: v.sku.toLowerCase() },
    ]);
    for (const resolution of resolutions) {
      expect(resolution).toMatchObject({
        kind: "refused",
        reason: "PRODUCT_ARCHIVED",
        variant: { variantId: v.id, productStatus: "archived", productTitle: "Old injector" },
      });
    }
  });

  it("never sees another tenant's catalog", async () => {
    const theirs = variantOf(foreign);
    const resolutions = await resolveCatalogItems(db, tenantId, [
      { variantId: theirs.id },
      { productId: foreign.id },
      { sku: theirs.sku },
      // Their second variant shares our injector's SKU: ours is found, not theirs.
      { sku: variantOf(foreign, 1).sku },
    ]);
    expect(resolutions.slice(0, 3)).toEqual([
      { kind: "refused", reason: "VARIANT_NOT_FOUND" },
      { kind: "refused", reason: "PRODUCT_NOT_FOUND" },
      { kind: "no_match" },
    ]);
    expect(resolutions[3]).toMatchObject({ kind: "variant", variant: { productId: injector.id } });
  });

  it("answers 500 refs in their order with one statement", async () => {
    let statements = 0;
    const counting = {
      query: (sql: string, values: unknown[]) => {
        statements += 1;
        return db.query(sql, values);
      },
    } as unknown as pg.Pool;
    const pool: CatalogItemRef[] = [
      { variantId: variantOf(injector).id },
      { productId: shirt.id },
      { sku: variantOf(shirt, 1).sku },
      { sku: "unknown" },
      { variantId: randomUUID() },
    ];
    const refs = Array.from({ length: 500 }, (_, i) => pool[i % pool.length] ?? {});
    const resolutions = await resolveCatalogItems(counting, tenantId, refs);
    expect(statements).toBe(1);
    expect(resolutions).toHaveLength(500);
    expect(resolutions.slice(0, 10).map((r) => (r.kind === "refused" ? r.reason : r.kind))).toEqual([
      "variant",
      "PRODUCT_HAS_VARIANTS",
      "variant",
      "no_match",
      "VARIANT_NOT_FOUND",
      "variant",
      "PRODUCT_HAS_VARIANTS",
      "variant",
      "no_match",
      "VARIANT_NOT_FOUND",
    ]);
    expect(await resolveCatalogItems(counting, tenantId, [])).toEqual([]);
    expect(statements).toBe(1);
  });
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

const INDEX_READS = new Set(["Index Scan", "Index Only Scan", "Bitmap Heap Scan"]);

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

// A database of its own: the plan depends on what the tables hold.
describe("the lookup's plan", () => {
  let scratch: ScratchDatabase;
  let pool: pg.Pool;
  const tenant = randomUUID();

  beforeAll(async () => {
    scratch = await createScratchDatabase(testDatabaseUrl(), "orderspine_catalog", { migrated: true });
    pool = new pg.Pool({ connectionString: scratch.url, max: 1 });
    pool.on("error", () => undefined);
    // 20,000 variants of 10,000 products, each with a primary and an alternate SKU and two prices.
    await pool.query(`insert into tenants (id, name) values ($1, 'big')`, [tenant]);
    await pool.query(
      `insert into products (id, tenant_id, title, status)
       select md5('p' || g)::uuid, $1, 'Product ' || g, 'active' from generate_series(1, 10000) g`,
      [tenant],
    );
    await pool.query(
      `insert into product_variants (id, product_id, tenant_id, position, name, tax_category)
       select md5('v' || g)::uuid, md5('p' || ((g + 1) / 2))::uuid, $1, (g + 1) % 2, 'V' || g, 'standard'
         from generate_series(1, 20000) g`,
      [tenant],
    );
    await pool.query(
      `insert into product_skus (tenant_id, sku_key, sku, variant_id, position)
       select $1, k || g, upper(k) || g, md5('v' || g)::uuid, case k when 'sku-' then 0 else 1 end
         from generate_series(1, 20000) g cross join (values ('sku-'), ('alt-')) as keys(k)`,
      [tenant],
    );
    await pool.query(
      `insert into variant_prices (variant_id, currency, amount)
       select md5('v' || g)::uuid, c, 12.5 from generate_series(1, 20000) g cross join (values ('USD'), ('EUR')) as cs(c)`,
    );
    await pool.query("analyze");
  });
  afterAll(async () => {
    await ifSetUp(pool)?.end();
    await ifSetUp(scratch)?.drop();
  });

  // With a few refs in a catalog of 20,000 variants: a plan with a sequential scan would read a whole table for
  // each call. (The planner rightly prefers one when the refs are a large share of a small catalog; for 500 refs
  // in 1,000,000 variants it probes as here: see queries/resolve-items.ts.)
  it("probes an index for every ref and every table, never scanning a table", async () => {
    const md5uuid = async (text: string) =>
      (await pool.query<{ id: string }>("select md5($1)::uuid::text as id", [text])).rows[0]?.id ?? "";
    const lookups = [
      { variantId: await md5uuid("v17"), productId: null, skuKey: null },
      { variantId: null, productId: await md5uuid("p42"), skuKey: null },
      { variantId: null, productId: null, skuKey: "sku-1234" },
      { variantId: null, productId: null, skuKey: "alt-777" },
      { variantId: null, productId: null, skuKey: "nowhere" },
    ];
    const { sql, values } = resolveItemsStatement(tenant, lookups);
    const { rows } = await pool.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`explain (format json) ${sql}`, values);
    const plan = nodes(rows[0]?.["QUERY PLAN"][0]?.Plan as PlanNode);
    // Every read of a table goes through an index (a bitmap heap scan reads the rows a bitmap index scan found).
    const reads = plan.filter((node) => node["Relation Name"] !== undefined);
    expect(reads.filter((node) => !INDEX_READS.has(node["Node Type"]))).toEqual([]);
    expect(new Set(plan.flatMap((node) => node["Index Name"] ?? []))).toEqual(
      new Set([
        "product_variants_pkey",
        "product_variants_product_id_position_index",
        "product_skus_pkey",
        "products_pkey",
        "product_skus_variant_id_position_index",
        "variant_prices_pkey",
      ]),
    );
    const { rows: found } = await pool.query<{ ref: number; matches: number }>(sql, values);
    expect(found.map((row) => [row.ref, row.matches])).toEqual([
      [0, 1],
      [1, 2],
      [1, 2],
      [2, 1],
      [3, 1],
    ]);
  });
});
