import { afterAll, beforeAll, expect, it } from "vitest";
import { clientsFor } from "../support/clients.js";
import { setUpNewYorkShop } from "../support/new-york-shop.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

let service: TestService;
let tenant: TestTenant;
let groundId: string;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ role: "admin" });
  const clients = clientsFor("connect-json-http1", service.url, tenant.key);
  groundId = await setUpNewYorkShop(clients);
  await clients.catalog.createProduct({
    product: { title: "SpectraDiag Scan Pro", variants: [{ sku: "SD-SCAN-PRO", prices: { USD: "49.99" } }] },
  });
});
afterAll(() => ifSetUp(service)?.shutdown());

interface CartAnswer {
  cart: { id: string; etag: string };
}

it("docs/carts.md's seed 003 flow builds, prices and places a cart as the page says", async () => {
  const commands = curlCommands("docs/carts.md", "<!-- test/docs/carts.test.ts runs every command");
  expect(commands).toHaveLength(6);
  const [create, wrongCode, coupon, options, method, place] = commands as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const env = { KEY: tenant.key, GROUND_ID: groundId, CART_ID: "", ETAG: "" };
  const step = async (command: string) => {
    const answer = await runCurl(command, service.url, env);
    const cart = (answer as Partial<CartAnswer>).cart;
    if (cart) Object.assign(env, { CART_ID: cart.id, ETAG: cart.etag });
    return answer;
  };

  expect(await step(create)).toMatchObject({
    cart: {
      state: "CART_STATE_ACTIVE",
      lines: [{ item: { sku: "sd-scan-pro", quantity: 2 } }],
      priced: {
        items: [{ sku: "SD-SCAN-PRO", unitPrice: "49.99", lineTotal: "99.98" }],
        subtotal: "99.98",
        taxTotal: "8.87",
        total: "108.85",
        amountDue: "108.85",
      },
    },
  });
  const warned = await step(wrongCode);
  expect(warned).toMatchObject({
    cart: {
      couponCodes: ["WELCOME5"],
      warnings: [{ reason: "COUPON_NOT_FOUND", field: "coupon_codes[0]" }],
      priced: { total: "108.85" },
    },
  });
  expect(await step(coupon)).toMatchObject({
    cart: {
      priced: { adjustments: [{ code: "SPRING10", amount: "10.00" }], total: "97.97" },
      warnings: [{ reason: "COUPON_NOT_FOUND" }],
    },
  });
  expect(await step(options)).toMatchObject({
    options: [{ displayName: "UPS Ground", amount: "8.99", displayAmount: "$8.99" }],
  });
  expect(await step(method)).toMatchObject({
    cart: { priced: { shippingLine: { amount: "8.99" }, total: "107.75" } },
  });
  const placed = (await step(place)) as { order: { id: string; total: string } };
  expect(placed).toMatchObject({
    order: {
      items: [{ sku: "SD-SCAN-PRO", quantity: 2 }],
      total: "107.75",
      paymentStatus: "PAYMENT_STATUS_PAID",
      payments: [{ method: "stripe", gatewayReference: "pi_3QxY", amount: "107.75" }],
    },
    warnings: [{ reason: "COUPON_NOT_FOUND" }],
  });
  const clients = clientsFor("connect-json-http1", service.url, tenant.key);
  const { cart } = await clients.carts.getCart({ id: env.CART_ID });
  expect(cart).toMatchObject({ orderId: placed.order.id });
});
