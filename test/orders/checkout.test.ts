import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { fromBinary } from "@bufbuild/protobuf";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { OrderCreatedSchema } from "../../gen/orders/v1/events_pb.js";
import { Channel, PaymentState, PaymentStatus, TaxSource, type Order } from "../../gen/orders/v1/order_pb.js";
import { PromotionKind } from "../../gen/orders/v1/promotion_pb.js";
import { ShippingRateKind } from "../../gen/orders/v1/shipping_pb.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { BROOKLYN, setUpNewYorkShop } from "../support/new-york-shop.js";
import { readStored } from "../support/stream-reader.js";
import { waitFor } from "../support/wait-for.js";

// Issue 12's "done when": seed 003's order (billing, shipping, a priced shipping method, a payment with a gateway
// reference, a promo code and a gift card) against a tenant with New York sales tax, and its test-key twin.

let service: TestService;
let nc: NatsConnection;
beforeAll(async () => {
  service = await startTestService();
  nc = await connect({ servers: inject("natsUrl") });
});
afterAll(async () => {
  await ifSetUp(nc)?.close();
  await ifSetUp(service)?.shutdown();
});

interface Shop {
  tenant: TestTenant;
  live: Clients;
  test: Clients;
  groundId: string;
}

/** A tenant with New York City sales tax (8.875 %, shipping taxed), UPS Ground at 8.99 and a 10 % code. */
async function newYorkShop(): Promise<Shop> {
  const tenant = await service.newTenant({ role: "admin" });
  const live = clientsFor("connect-json-http1", service.url, tenant.key);
  const test = clientsFor(
    "connect-json-http1",
    service.url,
    (await tenant.issueKey({ role: "admin", mode: "test" })).key,
  );
  return { tenant, live, test, groundId: await setUpNewYorkShop(live) };
}

async function giftCard(clients: Clients, balance: string, currency = "USD"): Promise<{ id: string; code: string }> {
  const { giftCard: card } = await clients.giftCards.issueGiftCard({ initialBalance: balance, currency });
  if (!card) throw new Error("no gift card");
  return { id: card.id, code: card.code };
}

/** Seed 003's request: the client's tax_amount is ignored once the server computes tax. */
function seed003(shop: Shop, giftCardCode: string) {
  return {
    email: "alice@example.com",
    currency: "USD",
    items: [{ sku: "SD-SCAN-PRO", name: "SpectraDiag Scan Pro", quantity: 2, unitPrice: "49.99", taxAmount: "999.00" }],
    billingAddress: { ...BROOKLYN, phone: "555-1234", email: "alice@example.com" },
    shippingAddress: BROOKLYN,
    shippingMethod: { id: shop.groundId },
    payment: { method: "stripe", gatewayReference: "pi_3QxY" },
    couponCodes: ["spring10"],
    giftCardCodes: [giftCardCode],
  };
}

function orderOf(response: { order?: Order }): Order {
  if (!response.order) throw new Error("no order in the response");
  return response.order;
}

