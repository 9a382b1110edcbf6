import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ProductStatus } from "../../gen/orders/v1/product_pb.js";
import { createCustomerId } from "../support/fixtures.js";
import { addCartLine, CONSOLE_SCREENSHOT_DIR as SCREENSHOT_DIR, consoleSuite } from "../support/console-suite.js";

const { pageErrors, openConsole } = consoleSuite();

const variantRow = (page: Page, index: number) => page.locator("#product-variants tr").nth(index);

async function fillVariant(
  page: Page,
  index: number,
  variant: { sku: string; alternateSkus?: string; name?: string; prices: [string, string][] },
) {
  const row = variantRow(page, index);
  await row.getByLabel("SKU", { exact: true }).fill(variant.sku);
  await row.getByLabel("Alternate SKUs").fill(variant.alternateSkus ?? "");
  await row.getByLabel("Variant name").fill(variant.name ?? "");
  for (const [i, [currency, amount]] of variant.prices.entries()) {
    if (i >= (await row.locator("[data-price]").count())) await row.getByRole("button", { name: "+ currency" }).click();
    const pair = row.locator("[data-price]").nth(i);
    await pair.getByLabel("Currency").fill(currency);
    await pair.getByLabel("Price").fill(amount);
  }
}

async function fillAddress(fieldset: Locator, address: Record<string, string>) {
  for (const [label, value] of Object.entries(address)) await fieldset.getByLabel(label, { exact: true }).fill(value);
}

const lineRow = (page: Page, index: number) => page.locator("#order-lines tr").nth(index);
const totalText = (page: Page, key: string) => page.locator(`#order-totals [data-total="${key}"]`).textContent();

