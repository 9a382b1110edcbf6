import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abortedOnDeadlock } from "../../src/catalog/catalog-errors.js";
import { claimSkus, insertProducts, type NewProduct } from "../../src/catalog/queries/write-products.js";
import { skuKey } from "../../src/catalog/rules/sku.js";
import { ServiceError } from "../../src/platform/transport/service-error.js";
import { productDraft } from "../../src/catalog/rules/product-draft.js";
import { create } from "@bufbuild/protobuf";
import { ProductSchema } from "../../gen/orders/v1/product_pb.js";
import { Code, observedError } from "../support/errors.js";
import { testDatabaseUrl } from "../support/database.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { injectorProduct, uniqueSku } from "./support/product-fixtures.js";

let service: InMemoryService;
let tenantId: string;
let key: string;
let db: pg.Pool;

beforeAll(async () => {
  service = await buildInMemoryService();
  ({ tenantId, key } = await service.newTenant("editor"));
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 4 });
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.close();
});

async function holdersOf(sku: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::integer as n from product_skus where tenant_id = $1 and sku_key = lower($2)",
    [tenantId, sku],
  );
  return rows[0]?.n ?? -1;
}

/** A one-variant product with this SKU, as insertProducts takes it. */
function newProduct(sku: string): NewProduct {
  const draft = productDraft(create(ProductSchema, injectorProduct({ variants: [{ sku }] })));
  return { id: randomUUID(), draft, variantIds: [randomUUID()], variantsField: "product.variants" };
}

describe("a SKU is claimed once, whatever runs at the same time", () => {
  it("12 concurrent CreateProduct calls with one SKU in different cases: one product, 11 SKU_TAKEN", async () => {
    const sku = uniqueSku("RACE");
    const clients = service.clients(key);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        clients.catalog.createProduct({
          product: injectorProduct({
            title: `race ${sku}`,
            variants: [{ sku: i % 2 === 0 ? sku : sku.toLowerCase(), alternateSkus: [`${sku}-ALT-${i}`] }],
          }),
        }),
      ),
    );
    const created = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [observedError(o.reason)] : []));
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(11);
    for (const error of refused) expect(error).toMatchObject({ code: Code.AlreadyExists, reason: "SKU_TAKEN" });
    expect(await holdersOf(sku)).toBe(1);
    const { rows } = await db.query<{ n: number }>(
      "select count(*)::integer as n from products where tenant_id = $1 and title = $2",
      [tenantId, `race ${sku}`],
    );
    expect(rows[0]?.n).toBe(1);
    // The losers' other SKUs were rolled back with them.
    const { rows: alternates } = await db.query<{ n: number }>(
      "select count(*)::integer as n from product_skus where tenant_id = $1 and sku_key like lower($2)",
      [tenantId, `${sku}-ALT-%`],
    );
    expect(alternates[0]?.n).toBe(1);
  });

  it("the second of two open transactions waits for the first and finds the SKU taken once it commits", async () => {
    const sku = uniqueSku("WAIT");
    const [first, second] = [await db.connect(), await db.connect()];
    try {
      await first.query("begin");
      await second.query("begin");
      const firstProduct = newProduct(sku);
      expect(await insertProducts(first, tenantId, [firstProduct], new Date())).toBeUndefined();
      let secondDone = false;
      const secondInsert = insertProducts(second, tenantId, [newProduct(sku.toLowerCase())], new Date()).finally(
        () => (secondDone = true),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(secondDone).toBe(false); // waiting on the first transaction's claim
      await first.query("commit");
      const taken = await secondInsert;
      expect(taken).toMatchObject({
        claim: { sku: sku.toLowerCase(), field: "product.variants[0].sku" },
        holder: { productId: firstProduct.id, variantId: firstProduct.variantIds[0] },
      });
      await second.query("rollback");
    } finally {
      first.release();
      second.release();
    }
    expect(await holdersOf(sku)).toBe(1);
  });

  it("gets the SKU when the first transaction rolls back", async () => {
    const sku = uniqueSku("BACK");
    const [first, second] = [await db.connect(), await db.connect()];
    try {
      await first.query("begin");
      await second.query("begin");
      expect(await insertProducts(first, tenantId, [newProduct(sku)], new Date())).toBeUndefined();
      const secondInsert = insertProducts(second, tenantId, [newProduct(sku)], new Date());
      await new Promise((resolve) => setTimeout(resolve, 100));
      await first.query("rollback");
      expect(await secondInsert).toBeUndefined();
      await second.query("commit");
    } finally {
      first.release();
      second.release();
    }
    expect(await holdersOf(sku)).toBe(1);
  });

  it("an UpdateProduct and a CreateProduct claiming one SKU at once: exactly one gets it, every time", async () => {
    const clients = service.clients(key);
    for (let round = 0; round < 5; round++) {
      const { product } = await clients.catalog.createProduct({ product: injectorProduct() });
      if (!product) throw new Error("no product");
      const sku = uniqueSku("CONTESTED");
      const outcomes = await Promise.allSettled([
        clients.catalog.updateProduct({
          product: { id: product.id, variants: [...product.variants, { sku }] },
          updateMask: { paths: ["variants"] },
        }),
        clients.catalog.createProduct({ product: injectorProduct({ variants: [{ sku: sku.toLowerCase() }] }) }),
      ]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const [refused] = outcomes.flatMap((o) => (o.status === "rejected" ? [observedError(o.reason)] : []));
      expect(refused).toMatchObject({ code: Code.AlreadyExists, reason: "SKU_TAKEN" });
      expect(await holdersOf(sku)).toBe(1);
    }
  });
});

