import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProductStatus, type Product } from "../../gen/orders/v1/product_pb.js";
import { issueApiKey } from "../../src/admin/tenants.js";
import type { Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { injectorProduct, shirtProduct, uniqueSku } from "./support/product-fixtures.js";

let service: InMemoryService;
let clients: Clients;

beforeAll(async () => {
  service = await buildInMemoryService();
  clients = service.clients((await service.newTenant("editor")).key);
});
afterAll(() => ifSetUp(service)?.close());

/** Every product of a listing, page after page, and the number of pages. */
async function listAll(client: Clients, request: Parameters<Clients["catalog"]["listProducts"]>[0]) {
  const products: Product[] = [];
  let pageToken = "";
  let pages = 0;
  do {
    const page = await client.catalog.listProducts({ ...request, pageToken });
    products.push(...page.products);
    pageToken = page.nextPageToken;
    pages += 1;
  } while (pageToken !== "" && pages < 100);
  return { products, pages };
}

describe("BatchCreateProducts", () => {
  it("creates every product in the order given, with one call", async () => {
    const { products } = await clients.catalog.batchCreateProducts({
      requests: [
        { product: injectorProduct() },
        { product: shirtProduct() },
        { product: injectorProduct({ title: "Third" }) },
      ],
      requestId: crypto.randomUUID(),
    });
    expect(products.map((p) => [p.title, p.variants.length, p.eventSequence])).toEqual([
      ["6.7L Common-Rail Injector", 1, 1],
      ["Crew T-Shirt", 3, 1],
      ["Third", 1, 1],
    ]);
    for (const product of products)
      expect((await clients.catalog.getProduct({ id: product.id })).product).toEqual(product);
  });

  it("creates 1,000 products at once", async () => {
    const prefix = uniqueSku("BULK");
    const requests = Array.from({ length: 1000 }, (_, i) => ({
      product: { title: `${prefix} ${i}`, variants: [{ sku: `${prefix}-${i}`, prices: { USD: `${i}.99` } }] },
    }));
    const { products } = await clients.catalog.batchCreateProducts({ requests });
    expect(products).toHaveLength(1000);
    expect(products[999]?.variants[0]).toMatchObject({ sku: `${prefix}-999`, prices: { USD: "999.99" } });
    const { products: listed } = await listAll(clients, { titlePrefix: prefix, pageSize: 100 });
    expect(listed).toHaveLength(1000);
  });

  it("creates nothing when one product is refused: a SKU twice in the batch, a SKU of the catalog, a bad field", async () => {
    const title = uniqueSku("ALL-OR-NOTHING");
    const held = (await clients.catalog.createProduct({ product: injectorProduct() })).product?.variants[0]?.sku ?? "";
    const shared = uniqueSku("SHARED");
    const twice = await rejectionOf(
      clients.catalog.batchCreateProducts({
        requests: [
          { product: injectorProduct({ title, variants: [{ sku: shared }] }) },
          {
            product: injectorProduct({
              title,
              variants: [{ sku: uniqueSku(), alternateSkus: [shared.toLowerCase()] }],
            }),
          },
        ],
      }),
    );
    expect(twice).toMatchObject({
      code: Code.AlreadyExists,
      reason: "SKU_TAKEN",
      metadata: { field: "requests[1].product.variants[0].alternate_skus[0]" },
    });
    const taken = await rejectionOf(
      clients.catalog.batchCreateProducts({
        requests: [
          { product: injectorProduct({ title }) },
          { product: injectorProduct({ title, variants: [{ sku: held }] }) },
        ],
      }),
    );
    expect(taken).toMatchObject({
      code: Code.AlreadyExists,
      reason: "SKU_TAKEN",
      metadata: { sku: held, field: "requests[1].product.variants[0].sku" },
    });
    const invalid = await rejectionOf(
      clients.catalog.batchCreateProducts({
        requests: [{ product: injectorProduct({ title }) }, { product: injectorProduct({ title: "", variants: [] }) }],
      }),
    );
    expect(invalid).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "requests[1].product.title", reason: "REQUIRED" },
        { field: "requests[1].product.variants", reason: "VARIANTS_COUNT" },
      ],
    });
    expect((await listAll(clients, { titlePrefix: title })).products).toEqual([]);
  });

  it("refuses an empty batch, more than 1,000 products or 10,000 variants, and request_ids inside the batch", async () => {
    const empty = await rejectionOf(clients.catalog.batchCreateProducts({ requests: [] }));
    expect(empty).toMatchObject({ code: Code.InvalidArgument, violations: [{ field: "requests" }] });
    const tooMany = await rejectionOf(
      clients.catalog.batchCreateProducts({
        requests: Array.from({ length: 1001 }, () => ({ product: { title: "x", variants: [{ sku: "x" }] } })),
      }),
    );
    expect(tooMany).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "requests", reason: "REPEATED_MAX_ITEMS" }],
    });
    const variants = await rejectionOf(
      clients.catalog.batchCreateProducts({
        requests: Array.from({ length: 101 }, (_, i) => ({
          product: { title: "x", variants: Array.from({ length: 100 }, (_, j) => ({ sku: `V-${i}-${j}` })) },
        })),
      }),
    );
    expect(variants).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "requests", reason: "TOO_MANY_VARIANTS" }],
    });
    const inner = await rejectionOf(
      clients.catalog.batchCreateProducts({
        requests: [{ product: injectorProduct(), requestId: crypto.randomUUID() }],
      }),
    );
    expect(inner).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "requests[0].request_id", reason: "NOT_ALLOWED" }],
    });
  });

  it("answers a retry of the batch with the first answer", async () => {
    const request = {
      requests: [{ product: injectorProduct() }, { product: injectorProduct() }],
      requestId: crypto.randomUUID(),
    };
    const first = await clients.catalog.batchCreateProducts(request);
    expect(await clients.catalog.batchCreateProducts(request)).toEqual(first);
  });
});

