import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProductStatus } from "../../gen/orders/v1/product_pb.js";
import { issueApiKey } from "../../src/admin/tenants.js";
import type { Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { injectorProduct, shirtProduct, uniqueSku } from "./support/product-fixtures.js";

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

async function countProducts(tenantTitle: string): Promise<number> {
  const rows = await service.app.orm.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>("select count(*) as n from products where title = ?", [tenantTitle]);
  return Number(rows[0]?.n);
}

describe("CreateProduct and GetProduct", () => {
  it("create a product with its variants and read it back as created", async () => {
    const sku = uniqueSku("INJ");
    const { product } = await editor.catalog.createProduct({
      product: injectorProduct({
        variants: [
          {
            sku,
            alternateSkus: [`${sku}-OLD`, `BOSCH-${sku}`],
            prices: { USD: "289.5", JPY: "41000", KWD: "88.1234" },
          },
        ],
      }),
    });
    expect(product).toMatchObject({
      title: "6.7L Common-Rail Injector",
      description: "Remanufactured, tested to OEM flow rates.",
      status: ProductStatus.ACTIVE,
      metadata: { brand: "Bosch" },
      eventSequence: 1,
      variants: [
        {
          sku,
          alternateSkus: [`${sku}-OLD`, `BOSCH-${sku}`],
          name: "",
          // At least the currency's minor units, finer when the price is finer.
          prices: { JPY: "41000", KWD: "88.1234", USD: "289.50" },
          taxCategory: "standard",
          metadata: {},
        },
      ],
    });
    expect(product?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(product?.variants[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(product?.variants[0]?.weightGrams).toBeUndefined();
    expect(product?.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(product?.createTime).toEqual(product?.updateTime);

    const read = await viewer.catalog.getProduct({ id: product?.id ?? "" });
    expect(read.product).toEqual(product);
  });

  it("keep the variants in the given order, with their names, tax categories and weights", async () => {
    const { product } = await editor.catalog.createProduct({ product: shirtProduct() });
    expect(product?.variants.map((v) => [v.name, v.taxCategory, v.prices])).toEqual([
      ["Small / Red", "clothing", { USD: "19.00" }],
      ["Medium / Red", "clothing", { USD: "19.00" }],
      ["Large / Red", "clothing", { USD: "19.00" }],
    ]);
    const { product: weighed } = await editor.catalog.createProduct({ product: injectorProduct() });
    expect(weighed?.variants[0]?.weightGrams).toBe(820);
  });

  it("create an archived product for a catalog that brings discontinued items along", async () => {
    const { product } = await editor.catalog.createProduct({
      product: injectorProduct({ status: ProductStatus.ARCHIVED }),
    });
    expect(product?.status).toBe(ProductStatus.ARCHIVED);
  });

  it("answer an unknown product, and another tenant's, as NOT_FOUND", async () => {
    const unknown = await rejectionOf(viewer.catalog.getProduct({ id: crypto.randomUUID() }));
    expect(unknown).toMatchObject({ code: Code.NotFound, reason: "PRODUCT_NOT_FOUND" });

    const { product } = await editor.catalog.createProduct({ product: injectorProduct() });
    const other = service.clients((await service.newTenant("viewer")).key);
    const hidden = await rejectionOf(other.catalog.getProduct({ id: product?.id ?? "" }));
    expect(hidden).toMatchObject({
      code: Code.NotFound,
      reason: "PRODUCT_NOT_FOUND",
      metadata: { productId: product?.id },
    });
  });

  it("let viewers read but not write", async () => {
    const error = await rejectionOf(viewer.catalog.createProduct({ product: injectorProduct() }));
    expect(error).toMatchObject({ code: Code.PermissionDenied, reason: "ROLE_REQUIRED" });
    const anonymous = await rejectionOf(service.clients(undefined).catalog.getProduct({ id: crypto.randomUUID() }));
    expect(anonymous.code).toBe(Code.Unauthenticated);
  });
});

describe("CreateProduct refuses", () => {
  it.each([
    ["no title", { title: "" }, "product.title", "REQUIRED"],
    ["a blank title", { title: "   " }, "product.title", "REQUIRED"],
    ["no variants", { variants: [] }, "product.variants", "VARIANTS_COUNT"],
    [
      "an unknown currency",
      { variants: [{ sku: "X-1", prices: { XYZ: "1.00" } }] },
      'product.variants[0].prices["XYZ"]',
      "UNKNOWN_CURRENCY",
    ],
    [
      "a metal as currency",
      { variants: [{ sku: "X-1", prices: { XAU: "1" } }] },
      'product.variants[0].prices["XAU"]',
      "UNKNOWN_CURRENCY",
    ],
    [
      "JPY finer than 2 decimals",
      { variants: [{ sku: "X-1", prices: { JPY: "1.234" } }] },
      'product.variants[0].prices["JPY"]',
      "TOO_MANY_FRACTION_DIGITS",
    ],
    [
      "a price with 5 decimals",
      { variants: [{ sku: "X-1", prices: { USD: "1.23456" } }] },
      'product.variants[0].prices["USD"]',
      "INVALID_DECIMAL",
    ],
    [
      "a negative price",
      { variants: [{ sku: "X-1", prices: { USD: "-1" } }] },
      'product.variants[0].prices["USD"]',
      "INVALID_DECIMAL",
    ],
    [
      "a lower-case currency",
      { variants: [{ sku: "X-1", prices: { usd: "1" } }] },
      'product.variants[0].prices["usd"]',
      "INVALID_CURRENCY_CODE",
    ],
    ["a SKU with a leading space", { variants: [{ sku: " X-1" }] }, "product.variants[0].sku", "INVALID_SKU"],
    ["a SKU with a tab inside", { variants: [{ sku: "X\t1" }] }, "product.variants[0].sku", "INVALID_SKU"],
    ["an empty SKU", { variants: [{ sku: "" }] }, "product.variants[0].sku", "REQUIRED"],
    [
      "an empty alternate SKU",
      { variants: [{ sku: "X-1", alternateSkus: [""] }] },
      "product.variants[0].alternate_skus[0]",
      "STRING_MIN_LEN",
    ],
    [
      "a bad tax category",
      { variants: [{ sku: "X-1", taxCategory: "Standard Rate" }] },
      "product.variants[0].tax_category",
      "INVALID_TAX_CATEGORY",
    ],
    [
      "a negative weight",
      { variants: [{ sku: "X-1", weightGrams: -1 }] },
      "product.variants[0].weight_grams",
      "INT32_GTE_LTE",
    ],
  ])("%s", async (_, overrides, field, reason) => {
    const error = await rejectionOf(editor.catalog.createProduct({ product: injectorProduct(overrides) }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toContainEqual({ field, reason });
  });

  it("more than 100 variants or 20 alternate SKUs", async () => {
    const many = Array.from({ length: 101 }, () => ({ sku: uniqueSku("V") }));
    const variants = await rejectionOf(editor.catalog.createProduct({ product: injectorProduct({ variants: many }) }));
    expect(variants).toMatchObject({ code: Code.InvalidArgument, violations: [{ field: "product.variants" }] });
    const alternates = Array.from({ length: 21 }, () => uniqueSku("ALT"));
    const skus = await rejectionOf(
      editor.catalog.createProduct({
        product: injectorProduct({ variants: [{ sku: uniqueSku(), alternateSkus: alternates }] }),
      }),
    );
    expect(skus).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "product.variants[0].alternate_skus" }],
    });
  });

  it("a SKU given twice in the request, in any case, primary or alternate", async () => {
    const sku = uniqueSku("DUP");
    const title = `dup-${sku}`;
    const error = await rejectionOf(
      editor.catalog.createProduct({
        product: injectorProduct({
          title,
          variants: [{ sku: uniqueSku(), alternateSkus: [sku] }, { sku: sku.toLowerCase() }],
        }),
      }),
    );
    expect(error).toMatchObject({
      code: Code.AlreadyExists,
      reason: "SKU_TAKEN",
      metadata: { sku: sku.toLowerCase(), field: "product.variants[1].sku" },
    });
    expect(await countProducts(title)).toBe(0);
  });

  it("a SKU another product holds, primary or alternate, in any case, writing nothing", async () => {
    const held = uniqueSku("HELD");
    const { product: holder } = await editor.catalog.createProduct({
      product: injectorProduct({ variants: [{ sku: uniqueSku(), alternateSkus: [held] }] }),
    });
    const free = uniqueSku("FREE");
    const title = `taken-${held}`;
    const error = await rejectionOf(
      editor.catalog.createProduct({
        product: injectorProduct({ title, variants: [{ sku: free }, { sku: held.toLowerCase() }] }),
      }),
    );
    expect(error).toMatchObject({
      code: Code.AlreadyExists,
      reason: "SKU_TAKEN",
      metadata: {
        sku: held.toLowerCase(),
        field: "product.variants[1].sku",
        productId: holder?.id,
        variantId: holder?.variants[0]?.id,
      },
    });
    expect(await countProducts(title)).toBe(0);
    // Nothing was half-written: the other SKU of the refused product is still free.
    const { product } = await editor.catalog.createProduct({ product: injectorProduct({ variants: [{ sku: free }] }) });
    expect(product?.variants[0]?.sku).toBe(free);
  });

  it("nothing for a SKU another tenant holds: SKUs are unique per tenant", async () => {
    const sku = uniqueSku("SHARED");
    await editor.catalog.createProduct({ product: injectorProduct({ variants: [{ sku }] }) });
    const other = service.clients((await service.newTenant("editor")).key);
    const { product } = await other.catalog.createProduct({ product: injectorProduct({ variants: [{ sku }] }) });
    expect(product?.variants[0]?.sku).toBe(sku);
  });
});

describe("CreateProduct with a request_id", () => {
  it("answers a retry as the first call, without a second product", async () => {
    const request = { product: injectorProduct(), requestId: crypto.randomUUID() };
    const first = await editor.catalog.createProduct(request);
    const again = await editor.catalog.createProduct(request);
    expect(again).toEqual(first);
  });

  it("refuses the same request_id for another request", async () => {
    const requestId = crypto.randomUUID();
    await editor.catalog.createProduct({ product: injectorProduct(), requestId });
    const error = await rejectionOf(editor.catalog.createProduct({ product: injectorProduct(), requestId }));
    expect(error).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });
});
