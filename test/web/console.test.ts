import { once } from "node:events";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_DIST_DIR } from "../../src/platform/transport/static-files.js";
import { launchChromium, type Browser } from "../support/browser.js";
import { buildConsoleOnce } from "../support/build-console.js";
import { clientsFor } from "../support/clients.js";
import { addCartLine, waitForTheServer } from "../support/console-suite.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { orderOf } from "../orders/support/order-fixtures.js";
import { ifSetUp } from "../support/set-up.js";
import { serveStaticSite, type StaticSite } from "../support/static-site.js";

/** Screenshots land here (gitignored); docs/console.png is a copy of console-readme.png. */
const SCREENSHOT_DIR = join(process.cwd(), "test-results", "console");

/** Another API as far as the console can tell: records every request it gets and lets any origin call it. */
interface RecordingApi {
  origin: string;
  requests: { method: string; path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

async function recordingApi(): Promise<RecordingApi> {
  const requests: RecordingApi["requests"] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization });
    req.resume();
    res.setHeader("access-control-allow-origin", req.headers.origin ?? "*");
    res.setHeader("access-control-allow-headers", req.headers["access-control-request-headers"] ?? "*");
    res.setHeader("access-control-allow-methods", "POST, GET");
    if (req.method === "OPTIONS") res.writeHead(204).end();
    else res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The service behind an HTTP proxy that can lose answers for real: while `cutting` names a method
 * (e.g. "CreateOrder"), a call of it is passed to the service, which carries it out and answers, and then
 * the proxy drops the browser's connection instead of passing the answer on. `calls` records the
 * request_id of every call of a cut-able method that reached the service.
 */
interface AnswerLosingProxy {
  origin: string;
  cutting: string | undefined;
  calls: { method: string; requestId: string }[];
  close(): Promise<void>;
}

async function answerLosingProxy(serviceUrl: string): Promise<AnswerLosingProxy> {
  const target = new URL(serviceUrl);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const method = /^\/orders\.v1\.OrdersService\/(\w+)$/.exec(req.url ?? "")?.[1];
      const cut = method !== undefined && method === proxy.cutting;
      if (method && req.method === "POST") {
        const { requestId } = JSON.parse(body.toString("utf8")) as { requestId?: string };
        if (requestId) proxy.calls.push({ method, requestId });
      }
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          if (cut) {
            // The service has answered, so the change is committed; the browser never hears of it.
            answer.resume();
            answer.on("end", () => req.socket.destroy());
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      upstream.end(body);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const proxy: AnswerLosingProxy = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cutting: undefined,
    calls: [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}

/** The service as configured by default: no CORS; its console may also call `listedApi` (CONSOLE_API_ORIGINS). */
let service: TestService;
/** A second replica that lets pages of `allowedSite` call it (CORS_ORIGINS). */
let corsService: TestService;
let tenant: TestTenant;
let browser: Browser;
let allowedSite: StaticSite;
let otherSite: StaticSite;
let listedApi: RecordingApi;
let unlistedApi: RecordingApi;
const siteFolders: string[] = [];
const pageErrors: string[] = [];

/** The built console in a folder of its own, as a static host would serve it, with its console-config.json. */
async function hostedConsole(): Promise<{ folder: string; site: StaticSite }> {
  const folder = await mkdtemp(join(tmpdir(), "orderspine-console-"));
  siteFolders.push(folder);
  await cp(CONSOLE_DIST_DIR, folder, { recursive: true });
  return { folder, site: await serveStaticSite(folder) };
}

const listing = (...origins: string[]) => JSON.stringify({ apiOrigins: origins });

waitForTheServer();

beforeAll(async () => {
  // Always test the console as the source is now, built the way `npm run build:web` builds it.
  await buildConsoleOnce();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  listedApi = await recordingApi();
  unlistedApi = await recordingApi();
  // The same built console, hosted on two more origins: one the CORS replica allows, one no replica allows.
  const allowed = await hostedConsole();
  const other = await hostedConsole();
  allowedSite = allowed.site;
  otherSite = other.site;
  service = await startTestService({ consoleApiOrigins: [listedApi.origin] });
  corsService = await startTestService({ corsOrigins: [allowedSite.origin] });
  // Each hosted console lists the API its link names, so only the service's CORS decides.
  await writeFile(join(allowed.folder, "console-config.json"), listing(new URL(corsService.url).origin));
  await writeFile(join(other.folder, "console-config.json"), listing(new URL(service.url).origin));
  tenant = await service.newTenant();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await ifSetUp(browser)?.close();
  await ifSetUp(service)?.shutdown();
  await ifSetUp(corsService)?.shutdown();
  await ifSetUp(allowedSite)?.close();
  await ifSetUp(otherSite)?.close();
  await ifSetUp(listedApi)?.close();
  await ifSetUp(unlistedApi)?.close();
  for (const folder of siteFolders) await rm(folder, { recursive: true, force: true });
});

async function openConsole(url: string, key = tenant.key): Promise<Page> {
  const page = await browser.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(url);
  // The page says where the key goes once it has read its API target, in the same task that makes "Use key" keep
  // the key: a key given before then would be dropped (a slow console-config.json, a busy machine).
  await expect.poll(() => page.locator("#api-target").textContent()).not.toBe("");
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Use key" }).click();
  return page;
}

async function createCustomer(page: Page, name: string): Promise<string> {
  await customerForm(page)
    .getByLabel("E-mail")
    .fill(`${name.toLowerCase().replace(/\W+/g, ".")}.${Date.now()}@example.com`);
  await customerForm(page).getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create customer" }).click();
  const result = page.locator("#customer-result");
  await expect.poll(() => result.getAttribute("data-customer-id")).toMatch(/^[0-9a-f-]{36}$/);
  return (await result.getAttribute("data-customer-id")) ?? "";
}

async function ordersOfTenant(tenantId = tenant.tenantId): Promise<number> {
  const rows = await service.orm.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>("select count(*) as n from orders where tenant_id = ?", [tenantId]);
  return Number(rows[0]?.n);
}

async function storedOrders(tenantId: string): Promise<{ id: string; paid_total: string }[]> {
  return service.orm.em
    .fork()
    .getConnection()
    .execute<{ id: string; paid_total: string }[]>("select id, paid_total from orders where tenant_id = ?", [tenantId]);
}

const customerForm = (page: Page) => page.locator("#customer-form");
const orderForm = (page: Page) => page.locator("#order-form");

const totalText = (page: Page, key: string) => page.locator(`#order-totals [data-total="${key}"]`).textContent();

describe("web console in headless Chromium", () => {
  it("creates a customer and an order, showing the server's totals formatted for the currency", async () => {
    const page = await openConsole(`${service.url}/`);
    // The console is served by the service, which allows no other origin: its own calls need no CORS.
    expect(await page.locator("#api-target").textContent()).toBe(`The key is sent to ${new URL(service.url).origin}.`);
    const customerId = await createCustomer(page, "Ada Buyer");
    // Creating the customer hands its id to the order form.
    expect(await orderForm(page).getByLabel("Customer id").inputValue()).toBe(customerId);

    await addCartLine(page, {
      sku: "INJ-6.7-CR",
      name: "6.7L Common-Rail Injector",
      quantity: "8",
      unitPrice: "289.50",
    });
    // 3 x 12.3333 = 36.9999, rounded half-to-even by the server to 37.00.
    await addCartLine(page, { sku: "SEAL-KIT", name: "Seal kit", quantity: "3", unitPrice: "12.3333" });

    // Before placing: the cart is priced by the server as it is composed; no order exists yet.
    await expect.poll(() => totalText(page, "total")).toBe("$2,353.00");
    expect(await page.locator("#order-lines [data-line-total]").allTextContents()).toEqual(["$2,316.00", "$37.00"]);
    expect(await page.locator("#cart-status").textContent()).toContain("priced by the server");
    expect(await ordersOfTenant()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-preview.png"), fullPage: true });
    // The picture README.md and docs/console.md show (docs/console.png): the key, the new customer and the priced
    // cart, measured from the top of the page.
    await page.evaluate("window.scrollTo(0, 0)");
    const composer = await page.locator("#order-section").boundingBox();
    if (composer) {
      await page.screenshot({
        path: join(SCREENSHOT_DIR, "console-readme.png"),
        // The composer is taller than the window: the clip is of the whole page, not of what is scrolled into view.
        fullPage: true,
        clip: { x: 0, y: 0, width: 1280, height: composer.y + composer.height + 16 },
      });
    }

    await page.getByRole("button", { name: "Place order" }).click();

    await expect.poll(() => page.locator("#order-result").textContent()).toMatch(/^Placed order \d+: \$2,353\.00$/);
    // The detail panel shows the order as GetOrder would, unit prices with the digits they have.
    const detail = page.locator("#order-detail article");
    await expect.poll(() => detail.locator("[data-status]").textContent()).toBe("Placed");
    expect(await detail.locator('[data-total="subtotal"]').textContent()).toBe("$2,353.00");
    expect(await detail.locator('[data-total="total"]').textContent()).toBe("$2,353.00");
    expect(await detail.locator("tbody tr").nth(1).textContent()).toContain("$12.3333");
    // The draft is cleared for the next order.
    expect(await page.locator("#order-lines tr").count()).toBe(0);

    const orderId = (await page.locator("#order-result").getAttribute("data-order-id")) ?? "";
    const stored = await service.orm.em
      .fork()
      .getConnection()
      .execute<{ total: string }[]>("select total from orders where id = ?", [orderId]);
    expect(stored[0]?.total).toBe("2353.0000");
    expect(await ordersOfTenant()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-order-placed.png"), fullPage: true });
    await page.close();
  });

  it("shows validation errors next to the fields they name, and other errors with their code", async () => {
    const page = await openConsole(`${service.url}/`);
    await createCustomer(page, "Grace Invalid");

    // The contract's rule on items[0].unit_price (shown in its words, not as a regex): the cart refuses the line.
    await addCartLine(page, { sku: "A-1", name: "Widget", quantity: "2", unitPrice: "1.5.0" }, false);
    const newLine = page.locator("#order-new-line tr");
    const priceInput = newLine.getByLabel("Unit price");
    expect(await priceInput.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator('[data-error-of="items[0].unit_price"]').textContent()).toBe(
      "must be a price written like 12.50: not negative, at most 4 decimals, no spaces or thousands separators",
    );
    expect(await page.locator("#order-form > .form-error").textContent()).toBe(
      "INVALID_ARGUMENT: check the highlighted fields.",
    );

    // Fixing the price and leaving out the name leaves a rule only the domain knows: a custom line needs a name.
    await priceInput.fill("1.50");
    await newLine.getByLabel("Name").fill("");
    await newLine.getByRole("button", { name: "Add line" }).click();
    await expect.poll(() => newLine.getByLabel("Name").getAttribute("aria-invalid")).toBe("true");
    expect(await priceInput.getAttribute("aria-invalid")).toBeNull();
    expect(await page.locator('[data-error-of="items[0].name"]').textContent()).toBe(
      "a custom line needs a name: sku A-1 is not in the catalog",
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-validation-error.png"), fullPage: true });
    await newLine.getByLabel("Name").fill("Widget");
    await newLine.getByRole("button", { name: "Add line" }).click();
    await expect.poll(() => page.locator("#order-lines tr").count()).toBe(1);

    // An error that names no field: a customer of no one.
    const ordersBefore = await ordersOfTenant();
    await orderForm(page).getByLabel("Customer id").fill("00000000-0000-4000-8000-000000000000");
    await page.getByRole("button", { name: "Place order" }).click();
    await expect
      .poll(() => page.locator("#order-form > .form-error").textContent())
      .toBe("NOT_FOUND (CUSTOMER_NOT_FOUND): customer 00000000-0000-4000-8000-000000000000 was not found");
    expect(await ordersOfTenant()).toBe(ordersBefore);

    // The customer form places its violations too.
    await customerForm(page).getByLabel("E-mail").fill("not-an-email");
    await customerForm(page).getByLabel("Name").fill("Someone");
    await page.getByRole("button", { name: "Create customer" }).click();
    await expect.poll(() => customerForm(page).getByLabel("E-mail").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator('[data-error-of="email"]').textContent()).toMatch(/email/);
    await page.close();
  });

  it("says the order may exist when the answer to Place order is lost, and placing it again places it once", async () => {
    const shop = await service.newTenant();
    const proxy = await answerLosingProxy(service.url);
    try {
      const page = await openConsole(`${proxy.origin}/`, shop.key);
      await createCustomer(page, "Lost Answer");
      await addCartLine(page, { sku: "LOST-1", name: "Lost answer", quantity: "1", unitPrice: "10.00" });
      await expect.poll(() => totalText(page, "total")).toBe("$10.00");

      proxy.cutting = "CreateOrder";
      await page.getByRole("button", { name: "Place order" }).click();
      const formError = page.locator("#order-form .form-error");
      await expect
        .poll(() => formError.textContent())
        .toBe(
          'UNKNOWN: Failed to fetch. The answer to "Place order" was lost, so the order may have been placed. ' +
            "Placing it again is safe: the console sends the same request id, so the service places this cart at " +
            "most once and answers with its order if it exists.",
        );
      // It was placed: the answer was lost, not the order.
      expect(await ordersOfTenant(shop.tenantId)).toBe(1);
      expect(await page.locator("#order-result").textContent()).toBe("");
      await page.screenshot({ path: join(SCREENSHOT_DIR, "console-answer-lost.png"), fullPage: true });

      proxy.cutting = undefined;
      await page.getByRole("button", { name: "Place order" }).click();
      const result = page.locator("#order-result");
      await expect.poll(() => result.textContent()).toMatch(/^Placed order \d+: \$10\.00$/);
      expect(await formError.textContent()).toBe("");
      // Still one order, the one the first call placed: every call carried the same request_id.
      const stored = await storedOrders(shop.tenantId);
      expect(stored.map((o) => o.id)).toEqual([await result.getAttribute("data-order-id")]);
      const creates = proxy.calls.filter((c) => c.method === "CreateOrder");
      expect(creates.length).toBeGreaterThanOrEqual(2);
      expect(new Set(creates.map((c) => c.requestId)).size).toBe(1);

      // The same for an action on the order: a payment whose answer is lost is recorded once.
      const detail = page.locator("#order-detail article");
      await expect.poll(() => detail.locator("[data-status]").textContent()).toBe("Placed");
      const actions = page.locator("#order-actions");
      await actions.getByLabel("Amount").fill("4.00");
      proxy.cutting = "RecordPayment";
      await actions.getByRole("button", { name: "Record payment" }).click();
      await expect
        .poll(() => actions.locator(".form-error").textContent())
        .toMatch(/^UNKNOWN: Failed to fetch\. The answer to "Record payment" was lost, so it may have been done\./);
      expect((await storedOrders(shop.tenantId))[0]?.paid_total).toBe("4.0000");
      proxy.cutting = undefined;
      await actions.getByRole("button", { name: "Record payment" }).click();
      await expect.poll(() => detail.locator("[data-payment-status]").textContent()).toBe("Partially paid");
      expect((await storedOrders(shop.tenantId))[0]?.paid_total).toBe("4.0000");
      const payments = proxy.calls.filter((c) => c.method === "RecordPayment");
      expect(new Set(payments.map((c) => c.requestId)).size).toBe(1);
      await page.close();
    } finally {
      await proxy.close();
    }
  });

  it("lists orders with filters and pages, opens one and runs its lifecycle actions", async () => {
    const shop = await service.newTenant();
    const clients = clientsFor("grpc-http2", service.url, shop.key);
    const customerId = await createCustomerId(clients);
    for (let i = 0; i < 12; i++) await clients.orders.createOrder(seedOrderRequest(customerId));

    const page = await openConsole(`${service.url}/`, shop.key);
    const rows = page.locator("#orders-table tbody tr");
    // Newest first, ten to a page (the first page of a fresh tenant can take a while on a busy machine).
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(10);
    expect(await rows.first().locator("td").first().textContent()).toBe("1012");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.allInnerTexts()).toEqual([expect.stringContaining("1002"), expect.stringContaining("1001")]);
    await page.getByRole("button", { name: "Previous" }).click();
    await expect.poll(() => rows.count()).toBe(10);

    await page.getByLabel("Order number").fill("1005");
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().click();
    const detail = page.locator("#order-detail article");
    await expect.poll(() => detail.locator("strong").first().textContent()).toBe("Order 1005");

    const actions = page.locator("#order-actions");
    await actions.getByLabel("Amount").fill("2316.00");
    await actions.getByRole("button", { name: "Record payment" }).click();
    await expect.poll(() => detail.locator("[data-payment-status]").textContent()).toBe("Paid");
    await page.locator("#order-actions").getByLabel("Carrier").fill("UPS");
    await page.locator("#order-actions").getByRole("button", { name: "Fulfill" }).click();
    await expect.poll(() => detail.locator("[data-status]").textContent()).toBe("Fulfilled");
    await page.locator("#order-actions").getByRole("button", { name: "Deliver" }).click();
    await expect.poll(() => detail.locator("[data-status]").textContent()).toBe("Delivered");
    // The list follows the change.
    await expect.poll(() => rows.first().innerText()).toContain("Delivered");

    // A delivered order cannot be canceled: the refusal shows its code and reason.
    await page.locator("#order-actions").getByRole("button", { name: "Cancel" }).click();
    await expect
      .poll(() => page.locator("#order-actions .form-error").textContent())
      .toMatch(/^FAILED_PRECONDITION \(INVALID_TRANSITION\): /);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-lifecycle.png"), fullPage: true });
    await page.close();
  });

  it("marks test orders TEST in the list and on the order, and lists only the key's mode", async () => {
    const shop = await service.newTenant({ mode: "live" });
    const testKey = (await shop.issueKey({ role: "editor", mode: "test" })).key;
    const live = clientsFor("grpc-http2", service.url, shop.key);
    const customerId = await createCustomerId(live);
    const liveOrder = orderOf(await live.orders.createOrder(seedOrderRequest(customerId)));
    const testOrder = orderOf(
      await clientsFor("grpc-http2", service.url, testKey).orders.createOrder(seedOrderRequest(customerId)),
    );

    const page = await openConsole(`${service.url}/`, testKey);
    const rows = page.locator("#orders-table tbody tr");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    expect(await rows.first().getAttribute("data-order-id")).toBe(testOrder.id);
    expect(await rows.first().locator("[data-test-order]").textContent()).toBe("TEST");
    await rows.first().click();
    const detail = page.locator("#order-detail article");
    await expect.poll(() => detail.locator("[data-test-order]").textContent()).toBe("TEST");
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-test-order.png"), fullPage: true });
    await page.close();

    const livePage = await openConsole(`${service.url}/`, shop.key);
    const liveRows = livePage.locator("#orders-table tbody tr");
    await expect.poll(() => liveRows.count(), { timeout: 10_000 }).toBe(1);
    expect(await liveRows.first().getAttribute("data-order-id")).toBe(liveOrder.id);
    expect(await liveRows.first().locator("[data-test-order]").count()).toBe(0);
    await livePage.close();
  });

  it("never sends the key to an API origin the deployment does not list, and says so", async () => {
    // The attack: the key is in this tab's sessionStorage, and a crafted link opens the console with ?api=.
    const page = await openConsole(`${service.url}/`);
    await page.goto(`${service.url}/?api=${encodeURIComponent(unlistedApi.origin)}`);
    const refusal = page.locator("#api-refused");
    await expect.poll(() => refusal.textContent()).toContain(`${unlistedApi.origin} is not an API origin`);
    expect(await refusal.isVisible()).toBe(true);
    expect(await page.locator("#api-target").textContent()).toBe("The key is sent nowhere.");
    expect(await page.getByLabel("API key").inputValue()).toBe("");
    expect(await page.getByLabel("API key").isDisabled()).toBe(true);
    expect(await page.locator("main").evaluate((main: { inert: boolean }) => main.inert)).toBe(true);
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: join(SCREENSHOT_DIR, "console-api-refused.png") });
    expect(unlistedApi.requests).toEqual([]);
    await page.close();
  });

  it("sends the key to an API origin the deployment lists, showing where before the key is used", async () => {
    const page = await browser.context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${service.url}/?api=${encodeURIComponent(listedApi.origin)}`);
    await expect
      .poll(() => page.locator("#api-target").textContent())
      .toBe(`The key is sent to ${listedApi.origin}, another origin than this page's.`);
    await page.waitForLoadState("networkidle");
    expect(listedApi.requests).toEqual([]);
    await page.getByLabel("API key").fill(tenant.key);
    await page.getByRole("button", { name: "Use key" }).click();
    await expect
      .poll(() => listedApi.requests.find((r) => r.method === "POST")?.authorization)
      .toBe(`Bearer ${tenant.key}`);
    expect(unlistedApi.requests).toEqual([]);
    await page.close();
  });

  it("works from a page on another origin the service allows, through CORS", async () => {
    const page = await openConsole(`${allowedSite.origin}/?api=${encodeURIComponent(corsService.url)}`);
    const preflights: string[] = [];
    page.on("response", (response) => {
      if (response.url().startsWith(corsService.url))
        preflights.push(response.headers()["access-control-allow-origin"] ?? "");
    });
    expect(await page.locator("#api-target").textContent()).toBe(
      `The key is sent to ${new URL(corsService.url).origin}, another origin than this page's.`,
    );
    await createCustomer(page, "Cross Origin");
    expect(new URL(page.url()).origin).not.toBe(new URL(corsService.url).origin);
    expect(preflights).toContain(allowedSite.origin);
    await page.close();
  });

  it("is refused by the browser from an origin the service does not allow (CORS is closed by default)", async () => {
    const page = await openConsole(`${otherSite.origin}/?api=${encodeURIComponent(service.url)}`);
    await customerForm(page).getByLabel("E-mail").fill(`blocked.${Date.now()}@example.com`);
    await customerForm(page).getByLabel("Name").fill("Blocked Origin");
    await page.getByRole("button", { name: "Create customer" }).click();
    await expect.poll(() => page.locator("#customer-form .form-error").textContent()).toMatch(/^UNKNOWN: .*fetch/i);
    await page.close();
  });

  it("raised no uncaught errors in any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
