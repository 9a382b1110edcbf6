import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Channel, PaymentState } from "../../../gen/orders/v1/order_pb.js";
import { CreateOrderRequestSchema } from "../../../gen/orders/v1/orders_service_pb.js";
import type { PromotionCandidate, ShippingMethod } from "../../../src/domain/pricing/checkout.js";
import {
  NO_LOOKUPS,
  checkoutInput,
  checkoutRequestViolations,
  namesShipping,
  redeemsCodes,
  shippingChoice,
  taxAddress,
} from "../../../src/orders/rules/checkout-request.js";

const request = (fields: Parameters<typeof create<typeof CreateOrderRequestSchema>>[1]) =>
  create(CreateOrderRequestSchema, { items: [{ sku: "A", name: "A", unitPrice: "10.00" }], ...fields });
const reasons = (fields: Parameters<typeof request>[0], minorUnits: number | undefined = 2) =>
  checkoutRequestViolations(request(fields), minorUnits).map((v) => `${v.field}: ${v.reason}`);

const method: ShippingMethod = {
  id: "m1",
  name: "UPS Ground",
  carrier: "UPS",
  service: "Ground",
  countries: ["US"],
  rates: [{ currency: "USD", kind: "FLAT", amount: "9.95", tiers: [] }],
  active: true,
};

describe("checkoutRequestViolations", () => {
  it("accepts a request without checkout fields, a method by id, an inline method and a payment", () => {
    expect(reasons({})).toEqual([]);
    expect(reasons({ shippingMethod: { id: "5b0d1a44-4d0c-4b7e-9f35-3a3b0c2d7f11" } })).toEqual([]);
    expect(reasons({ shippingMethod: { carrier: "UPS", service: "Ground", amount: "12.50" } })).toEqual([]);
    expect(reasons({ payment: { method: "card", gatewayReference: "pi_1", amount: "5.00" } })).toEqual([]);
  });

  it("wants exactly one of a method id and an inline method with its amount", () => {
    const both = { id: "5b0d1a44-4d0c-4b7e-9f35-3a3b0c2d7f11", carrier: "UPS", amount: "1.00" };
    expect(reasons({ shippingMethod: both })).toEqual(["shipping_method: SHIPPING_METHOD_ID_OR_INLINE"]);
    expect(reasons({ shippingMethod: {} })).toEqual(["shipping_method: SHIPPING_METHOD_ID_OR_INLINE"]);
    // an inline method without its amount
    expect(reasons({ shippingMethod: { carrier: "UPS" } })).toEqual(["shipping_method: SHIPPING_METHOD_ID_OR_INLINE"]);
  });

  it("refuses shipping_total beside a method, and amounts finer than the currency", () => {
    expect(reasons({ shippingTotal: "5.00", shippingMethod: { amount: "5.00" } })).toEqual([
      "shipping_total: SHIPPING_TOTAL_WITH_METHOD",
    ]);
    expect(reasons({ payment: { method: "card", amount: "5.5" } }, 0)).toEqual([
      "payment.amount: TOO_MANY_FRACTION_DIGITS",
    ]);
    // an unknown currency is reported by pricing; digits cannot be judged here
    expect(checkoutRequestViolations(request({ payment: { method: "card", amount: "5.555" } }), undefined)).toEqual([]);
  });

  it("keeps GIFT_CARD for gift cards, refuses a voided or zero payment", () => {
    expect(reasons({ payment: { method: "gift_card" } })).toEqual(["payment.method: PAYMENT_METHOD_RESERVED"]);
    expect(reasons({ payment: { method: "card", state: PaymentState.VOIDED } })).toEqual([
      "payment.state: PAYMENT_STATE_NOT_ALLOWED",
    ]);
    expect(reasons({ payment: { method: "card", amount: "0.00" } })).toEqual(["payment.amount: AMOUNT_NOT_POSITIVE"]);
  });

  it("refuses a payment or gift cards on an import, which states its payments in import_details", () => {
    expect(
      reasons({ channel: Channel.IMPORT, payment: { method: "card" }, giftCardCodes: ["G"], couponCodes: ["C"] }),
    ).toEqual(["payment: NOT_WITH_IMPORT", "gift_card_codes: NOT_WITH_IMPORT"]);
  });
});

