import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CartState } from "../../gen/orders/v1/cart_pb.js";
import { cartsHousekeeping } from "../../src/carts/public.js";
import { Housekeeping } from "../../src/platform/database/housekeeping.js";
import { query } from "../../src/platform/database/query.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { BROOKLYN } from "../support/new-york-shop.js";
import { startTestService, type TestService } from "../support/service.js";
import { scrape } from "../support/metrics.js";
import { ifSetUp } from "../support/set-up.js";
import { cartOf, cartShop, type CartShop } from "./support.js";

// A cart yields at most one order (issue 13 §1): concurrent placements, replays, a completed cart, an expired one.

let service: TestService;
let shop: CartShop;
beforeAll(async () => {
  service = await startTestService();
  shop = await cartShop(service);
});
afterAll(() => ifSetUp(service)?.shutdown());

async function readyCart(): Promise<string> {
  const cart = cartOf(
    await shop.live.carts.createCart({
      cart: {
        email: "alice@example.com",
        shippingAddress: BROOKLYN,
        shippingMethod: { id: shop.groundId },
        couponCodes: ["SPRING10"],
        lines: [{ item: { sku: "SD-SCAN-PRO", quantity: 2 } }],
      },
    }),
  );
  return cart.id;
}

const placement = (cartId: string, requestId = "") => ({
  cartId,
  requestId,
  billingAddress: BROOKLYN,
  payment: { method: "stripe", gatewayReference: "pi_1" },
});