describe("checkout pricing (seed 003)", () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await newYorkShop();
  });

  it("computes New York tax on the server, the discount, shipping and gift card, and takes the payment", async () => {
    const card = await giftCard(shop.live, "25.00");
    const request = seed003(shop, card.code);
    const preview = await shop.live.orders.previewOrder({ order: request });
    const response = await shop.live.orders.createOrder(request);
    const order = orderOf(response);
    expect(response.warnings).toEqual([]);

    // 2 x 49.99 = 99.98; SPRING10 takes 10 % (10.00) before tax; UPS Ground 8.99, taxed too.
    expect(order).toMatchObject({
      subtotal: "99.98",
      discountTotal: "10.00",
      shippingTotal: "8.99",
      taxSource: TaxSource.SERVER,
      // lines: 89.98 x (4 % + 4.5 % + 0.375 %) = 3.60 + 4.05 + 0.34; shipping: 8.99 x ... = 0.36 + 0.40 + 0.03
      taxTotal: "8.78",
      additionalTaxTotal: "8.78",
      includedTaxTotal: "0.00",
      total: "107.75",
      paidTotal: "107.75",
      amountDue: "0.00",
      paymentStatus: PaymentStatus.PAID,
      isTest: false,
    });
    expect(order.items[0]).toMatchObject({
      lineTotal: "99.98",
      discountTotal: "10.00",
      taxAmount: "7.99",
      taxLines: [
        { displayName: "NY State", rate: "0.04", amount: "3.60", included: false },
        { displayName: "New York City", rate: "0.045", amount: "4.05", included: false },
        { displayName: "MCTD", rate: "0.00375", amount: "0.34", included: false },
      ],
    });
    expect(order.shippingLine).toMatchObject({
      shippingMethodId: shop.groundId,
      carrier: "UPS",
      service: "Ground",
      amount: "8.99",
      discountTotal: "0.00",
    });
    expect(order.adjustments).toMatchObject([
      { code: "SPRING10", amount: "10.00", allocations: [{ lineIndex: 0, amount: "10.00" }] },
    ]);
    expect(order.payments).toMatchObject([
      {
        method: "GIFT_CARD",
        amount: "25.00",
        capturedAmount: "25.00",
        state: PaymentState.CAPTURED,
        giftCardId: card.id,
      },
      { method: "stripe", gatewayReference: "pi_3QxY", amount: "82.75", state: PaymentState.CAPTURED },
    ]);
    // A preview is the same pricing, nothing written.
    expect(orderOf(preview)).toMatchObject({ taxTotal: "8.78", total: "107.75", amountDue: "0.00" });

    const { giftCard: after } = await shop.live.giftCards.lookupGiftCard({ code: card.code });
    expect(after?.balance).toBe("0.00");

    // order.created carries the same amounts, tax lines, adjustments and payments.
    const subject = `orders.${shop.tenant.tenantId}.created`;
    let created: Order | undefined;
    await waitFor("order.created in the stream", async () => {
      const events = (await readStored(nc, subject)).map((event) => fromBinary(OrderCreatedSchema, event.data));
      created = events.find((event) => event.order?.id === order.id)?.order;
      return created !== undefined;
    });
    expect(created).toMatchObject({
      taxTotal: "8.78",
      total: "107.75",
      amountDue: "0.00",
      items: [{ taxLines: order.items[0]?.taxLines }],
      adjustments: order.adjustments,
      payments: order.payments,
      shippingLine: order.shippingLine,
    });
  });

  it("places the test-key twin as a test order, invisible to live keys, leaving counts and balances alone", async () => {
    const card = await giftCard(shop.live, "25.00");
    const order = orderOf(await shop.test.orders.createOrder(seed003(shop, card.code)));
    expect(order).toMatchObject({ isTest: true, total: "107.75", amountDue: "0.00" });

    expect(await rejectionOf(shop.live.orders.getOrder({ id: order.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "ORDER_NOT_FOUND",
    });
    expect((await shop.test.orders.getOrder({ id: order.id })).order?.id).toBe(order.id);
    const { giftCard: after } = await shop.live.giftCards.lookupGiftCard({ code: card.code });
    expect(after?.balance).toBe("25.00");
  });

  it("applies a coupon it cannot use with a warning, not an error", async () => {
    const response = await shop.live.orders.createOrder({
      email: "bob@example.com",
      items: [{ sku: "A", name: "A", unitPrice: "10.00" }],
      shippingAddress: BROOKLYN,
      couponCodes: ["NO-SUCH-CODE"],
    });
    expect(response.warnings).toMatchObject([{ reason: "COUPON_NOT_FOUND", field: "coupon_codes[0]" }]);
    expect(orderOf(response)).toMatchObject({ discountTotal: "0.00", adjustments: [] });
  });
});