describe("two changes that move SKUs between two products in opposite directions at once", () => {
  it("deadlock in PostgreSQL, and the one it ends is ABORTED (CONCURRENT_CHANGE), not INTERNAL", async () => {
    const [x, y] = [uniqueSku("X"), uniqueSku("Y")];
    const a = newProduct(x);
    const b = newProduct(y);
    await insertProducts(db, tenantId, [a, b], new Date());
    const claim = (sku: string, variantId: string) => ({
      sku,
      key: skuKey(sku),
      field: "product.variants[0].sku",
      variant: 0,
      position: 0,
      variantId,
    });
    const [first, second] = [await db.connect(), await db.connect()];
    try {
      await first.query("begin");
      await second.query("begin");
      // Each gives up its SKU (as UpdateProduct does first), then claims the other's.
      await first.query("delete from product_skus where tenant_id = $1 and sku_key = $2", [tenantId, skuKey(x)]);
      await second.query("delete from product_skus where tenant_id = $1 and sku_key = $2", [tenantId, skuKey(y)]);
      const outcomes = await Promise.allSettled([
        abortedOnDeadlock(() => claimSkus(first, tenantId, [claim(y, a.variantIds[0] ?? "")])),
        abortedOnDeadlock(() => claimSkus(second, tenantId, [claim(x, b.variantIds[0] ?? "")])),
      ]);
      const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toBeInstanceOf(ServiceError);
      expect(refused[0]).toMatchObject({ kind: "aborted", reason: "CONCURRENT_CHANGE" });
    } finally {
      await first.query("rollback").catch(() => undefined);
      await second.query("rollback").catch(() => undefined);
      first.release();
      second.release();
    }
  });
});

describe("changes of one product queue on its row", () => {
  it("8 concurrent updates with the same etag: one is made, 7 are ABORTED", async () => {
    const clients = service.clients(key);
    const { product } = await clients.catalog.createProduct({ product: injectorProduct() });
    if (!product) throw new Error("no product");
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        clients.catalog.updateProduct({
          product: { id: product.id, etag: product.etag, title: `Title ${i}` },
          updateMask: { paths: ["title"] },
        }),
      ),
    );
    const made = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value.product] : []));
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [observedError(o.reason)] : []));
    expect(made).toHaveLength(1);
    for (const error of refused) expect(error).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
    const { product: read } = await clients.catalog.getProduct({ id: product.id });
    expect(read).toEqual(made[0]);
    expect(read?.eventSequence).toBe(2);
  });

  it("concurrent updates without etags each see the one before: the sequence counts every one", async () => {
    const clients = service.clients(key);
    const { product } = await clients.catalog.createProduct({ product: injectorProduct() });
    if (!product) throw new Error("no product");
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        clients.catalog.updateProduct({
          product: { id: product.id, metadata: { n: String(i) } },
          updateMask: { paths: ["metadata"] },
        }),
      ),
    );
    const { product: read } = await clients.catalog.getProduct({ id: product.id });
    expect(read?.eventSequence).toBe(7);
    const { rows } = await db.query<{ n: number }>(
      "select count(*)::integer as n from outbox_events where aggregate_id = $1",
      [product.id],
    );
    expect(rows[0]?.n).toBe(7);
  });
});
