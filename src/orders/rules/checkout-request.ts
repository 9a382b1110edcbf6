import { Channel, PaymentState } from "../../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequest } from "../../../gen/orders/v1/orders_service_pb.js";
import type { AddressRecord } from "../../addresses/address.js";
import type {
  CheckoutInput,
  GiftCardCandidate,
  PromotionCandidate,
  ShippingChoice,
  ShippingMethod,
  TaxAddress,
  TaxConfiguration,
} from "../../domain/pricing/checkout.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { fractionDigits, isCanonicalAmount, parseAmount } from "../../money/money.js";
import type { ResolvedLine } from "./line-references.js";

/**
 * CreateOrder's checkout fields (issue 12: coupon_codes, shipping_method, gift_card_codes, payment) turned into the
 * pricing engine's input (domain/pricing). Pure: the lookups (tax configuration, the shipping method, promotions and
 * gift cards by code) are made by order-checkout.ts and handed in.
 */

/** What order-checkout.ts found for a request. */
export interface CheckoutLookups {
  tax: TaxConfiguration | undefined;
  /** The method CreateOrderRequest.shipping_method.id names, when it exists. */
  shippingMethod: ShippingMethod | undefined;
  /** By lower-cased code. */
  promotions: ReadonlyMap<string, PromotionCandidate>;
  /** By the code as given. */
  giftCards: ReadonlyMap<string, GiftCardCandidate>;
}

export const NO_LOOKUPS: CheckoutLookups = {
  tax: undefined,
  shippingMethod: undefined,
  promotions: new Map(),
  giftCards: new Map(),
};

/** Reserved for gift card payments (Order.payments[].method). */
export const GIFT_CARD_METHOD = "GIFT_CARD";

/** Whether the request has checkout fields whose use must be counted in the order's transaction. */
export function redeemsCodes(request: CreateOrderRequest): boolean {
  return request.couponCodes.length > 0 || request.giftCardCodes.length > 0;
}

/** The rules on the checkout fields that need no lookup; `minorUnits` is undefined for an unknown currency. */
export function checkoutRequestViolations(
  request: CreateOrderRequest,
  minorUnits: number | undefined,
): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const method = request.shippingMethod;
  if (method) {
    const inline = Boolean(method.amount !== undefined || method.carrier || method.service || method.displayName);
    if (Boolean(method.id) === inline || (!method.id && method.amount === undefined)) {
      violations.push(
        fieldViolation(
          "shipping_method",
          "SHIPPING_METHOD_ID_OR_INLINE",
          "give either the id of a shipping method or an inline method with its amount (and carrier, service), not both",
        ),
      );
    }
    if (request.shippingTotal) {
      violations.push(
        fieldViolation(
          "shipping_total",
          "SHIPPING_TOTAL_WITH_METHOD",
          "shipping_total cannot be given with shipping_method: the method's amount is the shipping total",
        ),
      );
    }
    // shipping_method.amount's digits are the pricing engine's to check, as every amount it prices.
  }
  const payment = request.payment;
  if (payment) {
    if (payment.method.toUpperCase() === GIFT_CARD_METHOD) {
      violations.push(
        fieldViolation(
          "payment.method",
          "PAYMENT_METHOD_RESERVED",
          "GIFT_CARD is reserved: give gift cards in gift_card_codes",
        ),
      );
    }
    if (payment.state === PaymentState.VOIDED) {
      violations.push(
        fieldViolation(
          "payment.state",
          "PAYMENT_STATE_NOT_ALLOWED",
          "a new order's payment is PAYMENT_STATE_AUTHORIZED or PAYMENT_STATE_CAPTURED",
        ),
      );
    }
    if (payment.amount !== undefined && isCanonicalAmount(payment.amount) && parseAmount(payment.amount).isZero()) {
      violations.push(
        fieldViolation("payment.amount", "AMOUNT_NOT_POSITIVE", "a payment's amount must be more than 0"),
      );
    }
    violations.push(...amountDigits("payment.amount", payment.amount, minorUnits));
  }
  if (request.channel === Channel.IMPORT) {
    // An import states what was paid in import_details; a payment or gift card would be paid again.
    if (payment) violations.push(notWithImport("payment"));
    if (request.giftCardCodes.length > 0) violations.push(notWithImport("gift_card_codes"));
  }
  return violations;
}