describe("checkout under concurrency", () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await newYorkShop();
  });

  it("never exceeds a code's usage limit: 100 orders at once with a code limited to 10", async () => {
    await shop.live.promotions.createPromotion({
      promotion: {
        displayName: "First ten",
        kind: PromotionKind.ORDER_FIXED_AMOUNT,
        value: "5.00",
        currency: "USD",
        codes: ["FIRST10"],
        usageLimit: 10,
      },
    });
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        shop.live.orders.createOrder({
          email: `buyer-${i}@example.com`,
          items: [{ sku: "A", name: "A", unitPrice: "20.00" }],
          couponCodes: ["FIRST10"],
        }),
      ),
    );
    const discounted = responses.filter((r) => orderOf(r).discountTotal === "5.00");
    const refused = responses.filter((r) => r.warnings.some((w) => w.reason === "COUPON_USAGE_LIMIT_REACHED"));
    expect(responses).toHaveLength(100);
    expect(discounted).toHaveLength(10);
    expect(refused).toHaveLength(90);
    const { promotions } = await shop.live.promotions.listPromotions({ code: "FIRST10" });
    expect(promotions[0]?.usageCount).toBe(10);
  });

  it("counts every use of a code without limits: 50 orders at once, all discounted", async () => {
    // SPRING10 has no usage limit: the orders are written without the promotion's lock nor a second pricing.
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        shop.live.orders.createOrder({
          email: `spring-${i}@example.com`,
          items: [{ sku: "A", name: "A", unitPrice: "20.00" }],
          shippingAddress: BROOKLYN,
          shippingMethod: { id: shop.groundId },
          couponCodes: ["SPRING10"],
        }),
      ),
    );
    expect(responses.map((r) => [orderOf(r).discountTotal, r.warnings])).toEqual(
      Array.from({ length: 50 }, () => ["2.00", []]),
    );
    const { promotions } = await shop.live.promotions.listPromotions({ code: "SPRING10" });
    expect(promotions[0]?.usageCount).toBe(50);
  });

  it("never overdraws a gift card: 20 orders at once paying with one card", async () => {
    const card = await giftCard(shop.live, "100.00");
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        shop.live.orders.createOrder({
          email: `card-${i}@example.com`,
          items: [{ sku: "B", name: "B", unitPrice: "30.00" }],
          giftCardCodes: [card.code],
        }),
      ),
    );
    const paidByCard = responses.map((r) => orderOf(r).payments.find((p) => p.giftCardId === card.id)?.amount ?? "0");
    // 30 + 30 + 30 + 10, whatever the order the transactions took the card in
    expect(paidByCard.filter((amount) => amount !== "0").sort()).toEqual(["10.00", "30.00", "30.00", "30.00"]);
    const { giftCard: after } = await shop.live.giftCards.lookupGiftCard({ code: card.code });
    expect(after?.balance).toBe("0.00");
  });
});