describe("placing a cart", () => {
  it("gives exactly one order for 20 concurrent placements; the others are CART_COMPLETED naming it", async () => {
    const cartId = await readyCart();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => shop.live.orders.createOrder(placement(cartId, randomUUID()))),
    );
    const placed = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value.order] : []));
    expect(placed).toHaveLength(1);
    const orderId = placed[0]?.id ?? "";
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === "rejected" ? [observedError(outcome.reason)] : [],
    );
    expect(refused).toHaveLength(19);
    for (const error of refused) {
      expect(error).toMatchObject({
        code: Code.FailedPrecondition,
        reason: "CART_COMPLETED",
        metadata: { cartId, orderId },
      });
    }
    const { orders } = await shop.live.orders.listOrders({ email: "alice@example.com" });
    expect(orders.filter((order) => order.id === orderId)).toHaveLength(1);
    expect(cartOf(await shop.live.carts.getCart({ id: cartId }))).toMatchObject({
      state: CartState.COMPLETED,
      orderId,
    });
    // The one order counted the coupon once.
    expect(placed[0]?.adjustments.map((adjustment) => adjustment.code)).toEqual(["SPRING10"]);
  });

  it("places 16 carts at once, each its own order with its own number, their lookups read in shared statements", async () => {
    const carts = await Promise.all(Array.from({ length: 16 }, () => readyCart()));
    const lookups = async () => {
      const scraped = await scrape(service.metricsUrl);
      return {
        statements: scraped.value("orderspine_create_order_lookups_batch_size_count") ?? 0,
        orders: scraped.value("orderspine_create_order_lookups_batch_size_sum") ?? 0,
      };
    };
    const before = await lookups();
    const placed = await Promise.all(carts.map((cartId) => shop.live.orders.createOrder(placement(cartId))));
    const after = await lookups();
    expect(new Set(placed.map(({ order }) => order?.orderNumber)).size).toBe(16);
    expect(placed.map(({ order }) => order?.total)).toEqual(placed.map(() => placed[0]?.order?.total));
    // CREATE_ORDER_BATCH is on by default: placements read their lookups and numbers in batches like other orders.
    expect(after.orders - before.orders).toBe(16);
    expect(after.statements - before.statements).toBeLessThan(16);
  });

  it("answers a replay of the placing call (same request_id) with its order, also concurrently, never CART_COMPLETED", async () => {
    const cartId = await readyCart();
    const requestId = randomUUID();
    const first = await Promise.all(
      Array.from({ length: 5 }, () => shop.live.orders.createOrder(placement(cartId, requestId))),
    );
    const orderId = first[0]?.order?.id;
    expect(new Set(first.map((response) => response.order?.id))).toEqual(new Set([orderId]));
    const again = await shop.live.orders.createOrder(placement(cartId, requestId));
    expect(again.order?.id).toBe(orderId);
    // Another request_id is a second placement: refused.
    expect(await rejectionOf(shop.live.orders.createOrder(placement(cartId, randomUUID())))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "CART_COMPLETED",
      metadata: { orderId },
    });
  });

  it("refuses every change of a completed cart with CART_COMPLETED and the order's id", async () => {
    const cartId = await readyCart();
    const { order } = await shop.live.orders.createOrder(placement(cartId));
    const cart = cartOf(await shop.live.carts.getCart({ id: cartId }));
    const lineId = cart.lines[0]?.id ?? "";
    const carts = shop.live.carts;
    const changes = [
      () => carts.addCartLines({ id: cartId, items: [{ sku: "SD-CABLE" }] }),
      () => carts.updateCartLine({ id: cartId, lineId, quantity: 1 }),
      () => carts.removeCartLine({ id: cartId, lineId }),
      () => carts.updateCart({ cart: { id: cartId, email: "bob@example.com" }, updateMask: { paths: ["email"] } }),
      () => carts.applyCouponCode({ id: cartId, code: "X" }),
      () => carts.removeCouponCode({ id: cartId, code: "SPRING10" }),
      () => carts.applyGiftCardCode({ id: cartId, code: "X" }),
      () => carts.removeGiftCardCode({ id: cartId, code: "X" }),
    ];
    for (const change of changes) {
      expect(await rejectionOf(change())).toMatchObject({
        code: Code.FailedPrecondition,
        reason: "CART_COMPLETED",
        metadata: { cartId, orderId: order?.id },
      });
    }
    expect(cartOf(await carts.getCart({ id: cartId })).etag).toBe(cart.etag);
  });

  it("keeps a test key's cart from live keys, and places it as a test order", async () => {
    const cart = cartOf(
      await shop.test.carts.createCart({ cart: { email: "t@example.com", lines: [{ item: { sku: "SD-CABLE" } }] } }),
    );
    expect(cart.isTest).toBe(true);
    expect(await rejectionOf(shop.live.carts.getCart({ id: cart.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "CART_NOT_FOUND",
    });
    expect(await rejectionOf(shop.live.orders.createOrder({ cartId: cart.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "CART_NOT_FOUND",
    });
    const { order } = await shop.test.orders.createOrder({ cartId: cart.id });
    expect(order?.isTest).toBe(true);
  });
});

describe("concurrent changes", () => {
  it("loses none of 20 concurrent additions to one cart", async () => {
    const cart = cartOf(await shop.live.carts.createCart({ cart: {} }));
    await Promise.all(
      Array.from({ length: 20 }, () => shop.live.carts.addCartLines({ id: cart.id, items: [{ sku: "SD-CABLE" }] })),
    );
    const after = cartOf(await shop.live.carts.getCart({ id: cart.id }));
    expect(after.lines.map((line) => line.item?.quantity ?? 1)).toEqual([20]);
    expect(after.priced?.subtotal).toBe("190.00");
  });

  it("places every addition that succeeded before the placement and refuses the others", async () => {
    const cartId = await readyCart();
    const additions = Array.from({ length: 10 }, () =>
      shop.live.carts.addCartLines({ id: cartId, items: [{ sku: "SD-CABLE" }] }),
    );
    const [placed, ...added] = await Promise.allSettled([
      shop.live.orders.createOrder(placement(cartId)),
      ...additions,
    ]);
    if (placed.status !== "fulfilled") throw new Error("the placement failed");
    const order = placed.value.order;
    const succeeded = added.filter((outcome) => outcome.status === "fulfilled").length;
    for (const outcome of added) {
      if (outcome.status === "rejected") {
        expect(observedError(outcome.reason)).toMatchObject({
          reason: "CART_COMPLETED",
          metadata: { orderId: order?.id },
        });
      }
    }
    const cables = order?.items.find((item) => item.sku === "SD-CABLE")?.quantity ?? 0;
    expect(cables).toBe(succeeded);
  });
});

describe("expiry", () => {
  it("sets expire_time CART_TTL (30 days by default) after each change", async () => {
    const cart = cartOf(await shop.live.carts.createCart({ cart: {} }));
    const lifetime = Number(cart.expireTime?.seconds) - Number(cart.updateTime?.seconds);
    expect(lifetime).toBe(30 * 24 * 60 * 60);
    const changed = cartOf(await shop.live.carts.addCartLines({ id: cart.id, items: [{ sku: "SD-CABLE" }] }));
    expect(Number(changed.expireTime?.seconds) - Number(changed.updateTime?.seconds)).toBe(30 * 24 * 60 * 60);
  });

  it("reads an expired cart as NOT_FOUND everywhere, and housekeeping deletes it", async () => {
    const cartId = await readyCart();
    const kept = await readyCart();
    // Time passes for one cart: its expiry is moved into the past.
    await query(service.orm.em, "update carts set expires_at = now() - interval '1 second' where id = $1", [cartId]);
    const carts = shop.live.carts;
    const calls = [
      () => carts.getCart({ id: cartId }),
      () => carts.addCartLines({ id: cartId, items: [{ sku: "SD-CABLE" }] }),
      () => carts.applyCouponCode({ id: cartId, code: "X" }),
      () => carts.listCartShippingOptions({ id: cartId }),
      () => shop.live.orders.createOrder(placement(cartId)),
    ];
    for (const call of calls) {
      expect(await rejectionOf(call())).toMatchObject({
        code: Code.NotFound,
        reason: "CART_NOT_FOUND",
        metadata: { cartId },
      });
    }
    const housekeeping = new Housekeeping(service.orm, {
      logger: pino({ level: "silent" }),
      tasks: [cartsHousekeeping(service.orm)],
    });
    const pass = await housekeeping.runOnce();
    expect(pass.tasks.expiredCarts).toBeGreaterThanOrEqual(1);
    const { rows } = await query<{ id: string }>(service.orm.em, "select id from carts where id = any($1::uuid[])", [
      [cartId, kept],
    ]);
    expect(rows.map((row) => row.id)).toEqual([kept]);
  });
});
