import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProductStatus, type Product } from "../../gen/orders/v1/product_pb.js";
import { issueApiKey } from "../../src/admin/tenants.js";
import type { Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { injectorProduct, shirtProduct, uniqueSku, type ProductInit } from "./support/product-fixtures.js";

let service: InMemoryService;
let editor: Clients;
let viewer: Clients;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant("editor");
  editor = service.clients(tenant.key);
  const issued = await issueApiKey(service.app.orm.em.fork(), tenant.tenantId, { role: "viewer", mode: "test" });
  viewer = service.clients(issued.key);
});
afterAll(() => ifSetUp(service)?.close());

async function created(init: ProductInit = shirtProduct()): Promise<Product> {
  const { product } = await editor.catalog.createProduct({ product: init });
  if (!product) throw new Error("CreateProduct returned no product");
  return product;
}

const update = (product: (Product | ProductInit) & { id: string }, paths: string[], requestId?: string) =>
  editor.catalog.updateProduct({ product, updateMask: { paths }, requestId });

describe("UpdateProduct", () => {
  it("sets the fields the mask names, clears those left empty, and counts the change", async () => {
    const product = await created(injectorProduct());
    const { product: after } = await update(
      { id: product.id, title: "Injector, 6.7L", description: "", metadata: { brand: "Delphi" }, etag: product.etag },
      ["title", "description", "metadata"],
    );
    expect(after).toMatchObject({
      title: "Injector, 6.7L",
      description: "",
      metadata: { brand: "Delphi" },
      variants: product.variants,
      eventSequence: 2,
    });
    expect(after?.etag).not.toBe(product.etag);
    expect((await viewer.catalog.getProduct({ id: product.id })).product).toEqual(after);
  });

  it("adds, changes and removes variants by id, keeping the ids of those it changes", async () => {
    const product = await created();
    const [small, medium, large] = product.variants;
    if (!small || !medium || !large) throw new Error("three variants expected");
    const xl = uniqueSku("TEE-XL");
    const { product: after } = await update(
      {
        id: product.id,
        variants: [
          { ...large, prices: { USD: "22.00", EUR: "20.5" }, name: "Large / Red (new)" },
          // The new variant takes the SKU the removed Small gives up, in another case.
          { sku: small.sku.toLowerCase(), alternateSkus: [xl], name: "Small / Blue" },
          { ...medium, alternateSkus: [`${medium.sku}-OLD`] },
        ],
      },
      ["variants"],
    );
    const variants = after?.variants ?? [];
    expect(variants.map((v) => [v.id === large.id, v.name, v.prices])).toEqual([
      [true, "Large / Red (new)", { EUR: "20.50", USD: "22.00" }],
      [false, "Small / Blue", {}],
      [false, "Medium / Red", { USD: "19.00" }],
    ]);
    expect(variants[2]?.id).toBe(medium.id);
    expect(variants[2]?.alternateSkus).toEqual([`${medium.sku}-OLD`]);
    expect(variants.map((v) => v.id)).not.toContain(small.id);
    // Variants can swap SKUs within the product.
    const swapped = await update(
      {
        id: product.id,
        variants: variants.map((v, i) => ({ ...v, sku: variants[(i + 1) % 3]?.sku ?? "", alternateSkus: [] })),
      },
      ["variants"],
    );
    expect(swapped.product?.variants.map((v) => v.sku)).toEqual([variants[1]?.sku, variants[2]?.sku, variants[0]?.sku]);
  });

  it("updates an archived product and reactivates it with status", async () => {
    const product = await created(injectorProduct({ status: ProductStatus.ARCHIVED }));
    const { product: renamed } = await update(
      { id: product.id, title: "Still archived", status: ProductStatus.ARCHIVED },
      ["title", "status"],
    );
    expect(renamed?.status).toBe(ProductStatus.ARCHIVED);
    const { product: active } = await update({ id: product.id, status: ProductStatus.ACTIVE }, ["status"]);
    expect(active?.status).toBe(ProductStatus.ACTIVE);
  });

  it("takes '*' for every updatable field", async () => {
    const product = await created(injectorProduct());
    const { product: after } = await update({ ...product, title: "All of it", metadata: {} }, ["*"]);
    expect(after).toMatchObject({ title: "All of it", metadata: {}, variants: product.variants, eventSequence: 2 });
  });

  it("answers a retry with the same request_id as the first call, without a second change", async () => {
    const product = await created(injectorProduct());
    const requestId = crypto.randomUUID();
    const first = await update({ id: product.id, title: "Once", etag: product.etag }, ["title"], requestId);
    const again = await update({ id: product.id, title: "Once", etag: product.etag }, ["title"], requestId);
    expect(again).toEqual(first);
    expect(first.product?.eventSequence).toBe(2);
  });
});