describe("checkout errors", () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await newYorkShop();
  });
  const order = (fields: object) => ({
    email: "err@example.com",
    items: [{ sku: "A", name: "A", unitPrice: "10.00" }],
    shippingAddress: BROOKLYN,
    ...fields,
  });

  it("answers NOT_FOUND for an unknown shipping method and INVALID_ARGUMENT for one that cannot ship there", async () => {
    expect(
      await rejectionOf(
        shop.live.orders.createOrder(order({ shippingMethod: { id: "5b0d1a44-4d0c-4b7e-9f35-3a3b0c2d7f11" } })),
      ),
    ).toMatchObject({ code: Code.NotFound, reason: "SHIPPING_METHOD_NOT_FOUND" });
    const toParis = order({
      shippingMethod: { id: shop.groundId },
      shippingAddress: { line1: "1 rue", city: "Paris", country: "FR" },
    });
    expect(await rejectionOf(shop.live.orders.createOrder(toParis))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "shipping_method.id", reason: "SHIPPING_METHOD_NOT_AVAILABLE" }],
    });
    const inEuros = order({ currency: "EUR", shippingMethod: { id: shop.groundId } });
    expect(await rejectionOf(shop.live.orders.createOrder(inEuros))).toMatchObject({
      violations: [{ field: "shipping_method.id", reason: "SHIPPING_METHOD_NO_RATE" }],
    });
  });

  it("refuses wrong, disabled and other-currency gift cards at their field, writing nothing", async () => {
    const euros = await giftCard(shop.live, "10.00", "EUR");
    const disabled = await giftCard(shop.live, "10.00");
    await shop.live.giftCards.disableGiftCard({ id: disabled.id });
    const rejection = await rejectionOf(
      shop.live.orders.createOrder(order({ giftCardCodes: ["NOPE-NOPE-NOPE", disabled.code, euros.code] })),
    );
    expect(rejection).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "gift_card_codes[0]", reason: "GIFT_CARD_NOT_FOUND" },
        { field: "gift_card_codes[1]", reason: "GIFT_CARD_DISABLED" },
        { field: "gift_card_codes[2]", reason: "GIFT_CARD_CURRENCY_MISMATCH" },
      ],
    });
    const { giftCard: untouched } = await shop.live.giftCards.lookupGiftCard({ code: euros.code });
    expect(untouched?.balance).toBe("10.00");
  });

  it("answers every other checkout rule over the wire with its reason at its field", async () => {
    const refused = async (fields: object) =>
      (await rejectionOf(shop.live.orders.createOrder(order(fields)))).violations;
    expect(await refused({ shippingMethod: { id: shop.groundId, carrier: "UPS" } })).toEqual([
      { field: "shipping_method", reason: "SHIPPING_METHOD_ID_OR_INLINE" },
    ]);
    expect(await refused({ payment: { method: "GIFT_CARD" } })).toEqual([
      { field: "payment.method", reason: "PAYMENT_METHOD_RESERVED" },
    ]);
    expect(await refused({ payment: { method: "card", amount: "0" } })).toEqual([
      { field: "payment.amount", reason: "AMOUNT_NOT_POSITIVE" },
    ]);
    expect(await refused({ channel: Channel.IMPORT, payment: { method: "card" }, giftCardCodes: ["X"] })).toEqual([
      { field: "payment", reason: "NOT_WITH_IMPORT" },
      { field: "gift_card_codes", reason: "NOT_WITH_IMPORT" },
      // every problem in one answer: the unknown code too
      { field: "gift_card_codes[0]", reason: "GIFT_CARD_NOT_FOUND" },
    ]);
    const card = await giftCard(shop.live, "5.00");
    expect(await refused({ giftCardCodes: [card.code, card.code.toLowerCase()] })).toEqual([
      { field: "gift_card_codes[1]", reason: "GIFT_CARD_DUPLICATE" },
    ]);
    const { shippingMethod: parked } = await shop.live.shipping.createShippingMethod({
      shippingMethod: {
        displayName: "Parked",
        carrier: "UPS",
        service: "Freight",
        active: false,
        rates: [{ currency: "USD", kind: ShippingRateKind.FLAT, amount: "50.00" }],
      },
    });
    expect(await refused({ shippingMethod: { id: parked?.id ?? "" } })).toEqual([
      { field: "shipping_method.id", reason: "SHIPPING_METHOD_INACTIVE" },
    ]);
  });

  it("refuses a payment above the amount due, and the request's checkout rules", async () => {
    expect(
      await rejectionOf(shop.live.orders.createOrder(order({ payment: { method: "card", amount: "500.00" } }))),
    ).toMatchObject({ violations: [{ field: "payment.amount", reason: "PAYMENT_EXCEEDS_AMOUNT_DUE" }] });
    expect(
      await rejectionOf(
        shop.live.orders.createOrder(
          order({ shippingTotal: "5.00", shippingMethod: { carrier: "UPS", amount: "5.00" } }),
        ),
      ),
    ).toMatchObject({ violations: [{ field: "shipping_total", reason: "SHIPPING_TOTAL_WITH_METHOD" }] });
    expect(
      await rejectionOf(
        shop.live.orders.createOrder(order({ payment: { method: "card", state: PaymentState.VOIDED } })),
      ),
    ).toMatchObject({ violations: [{ field: "payment.state", reason: "PAYMENT_STATE_NOT_ALLOWED" }] });
  });

  it("takes the client's tax where no zone matches (seed 000), and says so", async () => {
    const { order: placed } = await shop.live.orders.createOrder(
      order({
        shippingAddress: { line1: "1 Main", city: "Austin", region: "TX", postalCode: "73301", country: "US" },
        items: [{ sku: "A", name: "A", unitPrice: "10.00", taxAmount: "0.83" }],
      }),
    );
    expect(placed).toMatchObject({
      taxSource: TaxSource.CLIENT,
      taxTotal: "0.83",
      additionalTaxTotal: "0.83",
      total: "10.83",
    });
    expect(placed?.items[0]?.taxLines).toEqual([]);
  });
});

