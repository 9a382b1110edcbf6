import { join } from "node:path";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { OrderStatus, ReturnState, type Order } from "../../gen/orders/v1/order_pb.js";
import { addCartLine, CONSOLE_SCREENSHOT_DIR as SCREENSHOT_DIR, consoleSuite } from "../support/console-suite.js";

const suite = consoleSuite();
const { pageErrors, openConsole } = suite;

const status = (page: Page) => page.locator("#order-detail article [data-status]").textContent();
const formError = (form: Locator) => form.locator(".form-error").textContent();
/** The quantity input of the line with this SKU in a fulfil or return form. */
const quantityOf = (form: Locator, sku: string) => form.getByLabel(sku, { exact: true });
/** What the page shows of each fulfillment, in the words GetOrder's fulfillments give (see expectedFulfillments). */
const shownFulfillments = async (page: Page) =>
  Promise.all(
    (await page.locator("#order-fulfillments tbody tr").all()).map(async (row) => ({
      id: await row.getAttribute("data-fulfillment-id"),
      lines: await row.locator("[data-lines]").textContent(),
      carrier: await row.locator("[data-carrier]").textContent(),
      service: await row.locator("[data-service]").textContent(),
      tracking: await row.locator("[data-tracking]").textContent(),
      delivered: await row.getAttribute("data-delivered"),
    })),
  );
const expectedFulfillments = (order: Order) =>
  order.fulfillments.map((fulfillment) => ({
    id: fulfillment.id,
    lines: fulfillment.lines
      .map((line) => `${order.items.find((item) => item.id === line.lineId)?.sku} × ${line.quantity}`)
      .join(", "),
    carrier: fulfillment.carrier,
    service: fulfillment.service,
    tracking: fulfillment.trackingNumbers.join(", "),
    delivered: fulfillment.deliverTime ? "true" : "false",
  }));