function notWithImport(field: string): FieldViolation {
  return fieldViolation(field, "NOT_WITH_IMPORT", `${field} cannot be given with an import: use import_details`);
}

function amountDigits(field: string, text: string | undefined, minorUnits: number | undefined): FieldViolation[] {
  if (text === undefined || minorUnits === undefined || !isCanonicalAmount(text)) return [];
  const digits = fractionDigits(text);
  if (digits <= minorUnits) return [];
  return [
    fieldViolation(
      field,
      "TOO_MANY_FRACTION_DIGITS",
      `${field} has ${digits} fraction digits; at most ${minorUnits} allowed in this currency`,
    ),
  ];
}

/** Where tax is owed: the shipping address, else the billing address (issue 12 §2). */
export function taxAddress(shipping: AddressRecord | null, billing: AddressRecord | null): TaxAddress | undefined {
  const address = shipping ?? billing;
  if (!address) return undefined;
  const country = address.country.toUpperCase();
  // ISO 3166-2 codes may be written with their country ("US-NY"); zones store the subdivision part ("NY").
  const region = (address.region ?? "").trim().toUpperCase();
  return {
    country,
    region: region.startsWith(`${country}-`) ? region.slice(country.length + 1) : region,
    postalCode: address.postalCode ?? "",
  };
}

/** How the order ships, from the request and the method its id names (undefined: none found, reported before). */
export function shippingChoice(request: CreateOrderRequest, method: ShippingMethod | undefined): ShippingChoice {
  const given = request.shippingMethod;
  if (given?.id) return method ? { kind: "METHOD", method } : { kind: "NONE" };
  if (given?.amount !== undefined) {
    return {
      kind: "INLINE",
      name: given.displayName || [given.carrier, given.service].filter(Boolean).join(" "),
      carrier: given.carrier,
      service: given.service,
      amount: given.amount,
    };
  }
  // Seed 001's requested carrier service, with its shipping_total, is the order's method given as text.
  const requested = request.requestedShippingService;
  if (requested) {
    return { kind: "INLINE", name: requested, carrier: "", service: requested, amount: request.shippingTotal || "0" };
  }
  return request.shippingTotal ? { kind: "AMOUNT", amount: request.shippingTotal } : { kind: "NONE" };
}

/** Whether the order gets a shipping line (Order.shipping_line): it named a method, or a requested service. */
export function namesShipping(request: CreateOrderRequest): boolean {
  return request.shippingMethod !== undefined || request.requestedShippingService !== "";
}

export interface CheckoutInputArgs {
  request: CreateOrderRequest;
  currency: string;
  /** The resolved lines with their unit prices (the catalog's where the request gave none). */
  lines: readonly ResolvedLine[];
  shippingAddress: AddressRecord | null;
  billingAddress: AddressRecord | null;
  lookups: CheckoutLookups;
  now: Date;
}

/** The pricing engine's input for a CreateOrderRequest. */
export function checkoutInput(args: CheckoutInputArgs): CheckoutInput {
  const { request, lookups } = args;
  return {
    currency: args.currency,
    lines: args.lines.map((line, i) => {
      const item = request.items[i];
      return {
        quantity: item?.quantity ?? 1,
        unitPrice: line.unitPrice ?? item?.unitPrice ?? "0",
        sku: line.sku,
        productId: line.productId ?? "",
        variantId: line.variantId ?? "",
        taxCategory: line.taxCategory ?? "",
        weightGrams: line.weightGrams ?? 0,
        ...(item?.taxAmount === undefined ? {} : { clientTaxAmount: item.taxAmount }),
      };
    }),
    taxAddress: taxAddress(args.shippingAddress, args.billingAddress),
    shippingCountry: args.shippingAddress?.country.toUpperCase() ?? "",
    tax: lookups.tax,
    ...(request.taxTotal === undefined ? {} : { clientTaxTotal: request.taxTotal }),
    shipping: shippingChoice(request, lookups.shippingMethod),
    manualDiscount: request.discountTotal || "0",
    couponCodes: request.couponCodes.map((text) => ({
      text,
      promotion: lookups.promotions.get(text.toLowerCase()),
    })),
    giftCards: request.giftCardCodes.map((text) => ({ text, card: lookups.giftCards.get(text) })),
    now: args.now,
  };
}