describe("ListShippingOptions", () => {
  it("offers the methods that can ship the order, cheapest first, priced for it", async () => {
    const shop = await newYorkShop();
    await shop.live.shipping.createShippingMethod({
      shippingMethod: {
        displayName: "Economy",
        carrier: "USPS",
        service: "Ground Advantage",
        rates: [{ currency: "USD", kind: ShippingRateKind.FLAT, amount: "4.50", freeAbove: "50.00" }],
      },
    });
    await shop.live.shipping.createShippingMethod({
      shippingMethod: {
        displayName: "EU only",
        carrier: "DHL",
        service: "Express",
        countries: ["DE"],
        rates: [{ currency: "USD", kind: ShippingRateKind.FLAT, amount: "1.00" }],
      },
    });
    const ask = (unitPrice: string) =>
      shop.live.shipping.listShippingOptions({
        order: { email: "o@example.com", items: [{ sku: "A", name: "A", unitPrice }], shippingAddress: BROOKLYN },
      });
    expect((await ask("10.00")).options).toMatchObject([
      { displayName: "Economy", amount: "4.50", displayAmount: "$4.50" },
      { displayName: "UPS Ground", shippingMethodId: shop.groundId, amount: "8.99" },
    ]);
    expect((await ask("60.00")).options.map((o) => [o.displayName, o.amount])).toEqual([
      ["Economy", "0.00"],
      ["UPS Ground", "8.99"],
    ]);
    expect(await rejectionOf(shop.live.shipping.listShippingOptions({ order: { items: [] } }))).toMatchObject({
      code: Code.InvalidArgument,
    });
  });
});

describe("payment at create", () => {
  it("authorizes at creation and captures part later (seed 003's gateway reference kept)", async () => {
    const shop = await newYorkShop();
    const created = orderOf(
      await shop.live.orders.createOrder({
        email: "pay@example.com",
        items: [{ sku: "A", name: "A", unitPrice: "100.00" }],
        shippingAddress: { line1: "1 Main", city: "Austin", region: "TX", postalCode: "73301", country: "US" },
        payment: { method: "stripe", gatewayReference: "pi_auth", state: PaymentState.AUTHORIZED },
      }),
    );
    expect(created).toMatchObject({
      paymentStatus: PaymentStatus.AUTHORIZED,
      paidTotal: "0.00",
      authorizedTotal: "100.00",
      amountDue: "100.00",
      payments: [{ method: "stripe", gatewayReference: "pi_auth", amount: "100.00", state: PaymentState.AUTHORIZED }],
    });
    const paymentId = created.payments[0]?.id ?? "";
    const captured = orderOf(
      await shop.live.orders.capturePayment({ id: created.id, etag: created.etag, paymentId, amount: "60.00" }),
    );
    expect(captured).toMatchObject({
      paymentStatus: PaymentStatus.PARTIALLY_PAID,
      paidTotal: "60.00",
      amountDue: "40.00",
      payments: [{ id: paymentId, capturedAmount: "60.00", state: PaymentState.CAPTURED }],
    });
  });
});