describe("taxAddress", () => {
  it("is the shipping address, else the billing address, with the region's country prefix dropped", () => {
    const ny = { line1: "1 Main", country: "US", region: "us-ny", postalCode: "10001" };
    const de = { line1: "2 Weg", country: "DE" };
    expect(taxAddress(ny, de)).toEqual({ country: "US", region: "NY", postalCode: "10001" });
    expect(taxAddress(null, de)).toEqual({ country: "DE", region: "", postalCode: "" });
    expect(taxAddress(null, null)).toBeUndefined();
  });
});

describe("shippingChoice", () => {
  it("prices a method by id, takes an inline method or the shipping_total as given", () => {
    const byId = request({ shippingMethod: { id: "5b0d1a44-4d0c-4b7e-9f35-3a3b0c2d7f11" } });
    expect(shippingChoice(byId, method)).toEqual({ kind: "METHOD", method });
    expect(
      shippingChoice(request({ shippingMethod: { carrier: "UPS", service: "Next Day", amount: "30.00" } }), undefined),
    ).toEqual({
      kind: "INLINE",
      name: "UPS Next Day",
      carrier: "UPS",
      service: "Next Day",
      amount: "30.00",
    });
    expect(shippingChoice(request({ shippingTotal: "4.90" }), undefined)).toEqual({ kind: "AMOUNT", amount: "4.90" });
    expect(shippingChoice(request({}), undefined)).toEqual({ kind: "NONE" });
    // seed 001: the requested service and the shipping total
    expect(
      shippingChoice(request({ requestedShippingService: "FedEx Ground", shippingTotal: "12.00" }), undefined),
    ).toEqual({ kind: "INLINE", name: "FedEx Ground", carrier: "", service: "FedEx Ground", amount: "12.00" });
    expect(namesShipping(request({ requestedShippingService: "FedEx Ground" }))).toBe(true);
    expect(namesShipping(request({ shippingTotal: "12.00" }))).toBe(false);
  });
});

describe("checkoutInput", () => {
  it("hands the engine the resolved lines, the client's tax, the codes with what was found for them", () => {
    const promotion = { id: "p1", code: "SAVE10" } as PromotionCandidate;
    const input = checkoutInput({
      request: request({
        items: [{ sku: "A", name: "A", quantity: 2, taxAmount: "1.00" }],
        taxTotal: "3.00",
        discountTotal: "2.00",
        couponCodes: ["save10", "NOPE"],
        giftCardCodes: ["GC-1"],
      }),
      currency: "USD",
      lines: [
        {
          sku: "A",
          requestedSku: null,
          name: "A",
          unitPrice: "7.50",
          productId: "prod",
          variantId: "var",
          taxCategory: "reduced",
          weightGrams: 250,
        },
      ],
      shippingAddress: { line1: "1 Main", country: "us", region: "NY" },
      billingAddress: null,
      lookups: { ...NO_LOOKUPS, promotions: new Map([["save10", promotion]]) },
      now: new Date(0),
    });
    expect(input).toMatchObject({
      currency: "USD",
      lines: [
        {
          quantity: 2,
          unitPrice: "7.50",
          productId: "prod",
          variantId: "var",
          taxCategory: "reduced",
          weightGrams: 250,
          clientTaxAmount: "1.00",
        },
      ],
      taxAddress: { country: "US", region: "NY", postalCode: "" },
      shippingCountry: "US",
      clientTaxTotal: "3.00",
      shipping: { kind: "NONE" },
      manualDiscount: "2.00",
      couponCodes: [
        { text: "save10", promotion },
        { text: "NOPE", promotion: undefined },
      ],
      giftCards: [{ text: "GC-1", card: undefined }],
    });
  });

  it("says when codes must be counted in the order's transaction", () => {
    expect(redeemsCodes(request({}))).toBe(false);
    expect(redeemsCodes(request({ couponCodes: ["X"] }))).toBe(true);
    expect(redeemsCodes(request({ giftCardCodes: ["X"] }))).toBe(true);
  });
});
