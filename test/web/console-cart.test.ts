import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CartState } from "../../gen/orders/v1/cart_pb.js";
import { BROOKLYN, setUpNewYorkShop } from "../support/new-york-shop.js";
import { addCartLine, CONSOLE_SCREENSHOT_DIR as SCREENSHOT_DIR, consoleSuite } from "../support/console-suite.js";

const suite = consoleSuite();
const { pageErrors, openConsole } = suite;

const totalText = (page: Page, key: string) => page.locator(`#order-totals [data-total="${key}"]`).textContent();
const totalAmount = (page: Page, key: string) =>
  page.locator(`#order-totals [data-total="${key}"]`).getAttribute("data-amount");
const lineRows = (page: Page) => page.locator("#order-lines tr");
const quantities = async (page: Page) => {
  const inputs = await lineRows(page).getByLabel("Quantity").all();
  return Promise.all(inputs.map((input) => input.inputValue()));
};
/** The cart id the page keeps for a reload (draft-store.ts), read from the tab's sessionStorage. */
const keptCartId = (page: Page) =>
  page.evaluate(() => {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i) ?? "";
      if (key.startsWith("orderspine.draft@"))
        return (JSON.parse(sessionStorage.getItem(key) ?? "{}") as { cartId?: string }).cartId ?? "";
    }
    return "";
  });