describe("ListProducts", () => {
  let own: Clients;
  let products: Product[];
  const marker = uniqueSku("LIST");

  beforeAll(async () => {
    // A tenant of its own, so its listing holds exactly these; read with a viewer key.
    const tenant = await service.newTenant("editor");
    const editor = service.clients(tenant.key);
    const viewer = await issueApiKey(service.app.orm.em.fork(), tenant.tenantId, { role: "viewer", mode: "test" });
    own = service.clients(viewer.key);
    ({ products } = await editor.catalog.batchCreateProducts({
      requests: Array.from({ length: 7 }, (_, i) => ({
        product: {
          title: i % 2 === 0 ? `Alpha_${i} ${marker}` : `beta%${i} ${marker}`,
          variants: [{ sku: `${marker}-${i}`, alternateSkus: [`${marker}-ALT-${i}`] }],
        },
      })),
    }));
    // Products created in one batch share a create time; the id orders them.
    await editor.catalog.archiveProduct({ id: products[3]?.id ?? "" });
  });

  it("pages through every product newest first, each once", async () => {
    const { products: listed, pages } = await listAll(own, { pageSize: 2 });
    expect(pages).toBe(4);
    expect(new Set(listed.map((p) => p.id))).toEqual(new Set(products.map((p) => p.id)));
    const times = listed.map((p) => Number(p.createTime?.seconds));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("filters by status, by SKU in any case (primary or alternate), by title prefix in any case", async () => {
    const archived = await listAll(own, { status: ProductStatus.ARCHIVED });
    expect(archived.products.map((p) => p.id)).toEqual([products[3]?.id]);
    const active = await listAll(own, { status: ProductStatus.ACTIVE });
    expect(active.products).toHaveLength(6);
    const bySku = await listAll(own, { sku: `${marker}-5`.toLowerCase() });
    expect(bySku.products.map((p) => p.id)).toEqual([products[5]?.id]);
    const byAlternate = await listAll(own, { sku: `${marker}-alt-2` });
    expect(byAlternate.products.map((p) => p.id)).toEqual([products[2]?.id]);
    const alpha = await listAll(own, { titlePrefix: "ALPHA" });
    expect(alpha.products).toHaveLength(4);
    // LIKE's wildcards in a prefix are literal: "beta%" is not "beta" followed by anything.
    expect((await listAll(own, { titlePrefix: "beta%1" })).products.map((p) => p.id)).toEqual([products[1]?.id]);
    expect((await listAll(own, { titlePrefix: "alpha_" })).products).toHaveLength(4);
    expect((await listAll(own, { titlePrefix: "alpha%" })).products).toHaveLength(0);
    expect((await listAll(own, { sku: "NO-SUCH-SKU" })).products).toHaveLength(0);
  });

  it("sees none of another tenant's products", async () => {
    const other = service.clients((await service.newTenant("viewer")).key);
    expect((await other.catalog.listProducts({})).products).toEqual([]);
    expect((await other.catalog.listProducts({ sku: `${marker}-1` })).products).toEqual([]);
  });

  it("refuses a made-up page token, and one reused with other filters", async () => {
    const made = await rejectionOf(own.catalog.listProducts({ pageToken: "abc.def" }));
    expect(made).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }],
    });
    const { nextPageToken } = await own.catalog.listProducts({ pageSize: 1 });
    const changed = await rejectionOf(
      own.catalog.listProducts({ pageToken: nextPageToken, status: ProductStatus.ACTIVE }),
    );
    expect(changed).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }],
    });
  });
});
