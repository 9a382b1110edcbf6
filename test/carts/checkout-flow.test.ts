import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CartState } from "../../gen/orders/v1/cart_pb.js";
import { PaymentState, PaymentStatus } from "../../gen/orders/v1/order_pb.js";
import { BROOKLYN } from "../support/new-york-shop.js";
import { startTestService, type TestService } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { cartOf, cartShop, type CartShop } from "./support.js";

// Seed 003 end to end: a cart built by SKU, priced live (tax, promotion, shipping options), placed with cart_id,
// billing, shipping, shipping method and payment.

let service: TestService;
let shop: CartShop;
beforeAll(async () => {
  service = await startTestService();
  shop = await cartShop(service);
});
afterAll(() => ifSetUp(service)?.shutdown());

describe("a cart from first item to order (seed 003)", () => {
  it("is built by SKU, priced live at each step, and placed as an order with the cart's totals", async () => {
    const carts = shop.live.carts;
    // An empty guest cart is priced as nothing.
    let cart = cartOf(await carts.createCart({ cart: { currency: "USD" } }));
    expect(cart.state).toBe(CartState.ACTIVE);
    expect(cart.lines).toEqual([]);
    expect(cart.priced?.total).toBe("0.00");
    expect(cart.expireTime).toBeDefined();

    cart = cartOf(
      await carts.addCartLines({ id: cart.id, items: [{ sku: "sd-scan-pro" }, { sku: "SD-CABLE", quantity: 2 }] }),
    );
    expect(cart.lines.map((line) => line.item?.sku)).toEqual(["sd-scan-pro", "SD-CABLE"]);
    expect(cart.priced?.items.map((item) => [item.sku, item.quantity, item.lineTotal])).toEqual([
      ["SD-SCAN-PRO", 1, "49.99"],
      ["SD-CABLE", 2, "19.00"],
    ]);
    expect(cart.priced?.subtotal).toBe("68.99");

    // The same item again adds to its line.
    cart = cartOf(await carts.addCartLines({ id: cart.id, etag: cart.etag, items: [{ sku: "sd-scan-pro" }] }));
    expect(cart.lines).toHaveLength(2);
    expect(cart.lines[0]?.item?.quantity).toBe(2);
    const cableLine = cart.lines[1]?.id ?? "";
    cart = cartOf(await carts.updateCartLine({ id: cart.id, lineId: cableLine, quantity: 3 }));
    expect(cart.priced?.subtotal).toBe("128.48");
    cart = cartOf(await carts.removeCartLine({ id: cart.id, lineId: cableLine }));
    expect(cart.lines.map((line) => line.item?.sku)).toEqual(["sd-scan-pro"]);
    expect(cart.priced?.subtotal).toBe("99.98");

    // Shipping to Brooklyn: tax computed by the server, UPS Ground offered and chosen.
    cart = cartOf(
      await carts.updateCart({
        cart: { id: cart.id, email: "alice@example.com", shippingAddress: BROOKLYN },
        updateMask: { paths: ["email", "shipping_address"] },
      }),
    );
    expect(cart.priced?.taxTotal).toBe("8.87");
    const { options } = await carts.listCartShippingOptions({ id: cart.id });
    expect(options.map((option) => [option.displayName, option.amount])).toEqual([["UPS Ground", "8.99"]]);
    cart = cartOf(
      await carts.updateCart({
        cart: { id: cart.id, shippingMethod: { id: shop.groundId } },
        updateMask: { paths: ["shipping_method"] },
      }),
    );
    expect(cart.priced?.shippingLine?.amount).toBe("8.99");

    // A coupon: a bad one is a warning, not an error; SPRING10 applies 10 %.
    cart = cartOf(await carts.applyCouponCode({ id: cart.id, code: "NOPE" }));
    expect(cart.couponCodes).toEqual(["NOPE"]);
    expect(cart.warnings.map((w) => [w.reason, w.field])).toEqual([["COUPON_NOT_FOUND", "coupon_codes[0]"]]);
    cart = cartOf(await carts.removeCouponCode({ id: cart.id, code: "nope" }));
    cart = cartOf(await carts.applyCouponCode({ id: cart.id, code: "spring10" }));
    expect(cart.warnings).toEqual([]);
    expect(cart.priced?.adjustments.map((a) => [a.code, a.amount])).toEqual([["SPRING10", "10.00"]]);
    const priced = cart.priced;
    expect(priced?.total).toBe(cart.priced?.amountDue);

    const { order } = await shop.live.orders.createOrder({
      cartId: cart.id,
      billingAddress: { ...BROOKLYN, phone: "555-1234", email: "alice@example.com" },
      shippingAddress: BROOKLYN,
      shippingMethod: { id: shop.groundId },
      payment: { method: "stripe", gatewayReference: "pi_3QxY" },
    });
    expect(order?.items.map((item) => [item.sku, item.quantity, item.lineTotal])).toEqual([
      ["SD-SCAN-PRO", 2, "99.98"],
    ]);
    for (const total of ["subtotal", "shippingTotal", "discountTotal", "taxTotal", "total"] as const) {
      expect(order?.[total], total).toBe(priced?.[total]);
    }
    expect(order?.email).toBe("alice@example.com");
    expect(order?.payments.map((p) => [p.method, p.gatewayReference, p.amount, p.state])).toEqual([
      ["stripe", "pi_3QxY", priced?.total, PaymentState.CAPTURED],
    ]);
    expect(order?.paymentStatus).toBe(PaymentStatus.PAID);

    const completed = cartOf(await carts.getCart({ id: cart.id }));
    expect(completed.state).toBe(CartState.COMPLETED);
    expect(completed.orderId).toBe(order?.id);
    expect(completed.priced).toBeUndefined();
  });
});