describe("the shipping line after checkout", () => {
  it("gives FulfillOrder its carrier and service, and seed 001's requested service is a shipping line too", async () => {
    const shop = await newYorkShop();
    const placed = orderOf(
      await shop.live.orders.createOrder({
        email: "ship@example.com",
        items: [{ sku: "A", name: "A", unitPrice: "10.00" }],
        shippingAddress: BROOKLYN,
        shippingMethod: { id: shop.groundId },
      }),
    );
    const fulfilled = orderOf(await shop.live.orders.fulfillOrder({ id: placed.id, trackingNumber: "1Z999" }));
    expect(fulfilled.fulfillment).toMatchObject({ carrier: "UPS", service: "Ground", trackingNumber: "1Z999" });
    // seed 001: the requested service with its shipping total; then a carrier the shipment names is kept
    const other = orderOf(
      await shop.live.orders.createOrder({
        email: "ship@example.com",
        items: [{ sku: "A", name: "A", unitPrice: "10.00" }],
        requestedShippingService: "FedEx Ground",
        shippingTotal: "12.00",
      }),
    );
    expect(other.shippingLine).toMatchObject({ displayName: "FedEx Ground", service: "FedEx Ground", amount: "12.00" });
    const shipped = orderOf(await shop.live.orders.fulfillOrder({ id: other.id, carrier: "FedEx" }));
    expect(shipped.fulfillment).toMatchObject({ carrier: "FedEx", service: "FedEx Ground" });
  });
});

describe("coupon warnings and an expired gift card, over the wire", () => {
  it("names each code that did not apply and why, and refuses a card past its expiry", async () => {
    const shop = await newYorkShop();
    const promotion = async (code: string, fields: object) =>
      (
        await shop.live.promotions.createPromotion({
          promotion: { displayName: code, kind: PromotionKind.ORDER_PERCENTAGE, value: "5", codes: [code], ...fields },
        })
      ).promotion;
    const off = await promotion("OFF", {});
    await shop.live.promotions.deactivatePromotion({ id: off?.id ?? "" });
    await promotion("BIGSPEND", { minimumSubtotal: "1000.00", currency: "USD" });
    await promotion("EUROS", { currency: "EUR" });
    await promotion("OTHERSKU", { kind: PromotionKind.ITEM_PERCENTAGE, skus: ["NOT-IN-CART"] });
    const response = await shop.live.orders.createOrder({
      email: "codes@example.com",
      items: [{ sku: "A", name: "A", unitPrice: "10.00" }],
      couponCodes: ["OFF", "BIGSPEND", "EUROS", "OTHERSKU", "SPRING10", "spring10"],
    });
    expect(response.warnings.map((w) => [w.field, w.reason])).toEqual([
      ["coupon_codes[0]", "COUPON_INACTIVE"],
      ["coupon_codes[1]", "COUPON_MINIMUM_NOT_MET"],
      ["coupon_codes[2]", "COUPON_CURRENCY_MISMATCH"],
      ["coupon_codes[3]", "COUPON_NOT_APPLICABLE"],
      ["coupon_codes[5]", "COUPON_DUPLICATE"],
    ]);
    expect(orderOf(response).adjustments.map((a) => [a.code, a.amount])).toEqual([["SPRING10", "1.00"]]);

    const { giftCard: soon } = await shop.live.giftCards.issueGiftCard({
      initialBalance: "5.00",
      currency: "USD",
      expireTime: timestampFromDate(new Date(Date.now() + 1500)),
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const expired = await rejectionOf(
      shop.live.orders.createOrder({
        email: "codes@example.com",
        items: [{ sku: "A", name: "A", unitPrice: "10.00" }],
        giftCardCodes: [soon?.code ?? ""],
      }),
    );
    expect(expired.violations).toEqual([{ field: "gift_card_codes[0]", reason: "GIFT_CARD_EXPIRED" }]);
  });
});
