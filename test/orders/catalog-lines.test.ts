import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Channel } from "../../gen/orders/v1/order_pb.js";
import { query } from "../../src/platform/database/query.js";
import { issueApiKey } from "../../src/admin/tenants.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import type { Clients } from "../support/clients.js";

// Lines that name a catalog item by variant id, product id or SKU (issue 11 section 2, seeds 001, 002 and 004), over
// the routes in memory with the real catalog.
let service: InMemoryService;
let clients: Clients;
let tee: { productId: string; large: string; medium: string };
let mug: { productId: string; variantId: string };

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant();
  clients = service.clients(tenant.key);
  const suffix = Date.now().toString(36);
  const created = await clients.catalog.createProduct({
    product: {
      title: "Tee",
      variants: [
        {
          sku: `TEE-L-RED-${suffix}`,
          alternateSkus: [`TLR-OLD-${suffix}`],
          name: "Large / Red",
          prices: { USD: "19.90", EUR: "18.50" },
          weightGrams: 180,
        },
        { sku: `TEE-M-BLUE-${suffix}`, name: "Medium / Blue", prices: { USD: "17.90" }, taxCategory: "reduced" },
      ],
    },
  });
  const [large, medium] = created.product?.variants ?? [];
  tee = { productId: created.product?.id ?? "", large: large?.id ?? "", medium: medium?.id ?? "" };
  const single = await clients.catalog.createProduct({
    product: { title: "Mug", variants: [{ sku: `MUG-${suffix}`, prices: { USD: "9.75" } }] },
  });
  mug = { productId: single.product?.id ?? "", variantId: single.product?.variants[0]?.id ?? "" };
});
afterAll(() => ifSetUp(service)?.close());

const skuOf = (line: { sku: string }) => line.sku.replace(/-[a-z0-9]+$/, "");

describe("catalog lines", () => {
  it("resolves lines by SKU in any case, alternate SKU, variant id and product id, next to a custom line", async () => {
    const [largeSku, oldSku] = await skus();
    const { order } = await clients.orders.createOrder({
      email: "buyer@example.com",
      items: [
        { sku: largeSku?.toLowerCase() ?? "", quantity: 2 },
        { sku: oldSku ?? "" },
        { variantId: tee.medium },
        { productId: mug.productId, quantity: 3 },
        { sku: "FREIGHT", name: "Freight", unitPrice: "40" },
      ],
    });
    expect(
      order?.items.map((line) => [
        skuOf(line),
        line.requestedSku !== "",
        line.name,
        line.unitPrice,
        line.lineTotal,
        line.variantId,
        line.taxCategory,
        line.weightGrams,
      ]),
    ).toEqual([
      ["TEE-L-RED", true, "Tee - Large / Red", "19.90", "39.80", tee.large, "standard", 180],
      ["TEE-L-RED", true, "Tee - Large / Red", "19.90", "19.90", tee.large, "standard", 180],
      ["TEE-M-BLUE", false, "Tee - Medium / Blue", "17.90", "17.90", tee.medium, "reduced", undefined],
      ["MUG", false, "Mug", "9.75", "29.25", mug.variantId, "standard", undefined],
      ["FREIGHT", false, "Freight", "40.00", "40.00", "", "", undefined],
    ]);
    expect(order?.items[0]?.requestedSku).toBe(largeSku?.toLowerCase());
    expect(order?.items[1]?.requestedSku).toBe(oldSku);
    expect(order?.items[0]?.productId).toBe(tee.productId);
    expect(order?.subtotal).toBe("146.85");
  });

  it("lets a given name and unit price win, and prices in the order's currency", async () => {
    const { order } = await clients.orders.createOrder({
      email: "b2b@example.com",
      currency: "EUR",
      items: [{ variantId: tee.large }, { variantId: tee.large, unitPrice: "15.00", name: "Team tee" }],
    });
    expect(order?.items.map((line) => [line.name, line.unitPrice])).toEqual([
      ["Tee - Large / Red", "18.50"],
      ["Team tee", "15.00"],
    ]);
  });

  it("previews exactly what it creates", async () => {
    const request = { email: "p@example.com", items: [{ variantId: tee.medium, quantity: 2 }] };
    const preview = await clients.orders.previewOrder({ order: request });
    const { order } = await clients.orders.createOrder(request);
    expect(preview.order?.items[0]).toMatchObject({ ...order?.items[0], id: "" });
    expect(preview.order?.total).toBe(order?.total);
  });

  it("takes a manual discount larger than the custom lines when the catalog's prices cover it", async () => {
    // The request's own figures are checked before the catalog is read; a catalog line's price is not among them, so
    // the discount is judged against the whole order only once it is priced (3 mugs at 9.75 + 1.00 freight).
    const { order } = await clients.orders.createOrder({
      email: "discount@example.com",
      discountTotal: "20.00",
      items: [
        { productId: mug.productId, quantity: 3 },
        { sku: "FREIGHT", name: "Freight", unitPrice: "1.00" },
      ],
    });
    expect([order?.subtotal, order?.discountTotal, order?.total]).toEqual(["30.25", "20.00", "10.25"]);
    const error = await rejectionOf(
      clients.orders.createOrder({
        email: "discount@example.com",
        discountTotal: "30.26",
        items: [
          { productId: mug.productId, quantity: 3 },
          { sku: "FREIGHT", name: "Freight", unitPrice: "1.00" },
        ],
      }),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [expect.objectContaining({ field: "discount_total", reason: "DISCOUNT_EXCEEDS_TOTAL" })],
    });
  });

  it("keeps the line as placed when the catalog changes afterwards", async () => {
    const { order } = await clients.orders.createOrder({ email: "s@example.com", items: [{ variantId: tee.medium }] });
    await query(service.app.orm.em.fork(), "update variant_prices set amount = 99 where variant_id = $1", [tee.medium]);
    await query(service.app.orm.em.fork(), "update products set title = 'Renamed' where id = $1", [tee.productId]);
    const read = await clients.orders.getOrder({ id: order?.id ?? "" });
    expect(read.order?.items[0]).toMatchObject({ name: "Tee - Medium / Blue", unitPrice: "17.90" });
    await query(service.app.orm.em.fork(), "update variant_prices set amount = 17.9 where variant_id = $1", [
      tee.medium,
    ]);
    await query(service.app.orm.em.fork(), "update products set title = 'Tee' where id = $1", [tee.productId]);
  });
});