describe("UpdateProduct refuses", () => {
  it.each([
    ["an empty mask", [], {}, "update_mask", "REQUIRED"],
    ["a path it cannot set", ["etag"], {}, "update_mask.paths[0]", "NOT_UPDATABLE"],
    ["a nested path", ["variants.sku"], {}, "update_mask.paths[0]", "NOT_UPDATABLE"],
    ["an empty title", ["title"], { title: " " }, "product.title", "REQUIRED"],
    ["archiving", ["status"], { status: ProductStatus.ARCHIVED }, "product.status", "USE_ARCHIVE_PRODUCT"],
    ["an unspecified status", ["status"], { status: ProductStatus.UNSPECIFIED }, "product.status", "REQUIRED"],
    ["no variants", ["variants"], { variants: [] }, "product.variants", "VARIANTS_COUNT"],
    [
      "a price too fine for JPY",
      ["variants"],
      { variants: [{ sku: "P-1", prices: { JPY: "1.001" } }] },
      'product.variants[0].prices["JPY"]',
      "TOO_MANY_FRACTION_DIGITS",
    ],
  ])("%s", async (_, paths, changes, field, reason) => {
    const product = await created(injectorProduct());
    const error = await rejectionOf(update({ id: product.id, ...changes }, paths));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toContainEqual({ field, reason });
    expect((await viewer.catalog.getProduct({ id: product.id })).product).toEqual(product);
  });

  it("a variant id that is not one of the product's, or given twice", async () => {
    const product = await created();
    const other = await created(injectorProduct());
    const [small, medium] = product.variants;
    if (!small || !medium) throw new Error("two variants expected");
    const error = await rejectionOf(
      update(
        {
          id: product.id,
          variants: [
            { id: other.variants[0]?.id ?? "", sku: uniqueSku() },
            { ...small },
            { ...small, sku: uniqueSku() },
            { ...medium },
          ],
        },
        ["variants"],
      ),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "product.variants[0].id", reason: "VARIANT_NOT_FOUND" },
        { field: "product.variants[2].id", reason: "DUPLICATE_VARIANT_ID" },
      ],
    });
  });

  it("a product id that is not a UUID, an unknown product and another tenant's", async () => {
    const malformed = await rejectionOf(update({ id: "42", title: "x" }, ["title"]));
    expect(malformed).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "product.id", reason: "INVALID_UUID" }],
    });
    const unknown = await rejectionOf(update({ id: crypto.randomUUID(), title: "x" }, ["title"]));
    expect(unknown).toMatchObject({ code: Code.NotFound, reason: "PRODUCT_NOT_FOUND" });
    const theirs = await created(injectorProduct());
    const other = service.clients((await service.newTenant("editor")).key);
    const hidden = await rejectionOf(
      other.catalog.updateProduct({ product: { id: theirs.id, title: "x" }, updateMask: { paths: ["title"] } }),
    );
    expect(hidden).toMatchObject({ code: Code.NotFound, reason: "PRODUCT_NOT_FOUND" });
  });

  it("a stale etag, as ABORTED (AIP-154)", async () => {
    const product = await created(injectorProduct());
    await update({ id: product.id, title: "First" }, ["title"]);
    const error = await rejectionOf(update({ id: product.id, title: "Second", etag: product.etag }, ["title"]));
    expect(error).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH", metadata: { productId: product.id } });
    expect((await viewer.catalog.getProduct({ id: product.id })).product?.title).toBe("First");
  });

  it("a SKU another product holds, or given twice, writing nothing", async () => {
    const holder = await created(injectorProduct());
    const product = await created();
    const held = holder.variants[0]?.sku ?? "";
    const taken = await rejectionOf(
      update(
        { id: product.id, title: "Not saved", variants: [...product.variants.slice(1), { sku: held.toLowerCase() }] },
        ["title", "variants"],
      ),
    );
    expect(taken).toMatchObject({
      code: Code.AlreadyExists,
      reason: "SKU_TAKEN",
      metadata: { sku: held.toLowerCase(), field: "product.variants[2].sku", productId: holder.id },
    });
    const twice = await rejectionOf(
      update({ id: product.id, variants: [{ sku: "TWICE-1" }, { sku: "x", alternateSkus: ["twice-1"] }] }, [
        "variants",
      ]),
    );
    expect(twice).toMatchObject({
      code: Code.AlreadyExists,
      reason: "SKU_TAKEN",
      metadata: { field: "product.variants[1].alternate_skus[0]" },
    });
    expect((await viewer.catalog.getProduct({ id: product.id })).product).toEqual(product);
  });

  it("viewers", async () => {
    const product = await created(injectorProduct());
    const error = await rejectionOf(
      viewer.catalog.updateProduct({ product: { id: product.id, title: "x" }, updateMask: { paths: ["title"] } }),
    );
    expect(error).toMatchObject({ code: Code.PermissionDenied, reason: "ROLE_REQUIRED" });
  });
});

describe("ArchiveProduct", () => {
  it("archives an active product, once", async () => {
    const product = await created(injectorProduct());
    const { product: archived } = await editor.catalog.archiveProduct({ id: product.id, etag: product.etag });
    expect(archived).toMatchObject({ status: ProductStatus.ARCHIVED, variants: product.variants, eventSequence: 2 });
    const again = await rejectionOf(editor.catalog.archiveProduct({ id: product.id }));
    expect(again).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "PRODUCT_ARCHIVED",
      metadata: { productId: product.id },
    });
  });

  it("answers a retry with the same request_id as the first call", async () => {
    const product = await created(injectorProduct());
    const request = { id: product.id, requestId: crypto.randomUUID() };
    const first = await editor.catalog.archiveProduct(request);
    expect(await editor.catalog.archiveProduct(request)).toEqual(first);
  });

  it("refuses a stale etag, an unknown product and viewers", async () => {
    const product = await created(injectorProduct());
    await update({ id: product.id, title: "Changed" }, ["title"]);
    const stale = await rejectionOf(editor.catalog.archiveProduct({ id: product.id, etag: product.etag }));
    expect(stale).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
    const unknown = await rejectionOf(editor.catalog.archiveProduct({ id: crypto.randomUUID() }));
    expect(unknown).toMatchObject({ code: Code.NotFound, reason: "PRODUCT_NOT_FOUND" });
    const role = await rejectionOf(viewer.catalog.archiveProduct({ id: product.id }));
    expect(role).toMatchObject({ code: Code.PermissionDenied, reason: "ROLE_REQUIRED" });
    expect((await viewer.catalog.getProduct({ id: product.id })).product?.status).toBe(ProductStatus.ACTIVE);
  });
});
