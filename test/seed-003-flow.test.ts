import { afterAll, beforeAll, expect, it } from "vitest";
import type { Cart } from "../gen/orders/v1/cart_pb.js";
import { OrderStatus, PaymentStatus } from "../gen/orders/v1/order_pb.js";
import { clientsFor, type Clients } from "./support/clients.js";
import { BROOKLYN, setUpNewYorkShop } from "./support/new-york-shop.js";
import { startTestService, testWebhookConfig, type TestService } from "./support/service.js";
import { ifSetUp } from "./support/set-up.js";
import { waitFor } from "./support/wait-for.js";
import { Receiver } from "./webhooks/support/receiver.js";

// Seed 003 end to end, over the wire (issue 13's "done when"): a cart built item by item by SKU and priced live,
// placed with cart_id, billing, shipping, shipping method and payment, then fulfilled and delivered, while a
// partner's loopback endpoint receives order.created, order.fulfilled ("shipped" in seed 003) and order.delivered
// and verifies each with the standardwebhooks package.
let service: TestService;
let receiver: Receiver;
let shop: Clients;
let groundId: string;

beforeAll(async () => {
  service = await startTestService({
    webhooks: testWebhookConfig({ dispatcher: true, allowHttp: true, allowPrivate: true, pollIntervalMs: 100 }),
  });
  receiver = await Receiver.start();
  const tenant = await service.newTenant({ role: "admin" });
  shop = clientsFor("grpc-http2", service.url, tenant.key);
  groundId = await setUpNewYorkShop(shop);
  await shop.catalog.createProduct({
    product: { title: "SD Scanner Pro", variants: [{ sku: "SD-SCAN-PRO", prices: { USD: "49.99" } }] },
  });
});
afterAll(async () => {
  await ifSetUp(service)?.shutdown();
  await ifSetUp(receiver)?.down();
});

const totalsOf = (cart: Cart | undefined) => {
  const priced = cart?.priced;
  return [priced?.subtotal, priced?.discountTotal, priced?.shippingTotal, priced?.taxTotal, priced?.total];
};

it("builds a cart by SKU, places it with cart_id, and the partner receives signed created, fulfilled and delivered webhooks", async () => {
  const { webhookEndpoint } = await shop.webhooks.createWebhookEndpoint({
    webhookEndpoint: {
      url: receiver.url("/seed-003"),
      eventTypes: ["order.created", "order.fulfilled", "order.delivered"],
    },
  });
  receiver.secrets.push(webhookEndpoint?.secret ?? "");
  expect(webhookEndpoint?.secret).toMatch(/^whsec_/);

  // Item by item, priced at every step: New York tax on the line as soon as the cart knows where it ships.
  let { cart } = await shop.carts.createCart({
    cart: { email: "alice@example.com", currency: "USD", shippingAddress: BROOKLYN },
  });
  ({ cart } = await shop.carts.addCartLines({
    id: cart?.id ?? "",
    etag: cart?.etag ?? "",
    items: [{ sku: "sd-scan-pro" }],
  }));
  ({ cart } = await shop.carts.addCartLines({
    id: cart?.id ?? "",
    etag: cart?.etag ?? "",
    items: [{ sku: "sd-scan-pro" }],
  }));
  expect(cart?.lines.map((line) => line.item?.quantity)).toEqual([2]);
  expect(totalsOf(cart)).toEqual(["99.98", "0.00", "0.00", "8.87", "108.85"]);

  ({ cart } = await shop.carts.applyCouponCode({ id: cart?.id ?? "", etag: cart?.etag ?? "", code: "spring10" }));
  expect(cart?.priced?.adjustments.map((a) => [a.code, a.amount])).toEqual([["SPRING10", "10.00"]]);

  const { options } = await shop.carts.listCartShippingOptions({ id: cart?.id ?? "" });
  expect(options.map((o) => [o.shippingMethodId, o.displayName, o.amount])).toEqual([[groundId, "UPS Ground", "8.99"]]);

  // Placed with cart_id plus what seed 003 sends with it: billing, shipping, shipping method and payment.
  const { order } = await shop.orders.createOrder({
    cartId: cart?.id ?? "",
    billingAddress: { ...BROOKLYN, phone: "555-1234", email: "alice@example.com" },
    shippingAddress: BROOKLYN,
    shippingMethod: { id: groundId },
    payment: { method: "stripe", gatewayReference: "pi_3QxY" },
  });
  expect([order?.subtotal, order?.discountTotal, order?.shippingTotal, order?.taxTotal, order?.total]).toEqual([
    "99.98",
    "10.00",
    "8.99",
    "8.78",
    "107.75",
  ]);
  expect(order?.paymentStatus).toBe(PaymentStatus.PAID);
  const orderId = order?.id ?? "";
  expect((await shop.carts.getCart({ id: cart?.id ?? "" })).cart?.orderId).toBe(orderId);

  await shop.orders.fulfillOrder({ id: orderId, trackingNumber: "1Z999AA10123456784" });
  const delivered = await shop.orders.deliverOrder({ id: orderId });
  expect(delivered.order?.status).toBe(OrderStatus.DELIVERED);

  // Deliveries are not ordered (as with Stripe's or Shopify's webhooks); the event's sequence orders them.
  const forOrder = () =>
    receiver
      .bodies("/seed-003")
      .filter((body) => body.subject === orderId)
      .sort((a, b) => (a.sequence ?? "").localeCompare(b.sequence ?? ""));
  await waitFor("the order's three webhooks", () => forOrder().length >= 3, 30_000);
  expect(forOrder().map((body) => body.type)).toEqual(["order.created", "order.fulfilled", "order.delivered"]);
  // Every request verified with the endpoint's secret by standardwebhooks' own Webhook.verify.
  expect(receiver.at("/seed-003").map((request) => request.verifiedBy)).toEqual([[0], [0], [0]]);
  expect(forOrder().map((body) => body.sequence)).toEqual(["0000000001", "0000000002", "0000000003"]);
  const created = forOrder()[0]?.data as { order?: { total?: string; shippingLine?: { carrier?: string } } };
  expect(created.order).toMatchObject({ total: "107.75", shippingLine: { carrier: "UPS" } });
});
