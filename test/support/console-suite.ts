import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, vi } from "vitest";
import { launchChromium, type Browser } from "./browser.js";
import { buildConsoleOnce } from "./build-console.js";
import { clientsFor, type Clients } from "./clients.js";
import { startTestService, type TestService, type TestTenant } from "./service.js";
import { ifSetUp } from "./set-up.js";

/** A line typed into the order composer's new-line row; "Add line" sends it to the cart (AddCartLines). */
export interface TypedLine {
  sku?: string;
  name?: string;
  quantity?: string;
  unitPrice?: string;
}

/** Types a line into the composer's new-line row and adds it to the cart; `added` false: expect it refused. */
export async function addCartLine(page: Page, line: TypedLine, added = true): Promise<void> {
  const row = page.locator("#order-new-line tr");
  const before = await page.locator("#order-lines tr").count();
  await row.getByLabel("SKU").fill(line.sku ?? "");
  await row.getByLabel("Name").fill(line.name ?? "");
  await row.getByLabel("Quantity").fill(line.quantity ?? "1");
  await row.getByLabel("Unit price").fill(line.unitPrice ?? "");
  await row.getByRole("button", { name: "Add line" }).click();
  // The row is emptied once the cart took the line (a line equal to one in the cart adds to its quantity instead).
  if (added) await expect.poll(() => row.getByLabel("SKU").inputValue()).toBe("");
  else await expect.poll(() => row.locator(".invalid").count()).toBeGreaterThan(0);
  expect(await page.locator("#order-lines tr").count()).toBeGreaterThanOrEqual(added ? before : 0);
}

/**
 * How long a console test waits for the page to show what it expects. Each step of the order composer is a cart
 * call that the server prices (the first one two: CreateCart, then AddCartLines); on a loaded machine that takes
 * longer than expect.poll's default second, and a wait that passes only on an idle machine is flaky. Called at the
 * top of each console test file.
 */
export function waitForTheServer(): void {
  vi.setConfig({ expect: { poll: { timeout: 15_000 } } });
}

/** Screenshots of the console tests land here (gitignored). */
export const CONSOLE_SCREENSHOT_DIR = join(process.cwd(), "test-results", "console");

export interface OpenConsole {
  page: Page;
  tenant: TestTenant;
  clients: Clients;
}

export interface ConsoleSuite {
  /** Errors thrown by the pages openConsole opened (a test expects none). */
  readonly pageErrors: string[];
  readonly service: TestService;
  /** A tenant of its own (or the one given), its API clients, and the console open on `view` with its key. */
  openConsole: (view: string, tenant?: TestTenant) => Promise<OpenConsole>;
}

/**
 * The console built once per run (test/support/build-console.ts), a service and Chromium for the test file that
 * calls this at its top level; all closed after its tests.
 */
export function consoleSuite(): ConsoleSuite {
  waitForTheServer();
  let service: TestService;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await buildConsoleOnce();
    await mkdir(CONSOLE_SCREENSHOT_DIR, { recursive: true });
    service = await startTestService();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await ifSetUp(browser)?.close();
    await ifSetUp(service)?.shutdown();
  });

  return {
    pageErrors,
    get service() {
      return service;
    },
    openConsole: async (view, given) => {
      const tenant = given ?? (await service.newTenant());
      const page = await browser.context.newPage();
      page.on("pageerror", (error) => pageErrors.push(error.message));
      await page.goto(`${service.url}/#${view}`);
      // The page says where the key goes once it has read its API target, in the same task that makes "Use key" keep
      // the key: a key given before then would be dropped (a slow console-config.json, a busy machine).
      await expect.poll(() => page.locator("#api-target").textContent()).not.toBe("");
      await page.getByLabel("API key").fill(tenant.key);
      await page.getByRole("button", { name: "Use key" }).click();
      return { page, tenant, clients: clientsFor("connect-json-http1", service.url, tenant.key) };
    },
  };
}