describe("web console: catalog and companies, in headless Chromium", () => {
  it("creates a product with variants, alternate SKUs and prices per currency", async () => {
    const { page, clients } = await openConsole("products");
    await expect.poll(() => page.locator("#product-heading").isVisible()).toBe(true);
    expect(await page.locator("#order-section").isVisible()).toBe(false);

    await page.getByLabel("Title", { exact: true }).fill("Trail Tee");
    await page.getByLabel("Description").fill("Organic cotton");
    await fillVariant(page, 0, {
      sku: "TEE-L-RED",
      alternateSkus: "TEE-RED-L, OLD-TEE-1",
      name: "Large / Red",
      prices: [
        ["USD", "25.00"],
        ["EUR", "23.5"],
      ],
    });
    await page.getByRole("button", { name: "Add variant" }).click();
    await fillVariant(page, 1, { sku: "TEE-S-RED", name: "Small / Red", prices: [["USD", "24.0050"]] });
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-product-new.png"), fullPage: true });
    await page.getByRole("button", { name: "Create product" }).click();

    const result = page.locator("#product-result");
    await expect.poll(() => result.getAttribute("data-product-id")).toMatch(/^[0-9a-f-]{36}$/);
    const productId = (await result.getAttribute("data-product-id")) ?? "";
    // The list shows it as the service returned it, prices with the digits it keeps; the form now edits it.
    const listed = page.locator(`#products-table tr[data-product-id="${productId}"]`);
    await expect.poll(() => listed.locator("[data-prices]").allTextContents()).toEqual(["€23.50 · $25.00", "$24.005"]);
    expect(await listed.locator("[data-product-status]").textContent()).toBe("Active");
    expect(await page.locator("#product-heading").textContent()).toBe("Product Trail Tee");
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-product-created.png"), fullPage: true });

    const { product } = await clients.catalog.getProduct({ id: productId });
    expect(product?.title).toBe("Trail Tee");
    expect(product?.description).toBe("Organic cotton");
    expect(
      product?.variants.map((v) => ({ sku: v.sku, alternates: v.alternateSkus, name: v.name, prices: v.prices })),
    ).toEqual([
      {
        sku: "TEE-L-RED",
        alternates: ["TEE-RED-L", "OLD-TEE-1"],
        name: "Large / Red",
        prices: { USD: "25.00", EUR: "23.50" },
      },
      { sku: "TEE-S-RED", alternates: [], name: "Small / Red", prices: { USD: "24.005" } },
    ]);

    // Found by an alternate SKU in another case, and by the start of its title.
    await page.locator("#filter-product-sku").fill("old-tee-1");
    await page.getByRole("button", { name: "Search" }).click();
    await expect
      .poll(() => page.locator("#products-table tbody tr").allInnerTexts())
      .toEqual([expect.stringContaining("Trail Tee")]);
    await page.locator("#filter-product-sku").fill("NO-SUCH-SKU");
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => page.locator("#products-table tbody").innerText()).toBe("No products match.");
    await page.locator("#filter-product-sku").fill("");
    await page.locator("#filter-product-title").fill("trail");
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => listed.count()).toBe(1);
    await page.close();
  });

  it("changes, archives and reactivates a product, keeping what the form does not show", async () => {
    const { page, clients } = await openConsole("products");
    const { product: created } = await clients.catalog.createProduct({
      product: {
        title: "Seal kit",
        metadata: { erp: "SK-1" },
        variants: [
          { sku: "SEAL-S", name: "Small", prices: { USD: "9.00" }, metadata: { bin: "A1" } },
          { sku: "SEAL-M", name: "Medium", prices: { USD: "11.00" } },
        ],
      },
    });
    const productId = created?.id ?? "";
    const listed = page.locator(`#products-table tr[data-product-id="${productId}"]`);
    // Created after the list was read: search again.
    await page.getByRole("button", { name: "Search" }).click();
    await listed.click();
    await expect.poll(() => page.getByLabel("Title", { exact: true }).inputValue()).toBe("Seal kit");

    // Rename, reprice the first variant, remove the second, add a third.
    await page.getByLabel("Title", { exact: true }).fill("Seal kit, nitrile");
    await variantRow(page, 0).locator("[data-price]").nth(0).getByLabel("Price").fill("9.50");
    await variantRow(page, 1).getByRole("button", { name: "×" }).click();
    await page.getByRole("button", { name: "Add variant" }).click();
    await fillVariant(page, 1, { sku: "SEAL-L", name: "Large", prices: [["USD", "13.00"]] });
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect
      .poll(() => page.locator("#product-result").textContent())
      .toBe(`Saved Seal kit, nitrile — id ${productId}`);
    await expect.poll(() => listed.innerText()).toContain("Seal kit, nitrile");
    const { product: changed } = await clients.catalog.getProduct({ id: productId });
    expect(changed?.metadata).toEqual({ erp: "SK-1" });
    expect(changed?.variants.map((v) => [v.id === created?.variants[0]?.id, v.sku, v.prices, v.metadata])).toEqual([
      [true, "SEAL-S", { USD: "9.50" }, { bin: "A1" }],
      [false, "SEAL-L", { USD: "13.00" }, {}],
    ]);

    await page.getByRole("button", { name: "Archive" }).click();
    await expect.poll(() => page.locator("#product-form [data-product-status]").textContent()).toBe("Archived");
    await expect.poll(() => listed.locator("[data-product-status]").textContent()).toBe("Archived");
    expect((await clients.catalog.getProduct({ id: productId })).product?.status).toBe(ProductStatus.ARCHIVED);
    await page.locator("#filter-product-status").selectOption({ label: "Active" });
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => listed.count()).toBe(0);
    await page.getByRole("button", { name: "Reactivate" }).click();
    await expect.poll(() => page.locator("#product-form [data-product-status]").textContent()).toBe("Active");
    await expect.poll(() => listed.count()).toBe(1);

    // Changed elsewhere meanwhile: the console's etag is stale, so its change is refused, not written over it.
    await clients.catalog.updateProduct({
      product: { id: productId, description: "changed elsewhere" },
      updateMask: { paths: ["description"] },
    });
    await page.getByLabel("Title", { exact: true }).fill("Seal kit, viton");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect
      .poll(() => page.locator("#product-form .form-error").textContent())
      .toMatch(/^ABORTED \(ETAG_MISMATCH\): product [0-9a-f-]{36} changed since the given etag was read/);
    expect((await clients.catalog.getProduct({ id: productId })).product?.title).toBe("Seal kit, nitrile");
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-product-edit.png"), fullPage: true });
    await page.close();
  });

  it("shows the catalog's refusals in the contract's words, at the fields they name", async () => {
    const { page, clients } = await openConsole("products");
    await clients.catalog.createProduct({
      product: { title: "Taken", variants: [{ sku: "TAKEN-1", prices: { USD: "1.00" } }] },
    });
    await page.getByLabel("Title", { exact: true }).fill("Mistakes");
    await fillVariant(page, 0, {
      sku: "OK-1",
      alternateSkus: "ALT-1, ALT\u200B2",
      prices: [
        ["USD", "1.5.0"],
        ["usd", "2.00"],
        ["JPY", "100.123"],
      ],
    });
    await page.getByRole("button", { name: "Create product" }).click();

    const errorAt = (field: string) => page.locator(`[data-error-of="${field.replaceAll('"', '\\"')}"]`).textContent();
    await expect
      .poll(() => errorAt('product.variants[0].prices["USD"]'))
      .toBe("must be a price written like 12.50: not negative, at most 4 decimals, no spaces or thousands separators");
    expect(await errorAt('product.variants[0].prices["usd"]')).toBe(
      "must be a currency code of three capital letters, like USD or EUR (ISO 4217)",
    );
    // One input holds every alternate SKU: the message says which one.
    expect(await errorAt("product.variants[0].alternate_skus")).toBe(
      "#2: must be a SKU of 1 to 128 characters without tabs, line breaks or other control or invisible characters, " +
        "not starting or ending with a space",
    );
    expect(await page.locator("#product-form .form-error").textContent()).toBe(
      "INVALID_ARGUMENT: check the highlighted fields.",
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-product-errors.png"), fullPage: true });

    // What only the service knows: a price finer than its currency allows, then a SKU another product has.
    const row = variantRow(page, 0);
    await row.getByLabel("Alternate SKUs").fill("");
    await row.locator("[data-price]").nth(0).getByLabel("Price").fill("1.50");
    await row.locator("[data-price]").nth(1).getByLabel("Currency").fill("EUR");
    await page.getByRole("button", { name: "Create product" }).click();
    await expect
      .poll(() => errorAt('product.variants[0].prices["JPY"]'))
      .toBe("a price in JPY has at most 2 decimals (0 for JPY, 2 more for unit prices, 4 at most)");

    await row.locator("[data-price]").nth(2).getByLabel("Price").fill("100");
    await row.getByLabel("SKU", { exact: true }).fill("taken-1");
    await page.getByRole("button", { name: "Create product" }).click();
    const formError = page.locator("#product-form .form-error");
    await expect
      .poll(() => formError.textContent())
      .toMatch(
        /^ALREADY_EXISTS \(SKU_TAKEN\): SKU "taken-1" at product\.variants\[0\]\.sku is already a SKU of product [0-9a-f-]{36}$/,
      );
    expect(await row.getByLabel("SKU", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await page.close();
  });

  it("places a guest order with lines added by SKU, named and priced by the catalog", async () => {
    const { page, tenant, clients } = await openConsole("orders");
    await clients.catalog.createProduct({
      product: {
        title: "6.7L Common-Rail Injector",
        variants: [{ sku: "INJ-6.7-CR", alternateSkus: ["0445120"], prices: { USD: "289.50", EUR: "265.00" } }],
      },
    });
    const form = page.locator("#order-form");
    await form.getByLabel("E-mail").fill("guest.buyer@example.com");
    await form.getByLabel("PO number").fill("PO-7781");

    // Typed in another case: the service matches the catalog's SKU and fills in name and price.
    await addCartLine(page, { sku: "inj-6.7-cr", quantity: "2" });
    await expect.poll(() => totalText(page, "total")).toBe("$579.00");
    const line = lineRow(page, 0);
    expect(await line.locator("[data-name]").textContent()).toBe("6.7L Common-Rail Injector");
    expect(await line.locator("[data-unit-price]").textContent()).toBe("$289.50");
    expect(await line.locator("[data-line-hint]").textContent()).toBe("Catalog SKU INJ-6.7-CR");

    // By its alternate SKU, at a negotiated price; and a SKU the catalog does not have, which needs a name: the cart
    // refuses the line until it has one.
    await addCartLine(page, { sku: "0445120", unitPrice: "250.00" });
    await addCartLine(page, { sku: "GIFT-WRAP", unitPrice: "5" }, false);
    expect(await page.locator('[data-error-of="items[0].name"]').textContent()).toBe(
      "a custom line needs a name: sku GIFT-WRAP is not in the catalog",
    );
    await addCartLine(page, { sku: "GIFT-WRAP", name: "Gift wrap", unitPrice: "5" });
    await expect.poll(() => totalText(page, "total")).toBe("$834.00");
    expect(await page.locator("#order-lines [data-line-hint]").allTextContents()).toEqual([
      "Catalog SKU INJ-6.7-CR",
      "Catalog SKU INJ-6.7-CR",
      "Not in the catalog",
    ]);
    // The picture docs/console.md shows (docs/console-catalog.png is a copy): the composer with catalog lines.
    const composer = await page.locator("#order-section").boundingBox();
    if (composer) {
      await page.screenshot({
        path: join(SCREENSHOT_DIR, "console-order-by-sku.png"),
        clip: { x: 0, y: 0, width: 1280, height: composer.y + composer.height + 16 },
      });
    }

    await page.getByRole("button", { name: "Place order" }).click();
    await expect.poll(() => page.locator("#order-result").textContent()).toMatch(/^Placed order \d+: \$834\.00$/);
    const detail = page.locator("#order-detail article");
    await expect.poll(() => detail.locator("tbody tr").count()).toBe(3);
    expect(await detail.locator("tbody tr").allInnerTexts()).toEqual([
      expect.stringMatching(
        /^INJ-6\.7-CR \(ordered as inj-6\.7-cr\)\t6\.7L Common-Rail Injector\t2\t\$289\.50\t\$579\.00$/,
      ),
      expect.stringMatching(
        /^INJ-6\.7-CR \(ordered as 0445120\)\t6\.7L Common-Rail Injector\t1\t\$250\.00\t\$250\.00$/,
      ),
      expect.stringMatching(/^GIFT-WRAP\tGift wrap\t1\t\$5\.00\t\$5\.00$/),
    ]);
    expect(await detail.locator("p").first().textContent()).toContain("guest · guest.buyer@example.com · PO PO-7781");

    // Stored as the catalog had it, linked to the variant, for a guest known by email.
    const orderId = (await page.locator("#order-result").getAttribute("data-order-id")) ?? "";
    const { order } = await clients.orders.getOrder({ id: orderId });
    expect(order?.customerId).toBe("");
    expect(order?.email).toBe("guest.buyer@example.com");
    expect(order?.items.map((item) => [item.name, item.unitPrice, item.variantId !== ""])).toEqual([
      ["6.7L Common-Rail Injector", "289.50", true],
      ["6.7L Common-Rail Injector", "250.00", true],
      ["Gift wrap", "5.00", false],
    ]);
    // The orders list shows the guest by email.
    await expect
      .poll(() => page.locator(`#orders-table tr[data-order-id="${orderId}"]`).innerText())
      .toContain("guest.buyer@example.com");
    expect(tenant.tenantId).not.toBe("");
    await page.close();
  });

  it("adds lines picked from a catalog search, sent by variant id and priced by the catalog", async () => {
    const { page, clients } = await openConsole("orders");
    const { product: tee } = await clients.catalog.createProduct({
      product: {
        title: "Trail Tee",
        variants: [
          { sku: "TEE-L-RED", name: "Large / Red", prices: { USD: "25.00", EUR: "23.00" } },
          { sku: "TEE-S-RED", name: "Small / Red", prices: { USD: "24.00" } },
        ],
      },
    });
    const { product: cap } = await clients.catalog.createProduct({
      product: { title: "Trail Cap", variants: [{ sku: "CAP-1", prices: { USD: "15.00" } }] },
    });
    await clients.catalog.archiveProduct({ id: cap?.id ?? "" });
    await page.locator("#order-customer-id").fill(await createCustomerId(clients));

    const search = page.getByLabel("Add from the catalog");
    const results = page.locator("#order-product-results li");
    await search.fill("trail");
    // Active products only: the archived cap is not offered.
    await expect
      .poll(() => results.allTextContents())
      .toEqual(["Trail Tee — Large / Red TEE-L-RED · $25.00", "Trail Tee — Small / Red TEE-S-RED · $24.00"]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-product-search.png"), fullPage: true });
    await results.nth(1).getByRole("button").click();
    // The picked variant is added to the cart (the first line creates it).
    await expect.poll(() => page.locator("#order-lines tr").count()).toBe(1);
    expect(await lineRow(page, 0).locator("[data-sku]").textContent()).toContain("TEE-S-RED");
    expect(await search.inputValue()).toBe("");

    // By SKU, in any case; Enter adds the first variant found (and places nothing).
    await search.fill("tee-l-red");
    await expect.poll(() => results.count()).toBe(1);
    await search.press("Enter");
    await expect.poll(() => page.locator("#order-lines tr").count()).toBe(2);
    await expect.poll(() => totalText(page, "total")).toBe("$49.00");
    expect(await page.locator("#order-lines [data-line-hint]").allTextContents()).toEqual([
      "From the catalog",
      "From the catalog",
    ]);
    expect(await lineRow(page, 0).locator("[data-unit-price]").textContent()).toBe("$24.00");

    // In a currency one variant has no price in: the cart refuses it, and the search says so.
    await page.locator("#order-currency").fill("EUR");
    await page.locator("#order-currency").press("Tab");
    await expect
      .poll(() => page.locator("#order-form > .form-error").textContent())
      .toBe(
        "INVALID_ARGUMENT: lines[0].item.unit_price: variant TEE-S-RED has no price in EUR: give unit_price, or a " +
          "price in EUR in the catalog",
      );
    expect(await totalText(page, "total")).toBe("$49.00");
    await search.fill("Trail T");
    await expect
      .poll(() => results.allTextContents())
      .toEqual(["Trail Tee — Large / Red TEE-L-RED · €23.00", "Trail Tee — Small / Red TEE-S-RED · no price in EUR"]);
    await search.fill("");
    // Without that variant, the cart takes the currency the form still names.
    await page.getByRole("button", { name: "Remove line 1" }).click();
    await expect.poll(() => totalText(page, "total")).toBe("€23.00");
    expect(await page.locator("#order-lines tr").count()).toBe(1);

    await page.getByRole("button", { name: "Place order" }).click();
    await expect.poll(() => page.locator("#order-result").textContent()).toMatch(/^Placed order \d+: €23\.00$/);
    const orderId = (await page.locator("#order-result").getAttribute("data-order-id")) ?? "";
    const { order } = await clients.orders.getOrder({ id: orderId });
    expect(order?.items.map((item) => [item.variantId, item.sku, item.name, item.unitPrice])).toEqual([
      [tee?.variants[0]?.id, "TEE-L-RED", "Trail Tee - Large / Red", "23.00"],
    ]);
    await page.close();
  });

  it("says who the order is for when neither a customer nor an email is given", async () => {
    const { page } = await openConsole("orders");
    await addCartLine(page, { sku: "X-1", name: "Thing", unitPrice: "1.00" });
    await page.getByRole("button", { name: "Place order" }).click();
    // A cart needs no buyer until it is placed; the violation is of the cart's field (CreateOrder names cart_id).
    await expect
      .poll(() => page.locator("#order-form > .form-error").textContent())
      .toMatch(/^INVALID_ARGUMENT: cart_id: .*customer_id.*give customer_id, or email for a guest order$/);
    await page.close();
  });

  it("creates a company with billing and shipping addresses, one the default, and edits it", async () => {
    const { page, clients } = await openConsole("companies");
    const form = page.locator("#company-form");
    await page.locator("#company-name").fill("Acme Fleet Services");
    await page.locator("#company-tax-id").fill("US-84-1234567");
    const fieldsets = form.locator("fieldset");
    await fillAddress(fieldsets.nth(0), {
      "Address line 1": "500 Billing Way",
      City: "Denver",
      Region: "CO",
      "Postal code": "80202",
      Country: "US",
    });
    await page.getByRole("button", { name: "Add shipping address" }).click();
    await page.getByRole("button", { name: "Add shipping address" }).click();
    await fillAddress(fieldsets.nth(1), { Name: "Dock 1", "Address line 1": "1 Yard Rd", City: "Reno", Country: "US" });
    await fillAddress(fieldsets.nth(2), {
      Name: "Dock 4",
      "Address line 1": "4 Pier St",
      City: "Oakland",
      Country: "US",
    });
    await fieldsets.nth(2).getByLabel("Default").check();
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-company-new.png"), fullPage: true });
    await page.getByRole("button", { name: "Create company" }).click();

    const result = page.locator("#company-result");
    await expect.poll(() => result.getAttribute("data-company-id")).toMatch(/^[0-9a-f-]{36}$/);
    const companyId = (await result.getAttribute("data-company-id")) ?? "";
    // The list shows it with its default shipping address; the form now edits it.
    const listed = page.locator(`#companies-table tr[data-company-id="${companyId}"]`);
    await expect.poll(() => listed.innerText()).toContain("Dock 4, 4 Pier St, Oakland, US");
    expect(await page.locator("#company-heading").textContent()).toBe("Company Acme Fleet Services");
    const created = (await clients.companies.getCompany({ id: companyId })).company;
    expect(created?.taxId).toBe("US-84-1234567");
    expect(created?.billingAddress?.line1).toBe("500 Billing Way");
    expect(created?.shippingAddresses.map((a) => [a.address?.name, a.default])).toEqual([
      ["Dock 1", false],
      ["Dock 4", true],
    ]);

    // Edit: a country the contract refuses is shown at its input in words, then fixed; the addresses keep their ids.
    await page.getByRole("button", { name: "New company" }).click();
    expect(await page.locator("#company-name").inputValue()).toBe("");
    await listed.click();
    await expect.poll(() => page.locator("#company-name").inputValue()).toBe("Acme Fleet Services");
    await page.locator("#company-name").fill("Acme Fleet Services West");
    await fillAddress(fieldsets.nth(1), { Country: "us" });
    await fieldsets.nth(1).getByLabel("Default").check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect
      .poll(() => page.locator('[data-error-of="company.shipping_addresses[0].address.country"]').textContent())
      .toBe("must be a country code of two capital letters, like US or DE (ISO 3166-1 alpha-2)");
    await fillAddress(fieldsets.nth(1), { Country: "XX" });
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect
      .poll(() => page.locator('[data-error-of="company.shipping_addresses[0].address.country"]').textContent())
      .toMatch(/XX/);
    await fillAddress(fieldsets.nth(1), { Country: "US" });
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => result.textContent()).toBe(`Saved Acme Fleet Services West — id ${companyId}`);
    await expect.poll(() => listed.innerText()).toContain("Dock 1, 1 Yard Rd, Reno, US");
    const changed = (await clients.companies.getCompany({ id: companyId })).company;
    expect(changed?.name).toBe("Acme Fleet Services West");
    expect(changed?.shippingAddresses.map((a) => [a.id, a.default])).toEqual([
      [created?.shippingAddresses[0]?.id, true],
      [created?.shippingAddresses[1]?.id, false],
    ]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-company-edit.png"), fullPage: true });

    // Changed elsewhere meanwhile: the console's etag is stale, so the change is refused, not written over it.
    await clients.companies.updateCompany({
      company: { id: companyId, name: "Renamed elsewhere" },
      updateMask: { paths: ["name"] },
    });
    await page.locator("#company-tax-id").fill("US-84-7654321");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => form.locator(".form-error").textContent()).toMatch(/^ABORTED \(ETAG_MISMATCH\): /);
    expect((await clients.companies.getCompany({ id: companyId })).company?.taxId).toBe("US-84-1234567");
    await page.close();
  });

  it("orders for a company, picking saved addresses of the customer's book and of the company by id", async () => {
    const { page, clients } = await openConsole("companies");
    const address = (name: string, line1: string, city: string) => ({ name, line1, city, country: "US" });
    const { company } = await clients.companies.createCompany({
      name: "Harbor Freight Lines",
      billingAddress: address("Accounts", "9 Ledger St", "Boston"),
      shippingAddresses: [
        { address: address("Dock 1", "1 Yard Rd", "Reno") },
        { address: address("Dock 4", "4 Pier St", "Oakland"), default: true },
      ],
    });
    const companyId = company?.id ?? "";
    const email = (name: string) => `${name}.${Date.now()}@example.com`;
    const { customer: buyer } = await clients.customers.createCustomer({
      email: email("buyer"),
      name: "Buyer",
      companyId,
    });
    const { customer: outsider } = await clients.customers.createCustomer({ email: email("out"), name: "Outsider" });
    await clients.customers.addCustomerAddress({
      customerId: buyer?.id ?? "",
      address: address("Buyer at home", "7 Elm St", "Salem"),
      defaultShipping: true,
    });

    // From the company's page to a new order for it.
    await page.getByRole("button", { name: "Search" }).click();
    await page.locator(`#companies-table tr[data-company-id="${companyId}"]`).click();
    await page.getByRole("button", { name: "New order for this company" }).click();
    await expect.poll(() => page.locator("#order-section").isVisible()).toBe(true);
    expect(await page.locator("#order-company-id").inputValue()).toBe(companyId);

    // A customer who does not buy for the company is refused when the order is placed, in words, at the customer.
    await page.locator("#order-customer-id").fill(outsider?.id ?? "");
    await addCartLine(page, { sku: "BOX-1", name: "Box", unitPrice: "3.00" });
    await page.getByRole("button", { name: "Place order" }).click();
    await expect
      .poll(() => page.locator('[data-error-of="customer_id"]').textContent())
      .toBe(`customer ${outsider?.id ?? ""} does not buy for company ${companyId}`);

    // The company's buyer: the cart gets the company's addresses unless others are picked.
    await page.locator("#order-customer-id").fill(buyer?.id ?? "");
    await page.locator("#order-customer-id").press("Tab");
    const chosen = page.locator("#order-addresses");
    await expect
      .poll(() => chosen.textContent())
      .toBe("Bills to Accounts, 9 Ledger St, Boston, US. Ships to Dock 4, 4 Pier St, Oakland, US");
    const shipTo = page.getByLabel("Ship to");
    expect(await shipTo.locator("option").allTextContents()).toEqual([
      "The default",
      "Buyer at home, 7 Elm St, Salem, US (customer, default billing, default shipping)",
      "Dock 1, 1 Yard Rd, Reno, US (company)",
      "Dock 4, 4 Pier St, Oakland, US (company, default shipping)",
    ]);
    await shipTo.selectOption({ label: "Dock 1, 1 Yard Rd, Reno, US (company)" });
    await page
      .getByLabel("Bill to")
      .selectOption({ label: "Buyer at home, 7 Elm St, Salem, US (customer, default billing, default shipping)" });
    await expect
      .poll(() => chosen.textContent())
      .toBe("Bills to Buyer at home, 7 Elm St, Salem, US. Ships to Dock 1, 1 Yard Rd, Reno, US");
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-order-addresses.png"), fullPage: true });

    await page.getByRole("button", { name: "Place order" }).click();
    await expect.poll(() => page.locator("#order-result").textContent()).toMatch(/^Placed order \d+: \$3\.00$/);
    const detail = page.locator("#order-detail article");
    await expect
      .poll(() => detail.locator("[data-addresses]").textContent())
      .toBe("Bills to Buyer at home, 7 Elm St, Salem, US. Ships to Dock 1, 1 Yard Rd, Reno, US");
    const orderId = (await page.locator("#order-result").getAttribute("data-order-id")) ?? "";
    const { order } = await clients.orders.getOrder({ id: orderId });
    expect([order?.companyId, order?.billingAddress?.name, order?.shippingAddress?.name]).toEqual([
      companyId,
      "Buyer at home",
      "Dock 1",
    ]);
    await page.close();
  });

  it("raised no uncaught errors in any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