describe("web console: an order's hold, fulfillments and returns, in headless Chromium", () => {
  it("holds, releases, fulfils in two parts, marks deliveries and returns one unit, showing what GetOrder returns", async () => {
    const { page, clients } = await openConsole("orders", await suite.service.newTenant({ role: "admin" }));
    const getOrder = async (id: string) => (await clients.orders.getOrder({ id })).order as Order;

    // A guest order of 3 brake pads and 2 oil filters, placed from the composer, then paid in full.
    await page.locator("#order-email").fill(`after.${Date.now()}@example.com`);
    await addCartLine(page, { sku: "BRK-PAD", name: "Brake pad", quantity: "3", unitPrice: "20.00" });
    await addCartLine(page, { sku: "OIL-FLT", name: "Oil filter", quantity: "2", unitPrice: "7.50" });
    await page.getByRole("button", { name: "Place order" }).click();
    const result = page.locator("#order-result");
    await expect.poll(() => result.textContent()).toMatch(/^Placed order \d+: \$75\.00$/);
    const orderId = (await result.getAttribute("data-order-id")) ?? "";
    await expect.poll(() => status(page)).toBe("Placed");
    const actions = page.locator("#order-actions");
    await actions.getByLabel("Amount").fill("75.00");
    await actions.getByRole("button", { name: "Record payment" }).click();
    await expect.poll(() => page.locator("#order-detail [data-payment-status]").textContent()).toBe("Paid");

    // Held: the hold's reason and end are shown, and fulfilling is refused with the reason in words.
    const hold = page.locator("#order-hold");
    const until = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    until.setSeconds(0, 0);
    await hold.getByLabel("Hold reason").fill("credit check");
    // datetime-local takes the browser's local time: the page's clock and zone are the test's.
    const local = new Date(until.getTime() - until.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await hold.getByLabel("Hold until").fill(local);
    await hold.getByRole("button", { name: "Hold", exact: true }).click();
    await expect.poll(() => status(page)).toBe("On hold");
    expect(await hold.locator("[data-hold-reason]").textContent()).toBe("credit check");
    const held = await getOrder(orderId);
    expect(held.status).toBe(OrderStatus.ON_HOLD);
    expect(held.hold?.reason).toBe("credit check");
    expect(held.hold?.holdUntil && timestampDate(held.hold.holdUntil).toISOString()).toBe(until.toISOString());
    expect(await hold.locator("[data-hold-until]").getAttribute("data-hold-until")).toBe(until.toISOString());

    const fulfil = page.locator("#order-fulfil");
    await fulfil.getByRole("button", { name: "Fulfil", exact: true }).click();
    await expect
      .poll(() => formError(fulfil))
      .toMatch(/^FAILED_PRECONDITION \(ORDER_ON_HOLD\): order .* is on hold \(credit check\); release it before/);
    expect((await getOrder(orderId)).fulfillments).toEqual([]);

    // Released: placed again, and the hold form is back.
    await hold.getByRole("button", { name: "Release" }).click();
    await expect.poll(() => status(page)).toBe("Placed");
    expect(await hold.locator("[data-hold]").count()).toBe(0);

    // The fulfil form offers every unit left; more than is left is refused at that line's input.
    expect(await quantityOf(fulfil, "BRK-PAD").inputValue()).toBe("3");
    expect(await quantityOf(fulfil, "OIL-FLT").inputValue()).toBe("2");
    await quantityOf(fulfil, "BRK-PAD").fill("4");
    await quantityOf(fulfil, "OIL-FLT").fill("0");
    await fulfil.getByRole("button", { name: "Fulfil", exact: true }).click();
    await expect.poll(() => formError(fulfil)).toBe("INVALID_ARGUMENT: check the highlighted fields.");
    expect(await quantityOf(fulfil, "BRK-PAD").getAttribute("aria-invalid")).toBe("true");
    expect(await fulfil.locator('[data-error-of="lines[0].quantity"]').textContent()).not.toBe("");

    // One brake pad by UPS Ground in two parcels: partially fulfilled.
    await quantityOf(fulfil, "BRK-PAD").fill("1");
    await fulfil.getByLabel("Carrier").fill("UPS");
    await fulfil.getByLabel("Service").fill("Ground");
    await fulfil.getByLabel("Tracking numbers").fill("1Z001, 1Z002");
    await fulfil.getByRole("button", { name: "Fulfil", exact: true }).click();
    await expect.poll(() => status(page)).toBe("Partially fulfilled");
    expect(await quantityOf(fulfil, "BRK-PAD").inputValue()).toBe("2");

    // Changed behind the page's back (held and released through the API): the page's etag is stale, so fulfilling
    // is refused, not done on an order the page no longer shows; opened again, the form offers what is left.
    const { order: heldElsewhere } = await clients.orders.holdOrder({ id: orderId, reason: "address check" });
    await clients.orders.releaseOrder({ id: orderId, etag: heldElsewhere?.etag ?? "" });
    await fulfil.getByRole("button", { name: "Fulfil", exact: true }).click();
    await expect.poll(() => formError(fulfil)).toMatch(/^ABORTED \(ETAG_MISMATCH\): /);
    expect((await getOrder(orderId)).fulfillments).toHaveLength(1);
    await page.locator("#open-order-form").getByRole("button", { name: "Open" }).click();
    await expect.poll(() => formError(fulfil)).toBe("");
    expect(await quantityOf(fulfil, "BRK-PAD").inputValue()).toBe("2");

    // The rest, with what the form offers.
    await fulfil.getByLabel("Carrier").fill("FedEx");
    await fulfil.getByRole("button", { name: "Fulfil", exact: true }).click();
    await expect.poll(() => status(page)).toBe("Fulfilled");
    expect(await fulfil.locator("input[type=number]").count()).toBe(0);
    const fulfilled = await getOrder(orderId);
    expect(fulfilled.status).toBe(OrderStatus.FULFILLED);
    expect(await shownFulfillments(page)).toEqual(expectedFulfillments(fulfilled));
    expect(await shownFulfillments(page)).toMatchObject([
      { lines: "BRK-PAD × 1", carrier: "UPS", service: "Ground", tracking: "1Z001, 1Z002", delivered: "false" },
      { lines: "BRK-PAD × 2, OIL-FLT × 2", carrier: "FedEx", delivered: "false" },
    ]);

    // Each shipment is delivered by itself; the order is delivered with the last one.
    const rows = page.locator("#order-fulfillments tbody tr");
    await rows.nth(0).getByRole("button", { name: "Mark delivered" }).click();
    await expect.poll(() => rows.nth(0).getAttribute("data-delivered")).toBe("true");
    expect(await status(page)).toBe("Fulfilled");
    await rows.nth(1).getByRole("button", { name: "Mark delivered" }).click();
    await expect.poll(() => status(page)).toBe("Delivered");
    const delivered = await getOrder(orderId);
    expect(await shownFulfillments(page)).toEqual(expectedFulfillments(delivered));
    expect(delivered.fulfillments.every((fulfillment) => fulfillment.deliverTime !== undefined)).toBe(true);

    // One brake pad comes back: requested (nothing refunded yet), then received and restocked.
    const returnForm = page.locator("#order-return");
    expect(await quantityOf(returnForm, "BRK-PAD").inputValue()).toBe("0");
    await quantityOf(returnForm, "BRK-PAD").fill("1");
    await returnForm.getByLabel("Return reason").fill("wrong size");
    await returnForm.getByRole("button", { name: "Request return" }).click();
    const shownReturn = page.locator("#order-returns .order-return").first();
    await expect.poll(() => shownReturn.locator("[data-return-state]").textContent()).toBe("Requested");
    const requested = await getOrder(orderId);
    const [requestedReturn] = requested.returns;
    expect(requestedReturn?.state).toBe(ReturnState.REQUESTED);
    expect(await shownReturn.getAttribute("data-return-id")).toBe(requestedReturn?.id);
    expect(await shownReturn.locator("[data-refund-amount]").getAttribute("data-refund-amount")).toBe(
      requestedReturn?.refundAmount,
    );
    expect(requestedReturn?.refundAmount).toBe("20.00");
    expect(await shownReturn.locator("li").first().textContent()).toContain("BRK-PAD × 1");
    expect(await status(page)).toBe("Delivered");

    await shownReturn.getByLabel("Restock").check();
    await shownReturn.getByRole("button", { name: "Receive return" }).click();
    await expect.poll(() => status(page)).toBe("Partially returned");
    const returned = await getOrder(orderId);
    const [receivedReturn] = returned.returns;
    expect(receivedReturn).toMatchObject({
      state: ReturnState.RECEIVED,
      refundedAmount: "20.00",
      reason: "wrong size",
    });
    expect(receivedReturn?.lines.map((line) => line.restock)).toEqual([true]);
    const received = page.locator("#order-returns .order-return").first();
    expect(await received.locator("[data-return-state]").textContent()).toBe("Received");
    expect(await received.locator("[data-refunded-amount]").getAttribute("data-refunded-amount")).toBe(
      receivedReturn?.refundedAmount,
    );
    expect(await received.locator("li").first().textContent()).toContain("restocked");
    expect(await page.locator("#order-detail [data-payment-status]").textContent()).toBe("Partially refunded");
    expect(returned.status).toBe(OrderStatus.PARTIALLY_RETURNED);
    expect(returned.refundedTotal).toBe("20.00");
    // Two brake pads and both filters can still come back.
    expect(await quantityOf(returnForm, "BRK-PAD").getAttribute("max")).toBe("2");
    expect(await quantityOf(returnForm, "OIL-FLT").getAttribute("max")).toBe("2");

    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-after-order.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 240_000);
});
