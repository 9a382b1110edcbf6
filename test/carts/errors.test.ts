import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Channel } from "../../gen/orders/v1/order_pb.js";
import { PromotionKind } from "../../gen/orders/v1/promotion_pb.js";
import { Code, rejectionOf } from "../support/errors.js";
import { BROOKLYN } from "../support/new-york-shop.js";
import { startTestService, type TestService } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { cartOf, cartShop, type CartShop } from "./support.js";

// Every error path of CartsService and of CreateOrder's cart_id (docs/carts.md).

let service: TestService;
let shop: CartShop;
beforeAll(async () => {
  service = await startTestService();
  shop = await cartShop(service);
});
afterAll(() => ifSetUp(service)?.shutdown());

const violations = (error: { violations: { field: string; reason: string }[] }) =>
  error.violations.map((violation) => [violation.field, violation.reason]);

async function newCart(lines: { sku: string; quantity?: number }[] = [{ sku: "SD-SCAN-PRO" }]) {
  return cartOf(await shop.live.carts.createCart({ cart: { lines: lines.map((item) => ({ item })) } }));
}

describe("CreateCart", () => {
  it("refuses what CreateOrder refuses, at paths under cart.", async () => {
    const carts = shop.live.carts;
    const unknownVariant = await rejectionOf(
      carts.createCart({ cart: { lines: [{ item: { sku: "SD-CABLE" } }, { item: { variantId: randomUUID() } }] } }),
    );
    expect(unknownVariant.code).toBe(Code.InvalidArgument);
    expect(violations(unknownVariant)).toEqual([["cart.lines[1].item.variant_id", "VARIANT_NOT_FOUND"]]);
    expect(violations(await rejectionOf(carts.createCart({ cart: { lines: [{ item: {} }] } })))).toEqual([
      ["cart.lines[0].item", "ITEM_REFERENCE_REQUIRED"],
    ]);
    expect(violations(await rejectionOf(carts.createCart({ cart: { email: "not an email" } })))).toEqual([
      ["cart.email", "STRING_EMAIL"],
    ]);
    expect(violations(await rejectionOf(carts.createCart({ cart: { giftCardCodes: ["NO-SUCH-CARD"] } })))).toEqual([
      ["cart.gift_card_codes[0]", "GIFT_CARD_NOT_FOUND"],
    ]);
    expect(await rejectionOf(carts.createCart({ cart: { customerId: randomUUID() } }))).toMatchObject({
      code: Code.NotFound,
      reason: "CUSTOMER_NOT_FOUND",
    });
    expect(await rejectionOf(carts.createCart({ cart: { shippingMethod: { id: randomUUID() } } }))).toMatchObject({
      code: Code.NotFound,
      reason: "SHIPPING_METHOD_NOT_FOUND",
    });
  });

  it("answers a retry with its first answer, and refuses the request_id for another request", async () => {
    const requestId = randomUUID();
    const first = cartOf(await shop.live.carts.createCart({ requestId, cart: { email: "a@example.com" } }));
    const again = cartOf(await shop.live.carts.createCart({ requestId, cart: { email: "a@example.com" } }));
    expect(again.id).toBe(first.id);
    expect(
      await rejectionOf(shop.live.carts.createCart({ requestId, cart: { email: "b@example.com" } })),
    ).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("needs an editor key; a viewer reads, without the gift card codes", async () => {
    expect(await rejectionOf(shop.viewer.carts.createCart({ cart: {} }))).toMatchObject({
      code: Code.PermissionDenied,
      reason: "ROLE_REQUIRED",
    });
    const { giftCard } = await shop.live.giftCards.issueGiftCard({ initialBalance: "5.00", currency: "USD" });
    const cart = cartOf(
      await shop.live.carts.createCart({
        cart: {
          giftCardCodes: [giftCard?.code ?? ""],
          lines: [{ item: { sku: "SD-CABLE", privateMetadata: { cost: "4.10" } } }],
        },
      }),
    );
    expect(cart.giftCardCodes).toEqual([giftCard?.code]);
    expect(cart.lines[0]?.item?.privateMetadata).toEqual({ cost: "4.10" });
    expect(cart.priced?.items[0]?.privateMetadata).toEqual({ cost: "4.10" });
    const seen = cartOf(await shop.viewer.carts.getCart({ id: cart.id }));
    expect(seen.giftCardCodes).toEqual([]);
    expect(seen.lines[0]?.item?.privateMetadata).toEqual({});
    expect(seen.priced?.items[0]?.privateMetadata).toEqual({});
    expect(await rejectionOf(shop.viewer.carts.applyCouponCode({ id: cart.id, code: "X" }))).toMatchObject({
      code: Code.PermissionDenied,
    });
  });
});

describe("reading", () => {
  it("is NOT_FOUND for an unknown cart and another tenant's", async () => {
    const cart = await newCart();
    const other = await cartShop(service);
    for (const call of [
      () => shop.live.carts.getCart({ id: randomUUID() }),
      () => other.live.carts.getCart({ id: cart.id }),
      () => other.live.carts.listCartShippingOptions({ id: cart.id }),
    ]) {
      expect(await rejectionOf(call())).toMatchObject({ code: Code.NotFound, reason: "CART_NOT_FOUND" });
    }
  });
});

describe("AddCartLines, UpdateCartLine, RemoveCartLine", () => {
  it("refuses a bad item at items[i], an overfull line and an overfull cart, changing nothing", async () => {
    const cart = await newCart();
    const carts = shop.live.carts;
    expect(
      violations(
        await rejectionOf(
          carts.addCartLines({ id: cart.id, items: [{ sku: "SD-CABLE" }, { productId: randomUUID() }] }),
        ),
      ),
    ).toEqual([["items[1].product_id", "PRODUCT_NOT_FOUND"]]);
    expect(
      violations(
        await rejectionOf(carts.addCartLines({ id: cart.id, items: [{ sku: "SD-SCAN-PRO", quantity: 1_000_000 }] })),
      ),
    ).toEqual([["items[0].quantity", "QUANTITY_TOO_LARGE"]]);
    const many = Array.from({ length: 500 }, (_, i) => ({ sku: `CUSTOM-${i}`, name: `Custom ${i}` }));
    expect(violations(await rejectionOf(carts.addCartLines({ id: cart.id, items: many })))).toEqual([
      ["items", "TOO_MANY_LINES"],
    ]);
    expect(cartOf(await carts.getCart({ id: cart.id })).etag).toBe(cart.etag);
  });

  it("answers ETAG_MISMATCH for a stale etag and CART_LINE_NOT_FOUND for a line the cart does not have", async () => {
    const cart = await newCart();
    const carts = shop.live.carts;
    const changed = cartOf(await carts.addCartLines({ id: cart.id, etag: cart.etag, items: [{ sku: "SD-CABLE" }] }));
    expect(changed.etag).not.toBe(cart.etag);
    expect(
      await rejectionOf(carts.addCartLines({ id: cart.id, etag: cart.etag, items: [{ sku: "SD-CABLE" }] })),
    ).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH", metadata: { cartId: cart.id } });
    const lineId = randomUUID();
    for (const call of [
      () => carts.updateCartLine({ id: cart.id, lineId, quantity: 2 }),
      () => carts.removeCartLine({ id: cart.id, lineId }),
    ]) {
      expect(await rejectionOf(call())).toMatchObject({
        code: Code.NotFound,
        reason: "CART_LINE_NOT_FOUND",
        metadata: { cartId: cart.id, lineId },
      });
    }
    expect(violations(await rejectionOf(carts.updateCartLine({ id: cart.id, lineId })))).toEqual([
      ["quantity", "REQUIRED"],
    ]);
    // Quantity 0 removes the line.
    const first = changed.lines[0]?.id ?? "";
    const removed = cartOf(await carts.updateCartLine({ id: cart.id, lineId: first, quantity: 0 }));
    expect(removed.lines.map((line) => line.item?.sku)).toEqual(["SD-CABLE"]);
  });

  it("answers a retried change with its first answer without applying it twice", async () => {
    const cart = await newCart();
    const requestId = randomUUID();
    const request = { id: cart.id, requestId, items: [{ sku: "SD-CABLE" }] };
    const first = cartOf(await shop.live.carts.addCartLines(request));
    const again = cartOf(await shop.live.carts.addCartLines(request));
    expect(again).toEqual(first);
    expect(cartOf(await shop.live.carts.getCart({ id: cart.id })).lines[1]?.item?.quantity).toBeUndefined();
    expect(
      await rejectionOf(shop.live.carts.addCartLines({ ...request, items: [{ sku: "SD-SCAN-PRO" }] })),
    ).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });
});

describe("UpdateCart", () => {
  it("refuses a bad mask, a bad id, and values the order could not take", async () => {
    const cart = await newCart([{ sku: "SD-SCAN-PRO" }, { sku: "SD-CABLE" }]);
    const carts = shop.live.carts;
    expect(
      violations(await rejectionOf(carts.updateCart({ cart: { id: cart.id }, updateMask: { paths: [] } }))),
    ).toEqual([["update_mask", "REQUIRED"]]);
    expect(
      violations(await rejectionOf(carts.updateCart({ cart: { id: cart.id }, updateMask: { paths: ["lines"] } }))),
    ).toEqual([["update_mask.paths[0]", "NOT_UPDATABLE"]]);
    expect(
      violations(await rejectionOf(carts.updateCart({ cart: { id: "nope" }, updateMask: { paths: ["email"] } }))),
    ).toEqual([["cart.id", "INVALID_UUID"]]);
    const toGermany = await rejectionOf(
      carts.updateCart({
        cart: {
          id: cart.id,
          shippingAddress: { ...BROOKLYN, country: "DE", region: "", postalCode: "10115" },
          shippingMethod: { id: shop.groundId },
        },
        updateMask: { paths: ["shipping_address", "shipping_method"] },
      }),
    );
    expect(violations(toGermany)).toEqual([["cart.shipping_method.id", "SHIPPING_METHOD_NOT_AVAILABLE"]]);
    // The cable has no EUR price.
    const inEuros = await rejectionOf(
      carts.updateCart({ cart: { id: cart.id, currency: "EUR" }, updateMask: { paths: ["currency"] } }),
    );
    expect(violations(inEuros)).toEqual([["cart.lines[1].item.unit_price", "NO_PRICE_IN_CURRENCY"]]);
    expect(
      await rejectionOf(
        carts.updateCart({ cart: { id: cart.id, customerId: randomUUID() }, updateMask: { paths: ["customer_id"] } }),
      ),
    ).toMatchObject({ code: Code.NotFound, reason: "CUSTOMER_NOT_FOUND" });
    expect(cartOf(await carts.getCart({ id: cart.id })).etag).toBe(cart.etag);
    // "*" sets every updatable field: those left empty are cleared.
    const all = cartOf(
      await carts.updateCart({ cart: { id: cart.id, email: "all@example.com" }, updateMask: { paths: ["*"] } }),
    );
    expect(all).toMatchObject({ email: "all@example.com", currency: "", metadata: {} });
    expect(all.lines).toHaveLength(2);
  });
});

describe("codes", () => {
  it("keeps a coupon that does not apply with a warning, refuses an eleventh code and a gift card that cannot pay", async () => {
    const cart = await newCart();
    const carts = shop.live.carts;
    const minimum = await shop.live.promotions.createPromotion({
      promotion: {
        displayName: "Big",
        kind: PromotionKind.ORDER_PERCENTAGE,
        value: "5",
        codes: ["BIG5"],
        minimumSubtotal: "500.00",
      },
    });
    expect(minimum.promotion?.id).toBeDefined();
    const kept = cartOf(await carts.applyCouponCode({ id: cart.id, code: "big5" }));
    expect(kept.couponCodes).toEqual(["big5"]);
    expect(kept.warnings.map((w) => [w.reason, w.field])).toEqual([["COUPON_MINIMUM_NOT_MET", "coupon_codes[0]"]]);
    // The same code in another case changes nothing.
    expect(cartOf(await carts.applyCouponCode({ id: cart.id, code: "BIG5" })).couponCodes).toEqual(["big5"]);
    for (let i = 1; i < 10; i++) await carts.applyCouponCode({ id: cart.id, code: `CODE${i}` });
    expect(violations(await rejectionOf(carts.applyCouponCode({ id: cart.id, code: "ELEVENTH" })))).toEqual([
      ["code", "TOO_MANY_CODES"],
    ]);
    expect(violations(await rejectionOf(carts.applyGiftCardCode({ id: cart.id, code: "NO-SUCH-CARD" })))).toEqual([
      ["code", "GIFT_CARD_NOT_FOUND"],
    ]);
    const { giftCard: euros } = await shop.live.giftCards.issueGiftCard({ initialBalance: "5.00", currency: "EUR" });
    expect(violations(await rejectionOf(carts.applyGiftCardCode({ id: cart.id, code: euros?.code ?? "" })))).toEqual([
      ["code", "GIFT_CARD_CURRENCY_MISMATCH"],
    ]);
  });

  it("pays with a gift card in the priced view and removes it again", async () => {
    const cart = await newCart();
    const { giftCard } = await shop.live.giftCards.issueGiftCard({ initialBalance: "20.00", currency: "USD" });
    const paid = cartOf(await shop.live.carts.applyGiftCardCode({ id: cart.id, code: giftCard?.code ?? "" }));
    expect(paid.priced?.payments.map((p) => [p.method, p.amount])).toEqual([["GIFT_CARD", "20.00"]]);
    expect(paid.priced?.amountDue).toBe("29.99");
    const removed = cartOf(await shop.live.carts.removeGiftCardCode({ id: cart.id, code: giftCard?.code ?? "" }));
    expect(removed.giftCardCodes).toEqual([]);
    expect(removed.priced?.amountDue).toBe("49.99");
  });
});

describe("a cart that can no longer be priced", () => {
  it("reads with pricing_errors, still takes unrelated changes, and is mended by removing the line", async () => {
    const { product } = await shop.live.catalog.createProduct({
      product: { title: "Old", variants: [{ sku: `OLD-${randomUUID().slice(0, 8)}`, prices: { USD: "3.00" } }] },
    });
    const cart = cartOf(
      await shop.live.carts.createCart({ cart: { lines: [{ item: { productId: product?.id ?? "" } }] } }),
    );
    await shop.live.catalog.archiveProduct({ id: product?.id ?? "" });
    const read = cartOf(await shop.live.carts.getCart({ id: cart.id }));
    expect(read.priced).toBeUndefined();
    expect(read.pricingErrors.map((e) => [e.field, e.reason])).toEqual([
      ["lines[0].item.product_id", "PRODUCT_ARCHIVED"],
    ]);
    const coupon = cartOf(await shop.live.carts.applyCouponCode({ id: cart.id, code: "SPRING10" }));
    expect(coupon.pricingErrors).toHaveLength(1);
    const mended = cartOf(await shop.live.carts.removeCartLine({ id: cart.id, lineId: cart.lines[0]?.id ?? "" }));
    expect(mended.pricingErrors).toEqual([]);
    expect(mended.priced?.total).toBe("0.00");
  });
});

describe("CreateOrder with cart_id", () => {
  it("refuses items beside a cart, an import of a cart, an unknown cart, an empty one and one without a buyer", async () => {
    const orders = shop.live.orders;
    const cart = await newCart();
    expect(
      violations(
        await rejectionOf(
          orders.createOrder({ cartId: cart.id, email: "a@example.com", items: [{ sku: "SD-CABLE" }] }),
        ),
      ),
    ).toEqual([["items", "ITEMS_WITH_CART"]]);
    expect(
      violations(
        await rejectionOf(orders.createOrder({ cartId: cart.id, email: "a@example.com", channel: Channel.IMPORT })),
      ),
    ).toEqual([["cart_id", "NOT_WITH_IMPORT"]]);
    expect(await rejectionOf(orders.createOrder({ cartId: randomUUID(), email: "a@example.com" }))).toMatchObject({
      code: Code.NotFound,
      reason: "CART_NOT_FOUND",
    });
    // The cart gives no buyer and the request neither: the violation names the cart.
    expect(violations(await rejectionOf(orders.createOrder({ cartId: cart.id })))).toEqual([
      ["cart_id", "CUSTOMER_OR_EMAIL_REQUIRED"],
    ]);
    const empty = cartOf(await shop.live.carts.createCart({ cart: { email: "a@example.com" } }));
    expect(violations(await rejectionOf(orders.createOrder({ cartId: empty.id })))).toEqual([
      ["cart_id", "REPEATED_MIN_ITEMS"],
    ]);
    // The request's own fields keep their paths; a placement that failed leaves the cart active.
    expect(
      violations(
        await rejectionOf(orders.createOrder({ cartId: cart.id, email: "a@example.com", giftCardCodes: ["NOPE"] })),
      ),
    ).toEqual([["gift_card_codes[0]", "GIFT_CARD_NOT_FOUND"]]);
    const { order } = await orders.createOrder({ cartId: cart.id, email: "a@example.com" });
    expect(order?.items.map((item) => item.sku)).toEqual(["SD-SCAN-PRO"]);
  });

  it("is refused by PreviewOrder and ListShippingOptions, which price requests, not carts", async () => {
    const cart = await newCart();
    const order = { cartId: cart.id, email: "a@example.com" };
    expect(violations(await rejectionOf(shop.live.orders.previewOrder({ order })))).toEqual([
      ["order.cart_id", "CART_NOT_ALLOWED"],
    ]);
    expect(violations(await rejectionOf(shop.live.shipping.listShippingOptions({ order })))).toEqual([
      ["order.cart_id", "CART_NOT_ALLOWED"],
    ]);
  });

  it("takes the request's billing, shipping, method and codes over the cart's", async () => {
    const cart = cartOf(
      await shop.live.carts.createCart({
        cart: {
          email: "cart@example.com",
          couponCodes: ["NOPE"],
          shippingMethod: { carrier: "DHL", service: "Express", amount: "30.00" },
          lines: [{ item: { sku: "SD-SCAN-PRO" } }],
        },
      }),
    );
    const { order, warnings } = await shop.live.orders.createOrder({
      cartId: cart.id,
      email: "request@example.com",
      shippingAddress: BROOKLYN,
      shippingMethod: { id: shop.groundId },
      couponCodes: ["SPRING10"],
    });
    expect(warnings).toEqual([]);
    expect(order).toMatchObject({ email: "request@example.com", shippingTotal: "8.99", discountTotal: "5.00" });
    expect(order?.shippingAddress?.city).toBe("Brooklyn");
  });
});