describe("web console: the order composer keeps its draft as a cart, in headless Chromium", () => {
  it("builds a cart, finds it intact after a reload, changes a quantity, applies a coupon and places it", async () => {
    const { page, clients } = await openConsole("orders", await suite.service.newTenant({ role: "admin" }));
    const groundId = await setUpNewYorkShop(clients);
    const { customer } = await clients.customers.createCustomer({ email: `cart.${Date.now()}@example.com`, name: "C" });
    const customerId = customer?.id ?? "";
    await clients.customers.addCustomerAddress({
      customerId,
      address: BROOKLYN,
      defaultBilling: true,
      defaultShipping: true,
    });
    await clients.catalog.createProduct({
      product: { title: "SpectraDiag Scan Pro", variants: [{ sku: "SD-SCAN-PRO", prices: { USD: "49.99" } }] },
    });

    // Nothing is written before the first line: then the cart is created, with the customer typed so far.
    await page.locator("#order-customer-id").fill(customerId);
    expect(await keptCartId(page)).toBe("");
    await addCartLine(page, { sku: "sd-scan-pro", quantity: "2" });
    await expect.poll(() => keptCartId(page)).toMatch(/^[0-9a-f-]{36}$/);
    const cartId = await keptCartId(page);
    await addCartLine(page, { sku: "OBD-CABLE", name: "OBD cable", unitPrice: "10.00" });
    await expect.poll(() => totalText(page, "subtotal")).toBe("$109.98");
    expect(await lineRows(page).locator("[data-name]").allTextContents()).toEqual([
      "SpectraDiag Scan Pro",
      "OBD cable",
    ]);
    expect(await lineRows(page).locator("[data-line-hint]").allTextContents()).toEqual([
      "Catalog SKU SD-SCAN-PRO",
      "Not in the catalog",
    ]);
    // The cart's shipping options, priced for it; picking one sets the cart's method.
    const ground = page.getByLabel("UPS Ground");
    await expect.poll(() => ground.count()).toBe(1);
    await ground.check();
    await expect.poll(() => totalText(page, "shipping")).toBe("$8.99");
    const { orders: none } = await clients.orders.listOrders({});
    expect(none).toEqual([]);

    // A reload finds the draft as it was: the lines, the customer, the shipping method, the server's totals.
    await page.reload();
    await expect.poll(() => quantities(page)).toEqual(["2", "1"]);
    expect(await page.locator("#order-customer-id").inputValue()).toBe(customerId);
    await expect.poll(() => ground.isChecked()).toBe(true);
    expect(await totalText(page, "subtotal")).toBe("$109.98");
    expect(await totalText(page, "shipping")).toBe("$8.99");
    expect(await keptCartId(page)).toBe(cartId);

    // Three cables (UpdateCartLine), then the coupon (ApplyCouponCode) and one that does not exist, with its warning.
    await lineRows(page).nth(1).getByLabel("Quantity").fill("3");
    await lineRows(page).nth(1).getByLabel("Quantity").press("Enter");
    await expect.poll(() => totalText(page, "subtotal")).toBe("$129.98");
    for (const code of ["spring10", "NO-SUCH-CODE"]) {
      await page.getByLabel("Coupon codes").fill(code);
      await page.getByRole("button", { name: "Add coupon" }).click();
      await expect.poll(() => page.locator(`#order-coupons li[data-code="${code}"]`).count()).toBe(1);
    }
    await expect.poll(() => totalText(page, "discount")).toBe("$13.00");
    const unknown = page.locator('#order-coupons li[data-code="NO-SUCH-CODE"] [data-warning]');
    expect(await unknown.textContent()).toBe('Not applied: no promotion has the code "NO-SUCH-CODE"');
    expect(await unknown.getAttribute("data-reason")).toBe("COUPON_NOT_FOUND");

    // What the page shows is the cart as the service prices it.
    const { cart } = await clients.carts.getCart({ id: cartId });
    const priced = cart?.priced;
    expect(cart?.lines.map((line) => line.item?.quantity)).toEqual([2, 3]);
    expect(cart?.couponCodes).toEqual(["spring10", "NO-SUCH-CODE"]);
    expect(cart?.shippingMethod?.id).toBe(groundId);
    for (const [key, amount] of [
      ["subtotal", priced?.subtotal],
      ["discount", priced?.discountTotal],
      ["shipping", priced?.shippingTotal],
      ["tax", priced?.taxTotal],
      ["total", priced?.total],
      ["amount-due", priced?.amountDue],
    ] as const) {
      expect(await totalAmount(page, key), key).toBe(amount);
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-cart.png"), fullPage: true });

    await page.getByRole("button", { name: "Place order" }).click();
    const result = page.locator("#order-result");
    await expect.poll(() => result.textContent()).toMatch(/^Placed order \d+: \$\d+\.\d\d$/);
    const orderId = (await result.getAttribute("data-order-id")) ?? "";
    const { order } = await clients.orders.getOrder({ id: orderId });
    expect(order).toMatchObject({
      customerId,
      subtotal: priced?.subtotal,
      discountTotal: priced?.discountTotal,
      shippingTotal: priced?.shippingTotal,
      taxTotal: priced?.taxTotal,
      total: priced?.total,
      amountDue: priced?.amountDue,
      shippingLine: { shippingMethodId: groundId },
      adjustments: [{ code: "SPRING10", amount: priced?.discountTotal }],
    });
    expect(order?.items.map((item) => [item.sku, item.quantity])).toEqual([
      ["SD-SCAN-PRO", 2],
      ["OBD-CABLE", 3],
    ]);
    const { cart: placed } = await clients.carts.getCart({ id: cartId });
    expect([placed?.state, placed?.orderId]).toEqual([CartState.COMPLETED, orderId]);

    // The draft is cleared: an empty composer, even after a reload.
    expect(await lineRows(page).count()).toBe(0);
    expect(await keptCartId(page)).toBe("");
    await page.reload();
    await expect.poll(() => page.locator("#api-key").inputValue()).not.toBe("");
    expect(await lineRows(page).count()).toBe(0);
    expect(await page.locator("#order-customer-id").inputValue()).toBe("");
    await page.close();
  });

  it("reads the cart again when it changed elsewhere, and shows the order when it was placed elsewhere", async () => {
    const { page, clients } = await openConsole("orders");
    await page.locator("#order-email").fill("guest@example.com");
    await addCartLine(page, { sku: "BOX-1", name: "Box", unitPrice: "3.00" });
    await expect.poll(() => keptCartId(page)).toMatch(/^[0-9a-f-]{36}$/);
    const cartId = await keptCartId(page);

    // Another client adds a line: the page's etag is stale, so its change is refused and the cart shown as it is.
    await clients.carts.addCartLines({ id: cartId, items: [{ sku: "TAPE-1", name: "Tape", unitPrice: "1.50" }] });
    await lineRows(page).nth(0).getByLabel("Quantity").fill("5");
    await lineRows(page).nth(0).getByLabel("Quantity").press("Enter");
    await expect
      .poll(() => page.locator("#order-form > .form-error").textContent())
      .toMatch(/^The cart changed since this page read it/);
    expect(await quantities(page)).toEqual(["1", "1"]);
    expect(await lineRows(page).locator("[data-name]").allTextContents()).toEqual(["Box", "Tape"]);
    // Made again on the cart as it is now, the change is taken.
    await lineRows(page).nth(0).getByLabel("Quantity").fill("5");
    await lineRows(page).nth(0).getByLabel("Quantity").press("Enter");
    await expect.poll(() => totalText(page, "subtotal")).toBe("$16.50");
    expect(await page.locator("#order-form > .form-error").textContent()).toBe("");

    // Placed through the API meanwhile: the next change is refused (CART_COMPLETED), and the page shows the order.
    const { order } = await clients.orders.createOrder({ cartId });
    await page.getByRole("button", { name: "Remove line 2" }).click();
    await expect.poll(() => page.locator("#order-result").textContent()).toMatch(/^Placed order \d+: \$16\.50$/);
    expect(await page.locator("#order-result").getAttribute("data-order-id")).toBe(order?.id);
    expect(await lineRows(page).count()).toBe(0);
    expect(await keptCartId(page)).toBe("");
    await page.close();
  });

  it("shows why a kept cart can no longer be priced, and prices it again once the line is removed", async () => {
    const { page, clients } = await openConsole("orders");
    const { product } = await clients.catalog.createProduct({
      product: { title: "Seal kit", variants: [{ sku: "SEAL-KIT", prices: { USD: "12.00" } }] },
    });
    await page.locator("#order-email").fill("guest@example.com");
    await page.getByLabel("Add from the catalog").fill("Seal");
    await page.locator("#order-product-results button").first().click();
    await addCartLine(page, { sku: "BOX-1", name: "Box", unitPrice: "3.00" });
    await expect.poll(() => totalText(page, "total")).toBe("$15.00");

    // Archived while the draft waits: read back after a reload, the cart has no totals and says why.
    await clients.catalog.archiveProduct({ id: product?.id ?? "" });
    await page.reload();
    await expect
      .poll(() => page.locator("#cart-problems").textContent())
      .toBe("lines[0].item.variant_id: the product is archived and cannot be ordered");
    expect(await page.locator("#order-totals dd").count()).toBe(0);
    expect(await lineRows(page).count()).toBe(2);

    await page.getByRole("button", { name: "Remove line 1" }).click();
    await expect.poll(() => totalText(page, "total")).toBe("$3.00");
    expect(await page.locator("#cart-problems").textContent()).toBe("");
    await page.close();
  });

  it("raised no uncaught errors in any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
