import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PaymentState, TaxSource } from "../../gen/orders/v1/order_pb.js";
import type { Clients } from "../support/clients.js";
import { BROOKLYN, setUpNewYorkShop } from "../support/new-york-shop.js";
import { addCartLine, CONSOLE_SCREENSHOT_DIR as SCREENSHOT_DIR, consoleSuite } from "../support/console-suite.js";

const suite = consoleSuite();
const { pageErrors, openConsole } = suite;

/** The New York shop (test/support/new-york-shop.ts), a customer in Brooklyn and a 25.00 USD gift card. */
async function newYorkShop(clients: Clients) {
  const groundId = await setUpNewYorkShop(clients);
  const { customer } = await clients.customers.createCustomer({
    email: `alice.${Date.now()}@example.com`,
    name: "Alice",
  });
  await clients.customers.addCustomerAddress({
    customerId: customer?.id ?? "",
    address: BROOKLYN,
    defaultBilling: true,
    defaultShipping: true,
  });
  const { giftCard } = await clients.giftCards.issueGiftCard({ initialBalance: "25.00", currency: "USD" });
  return { groundId, customerId: customer?.id ?? "", giftCard: giftCard?.code ?? "" };
}

const totalText = (page: Page, key: string) => page.locator(`#order-totals [data-total="${key}"]`).textContent();
const options = (page: Page) => page.locator("#order-shipping-options [data-shipping-option]").allTextContents();

describe("web console: checkout pricing in the order composer, in headless Chromium", () => {
  it("shows the server's tax lines, discount, coupon warnings, shipping options and gift card, and places the order", async () => {
    const { page, clients } = await openConsole("orders", await suite.service.newTenant({ role: "admin" }));
    const shop = await newYorkShop(clients);

    await page.locator("#order-customer-id").fill(shop.customerId);
    await addCartLine(page, { sku: "SD-SCAN-PRO", name: "SpectraDiag Scan Pro", quantity: "2", unitPrice: "49.99" });

    // The methods that ship the cart, priced by the service (ListCartShippingOptions).
    await expect.poll(() => options(page)).toEqual(["None", "UPS Ground (UPS Ground) $8.99"]);
    // In a currency the method has no rate in, it is not offered; back in dollars, it is again.
    await page.locator("#order-currency").fill("EUR");
    await page.locator("#order-currency").press("Tab");
    await expect.poll(() => options(page)).toEqual(["None"]);
    expect(await page.locator("#order-shipping-options [role=status]").textContent()).toBe(
      "No shipping method ships this order.",
    );
    await page.locator("#order-currency").fill("USD");
    await page.locator("#order-currency").press("Tab");
    await expect.poll(() => options(page)).toEqual(["None", "UPS Ground (UPS Ground) $8.99"]);
    await page.getByLabel("UPS Ground").check();
    await expect.poll(() => totalText(page, "shipping")).toBe("$8.99");

    for (const code of ["spring10", "NO-SUCH-CODE"]) {
      await page.getByLabel("Coupon codes").fill(code);
      await page.getByRole("button", { name: "Add coupon" }).click();
      await expect.poll(() => page.locator(`#order-coupons li[data-code="${code}"]`).count()).toBe(1);
    }
    await page.getByLabel("Gift card codes").fill(shop.giftCard);
    await page.getByLabel("Gift card codes").press("Enter");

    // 2 x 49.99 = 99.98; SPRING10 takes 10.00; UPS Ground 8.99; New York tax on 89.98 and on shipping.
    await expect.poll(() => totalText(page, "amount-due")).toBe("$82.75");
    expect(await totalText(page, "subtotal")).toBe("$99.98");
    expect(await totalText(page, "discount")).toBe("$10.00");
    expect(await page.locator('#order-totals [data-adjustment="SPRING10"]').textContent()).toBe("$10.00");
    expect(await totalText(page, "shipping")).toBe("$8.99");
    expect(await totalText(page, "tax")).toBe("$8.78");
    expect(await page.locator("#order-totals dt", { hasText: /^Tax/ }).first().textContent()).toBe(
      "Tax (computed by the server)",
    );
    expect(await page.locator("#order-totals [data-tax-line]").allTextContents()).toEqual([
      "$3.60",
      "$4.05",
      "$0.34",
      "$0.36",
      "$0.40",
      "$0.03",
    ]);
    expect(await page.locator("#order-totals dt.sub").allTextContents()).toContain(
      "Line 1 SpectraDiag Scan Pro · New York City 4.5 %",
    );
    expect(await totalText(page, "total")).toBe("$107.75");
    expect(await page.locator('#order-totals [data-payment="GIFT_CARD"]').textContent()).toBe("$25.00");
    // The unknown code is left out, and the page says why beside it, in words.
    const unknown = page.locator('#order-coupons li[data-code="NO-SUCH-CODE"] [data-warning]');
    expect(await unknown.textContent()).toBe('Not applied: no promotion has the code "NO-SUCH-CODE"');
    expect(await unknown.getAttribute("data-reason")).toBe("COUPON_NOT_FOUND");
    expect(await page.locator('#order-coupons li[data-code="spring10"] [data-warning]').textContent()).toBe("");
    // A cart, no order yet.
    const { orders } = await clients.orders.listOrders({});
    expect(orders).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-checkout.png"), fullPage: true });

    // Removing the unknown code takes its warning away.
    await page.getByRole("button", { name: "Remove NO-SUCH-CODE" }).click();
    await expect.poll(() => page.locator("#order-coupons li").count()).toBe(1);
    await expect.poll(() => totalText(page, "amount-due")).toBe("$82.75");

    await page.getByRole("button", { name: "Place order" }).click();
    await expect.poll(() => page.locator("#order-result").textContent()).toMatch(/^Placed order \d+: \$107\.75$/);
    const orderId = (await page.locator("#order-result").getAttribute("data-order-id")) ?? "";
    const { order } = await clients.orders.getOrder({ id: orderId });
    expect(order).toMatchObject({
      subtotal: "99.98",
      discountTotal: "10.00",
      shippingTotal: "8.99",
      taxTotal: "8.78",
      taxSource: TaxSource.SERVER,
      total: "107.75",
      amountDue: "82.75",
      shippingLine: { shippingMethodId: shop.groundId, amount: "8.99" },
      adjustments: [{ code: "SPRING10", amount: "10.00" }],
      payments: [{ method: "GIFT_CARD", amount: "25.00", state: PaymentState.CAPTURED }],
    });
    // The placed order's page shows the same summary.
    const detail = page.locator("#order-detail article");
    await expect.poll(() => detail.locator('[data-total="amount-due"]').textContent()).toBe("$82.75");
    expect(await detail.locator("[data-tax-line]").count()).toBe(6);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it("shows a gift card the service refuses at its code, in the contract's words", async () => {
    const { page } = await openConsole("orders");
    await page.locator("#order-email").fill("guest@example.com");
    await addCartLine(page, { sku: "BOX-1", name: "Box", unitPrice: "3.00" });
    await page.getByLabel("Gift card codes").fill("GC-NOPE");
    await page.getByRole("button", { name: "Add gift card" }).click();
    await expect
      .poll(() => page.locator('#order-gift-cards [data-error-for="gift_card_codes"]').textContent())
      .toBe("no gift card has this code");
    // Refused by the cart, so not among its codes; the code stays typed at the input, marked.
    expect(await page.getByLabel("Gift card codes").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Gift card codes").inputValue()).toBe("GC-NOPE");
    expect(await page.locator("#order-gift-cards li").count()).toBe(0);
    await page.close();
  });
});