describe("catalog line errors", () => {
  const unknown = "0c7b1a2d-4e5f-4a6b-9c8d-2e1f0a9b8c7d";

  it.each([
    ["an unknown variant", () => ({ variantId: unknown }), "items[0].variant_id", "VARIANT_NOT_FOUND"],
    ["an unknown product", () => ({ productId: unknown }), "items[0].product_id", "PRODUCT_NOT_FOUND"],
    [
      "a product with several variants",
      () => ({ productId: tee.productId }),
      "items[0].product_id",
      "PRODUCT_HAS_VARIANTS",
    ],
    ["a custom line without a name", () => ({ sku: "NOT-IN-CATALOG" }), "items[0].name", "NAME_REQUIRED"],
  ])("refuses %s with a field violation and writes nothing", async (_name, line, field, reason) => {
    const email = `refused-${Math.random()}@example.com`;
    const error = await rejectionOf(clients.orders.createOrder({ email, items: [line()] }));
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [expect.objectContaining({ field, reason })],
    });
    expect((await clients.orders.listOrders({ email })).orders).toEqual([]);
  });

  it("refuses a variant without a price in the order's currency unless the line gives one", async () => {
    const error = await rejectionOf(
      clients.orders.createOrder({ email: "j@example.com", currency: "JPY", items: [{ variantId: tee.medium }] }),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [expect.objectContaining({ field: "items[0].unit_price", reason: "NO_PRICE_IN_CURRENCY" })],
    });
    const priced = await clients.orders.createOrder({
      email: "j@example.com",
      currency: "JPY",
      items: [{ variantId: tee.medium, unitPrice: "2500" }],
    });
    expect(priced.order?.total).toBe("2500");
  });

  it("does not see another tenant's catalog", async () => {
    const other = service.clients((await service.newTenant()).key);
    const error = await rejectionOf(
      other.orders.createOrder({ email: "o@example.com", items: [{ variantId: tee.large }] }),
    );
    expect(error).toMatchObject({
      violations: [expect.objectContaining({ field: "items[0].variant_id", reason: "VARIANT_NOT_FOUND" })],
    });
    // its SKU is just an unknown SKU there: a custom line
    const [largeSku] = await skus();
    const custom = await other.orders.createOrder({
      email: "o@example.com",
      items: [{ sku: largeSku ?? "", name: "Mine" }],
    });
    expect(custom.order?.items[0]).toMatchObject({ variantId: "", name: "Mine", unitPrice: "0.00" });
  });

  it("refuses an archived product's variant, except in an import of past orders", async () => {
    const created = await clients.catalog.createProduct({
      product: { title: "Old", variants: [{ sku: `OLD-${Date.now()}`, prices: { USD: "5.00" } }] },
    });
    const variantId = created.product?.variants[0]?.id ?? "";
    await query(service.app.orm.em.fork(), "update products set status = 'archived' where id = $1", [
      created.product?.id,
    ]);
    const error = await rejectionOf(clients.orders.createOrder({ email: "a@example.com", items: [{ variantId }] }));
    expect(error).toMatchObject({
      violations: [expect.objectContaining({ field: "items[0].variant_id", reason: "PRODUCT_ARCHIVED" })],
    });
    const tenantId =
      (
        await query<{ tenant_id: string }>(service.app.orm.em.fork(), "select tenant_id from products where id = $1", [
          created.product?.id,
        ])
      ).rows[0]?.tenant_id ?? "";
    const admin = service.clients(
      (await issueApiKey(service.app.orm.em.fork(), tenantId, { role: "admin", mode: "live" })).key,
    );
    const imported = await admin.orders.createOrder({
      email: "a@example.com",
      channel: Channel.IMPORT,
      items: [{ variantId }],
    });
    expect(imported.order?.items[0]).toMatchObject({ variantId, unitPrice: "5.00" });
  });
});

/** The Tee's large variant's primary and alternate SKU. */
async function skus(): Promise<string[]> {
  const { product } = await clients.catalog.getProduct({ id: tee.productId });
  const large = product?.variants.find((variant) => variant.id === tee.large);
  return [large?.sku ?? "", ...(large?.alternateSkus ?? [])];
}
