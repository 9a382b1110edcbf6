/**
 * What shipping costs before discounts: nothing, the request's shipping_total, an inline carrier's cost, or a
 * method of the tenant's ShippingService priced by its rate. Why its own file: ListShippingOptions prices every
 * method for a checkout with quoteShipping, and CreateOrder must charge exactly what that showed, so both go
 * through the same eligibleRate and rateAmount. Tiers look at the subtotal before discounts (what the buyer sees
 * in the cart) or at the total weight; the last tier whose `from` the value reaches gives the price.
 */
import { currencyMinorUnits } from "../../money/currency.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { MoneyDecimal, ZERO, formatAmount, parseAmount, type Decimal } from "../../money/money.js";
import { configDecimal, roundMoney } from "./amounts.js";
import type { ShippingChoice, ShippingMethod, ShippingRate } from "./checkout.js";
import { readAmount } from "./input.js";
import { CheckoutField, CheckoutReason } from "./reasons.js";

export type ShippingReason =
  | typeof CheckoutReason.SHIPPING_METHOD_INACTIVE
  | typeof CheckoutReason.SHIPPING_METHOD_NOT_AVAILABLE
  | typeof CheckoutReason.SHIPPING_METHOD_NO_RATE;

export type ShippingQuote = { ok: true; amount: string } | { ok: false; reason: ShippingReason };

export interface ShippingQuoteRequest {
  currency: string;
  /** The order's subtotal before discounts, a canonical amount (CheckoutPricing.subtotal). */
  subtotal: string;
  /** Sum of quantity x weight_grams over the lines. */
  weightGrams: number;
  /** The shipping address's country; "" when none. */
  country: string;
}

/**
 * The price of `method` for an order, or why the order cannot ship with it: inactive, not shipping to the
 * country, or no rate for the currency / below the first tier (an unknown currency has no rate either).
 */
export function quoteShipping(method: ShippingMethod, request: ShippingQuoteRequest): ShippingQuote {
  const rate = eligibleRate(method, request.currency, request.country);
  if (typeof rate === "string") return { ok: false, reason: rate };
  const minorUnits = currencyMinorUnits(request.currency);
  const amount =
    minorUnits === undefined
      ? undefined
      : rateAmount(rate, parseAmount(request.subtotal), new MoneyDecimal(request.weightGrams), minorUnits);
  if (minorUnits === undefined || amount === undefined) {
    return { ok: false, reason: CheckoutReason.SHIPPING_METHOD_NO_RATE };
  }
  return { ok: true, amount: formatAmount(amount, minorUnits) };
}

/** The method's rate for the currency, or why there is none; what does not depend on the order's amounts. */
export function eligibleRate(method: ShippingMethod, currency: string, country: string): ShippingRate | ShippingReason {
  if (!method.active) return CheckoutReason.SHIPPING_METHOD_INACTIVE;
  if (method.countries.length > 0 && !method.countries.some((code) => code.toUpperCase() === country.toUpperCase())) {
    return CheckoutReason.SHIPPING_METHOD_NOT_AVAILABLE;
  }
  return method.rates.find((rate) => rate.currency === currency) ?? CheckoutReason.SHIPPING_METHOD_NO_RATE;
}

/** The rate's price for this subtotal and weight, rounded to the currency; undefined below the first tier. */
export function rateAmount(
  rate: ShippingRate,
  subtotal: Decimal,
  weightGrams: Decimal,
  minorUnits: number,
): Decimal | undefined {
  const what = `shipping rate ${rate.currency}`;
  let amount: Decimal | undefined;
  if (rate.kind === "FLAT") {
    amount = configDecimal(rate.amount, what);
  } else {
    const value = rate.kind === "SUBTOTAL_TIERS" ? subtotal : weightGrams;
    // The last tier the value reaches (tiers ascend by `from`; read whole, so an unsorted list cannot cut it short).
    for (const tier of rate.tiers) {
      if (configDecimal(tier.from, `${what} tier`).lessThanOrEqualTo(value)) {
        amount = configDecimal(tier.amount, `${what} tier`);
      }
    }
  }
  if (amount === undefined) return undefined;
  if (rate.freeAbove !== undefined && subtotal.greaterThanOrEqualTo(configDecimal(rate.freeAbove, what))) return ZERO;
  return roundMoney(amount, minorUnits);
}

/** Shipping as the order will carry it, before discounts. */
export interface ShippingCharge {
  amount: Decimal;
  name: string;
  carrier: string;
  service: string;
  methodId: string;
}

/** What pricing a METHOD needs of the order; undefined while the lines cannot be priced (their violations say why). */
export interface ShippingMeasure {
  subtotal: Decimal;
  weightGrams: Decimal;
}

/**
 * Reads the shipping choice: the request's amount fields are checked like every amount (shipping_total for AMOUNT,
 * shipping_method.amount for INLINE); a METHOD that cannot serve the order is a violation at shipping_method.id.
 * Undefined when a violation was recorded or the order cannot be measured yet.
 */
export function readShipping(
  choice: ShippingChoice,
  order: { currency: string; country: string; minorUnits: number | undefined; measure: ShippingMeasure | undefined },
  violations: FieldViolation[],
): ShippingCharge | undefined {
  const charge = (amount: Decimal | undefined, name = "", carrier = "", service = "", methodId = "") =>
    amount === undefined ? undefined : { amount, name, carrier, service, methodId };
  switch (choice.kind) {
    case "NONE":
      return charge(ZERO);
    case "AMOUNT":
      return charge(readAmount(CheckoutField.shippingTotal, choice.amount, order.minorUnits, violations));
    case "INLINE": {
      const amount = readAmount(CheckoutField.shippingMethodAmount, choice.amount, order.minorUnits, violations);
      return charge(amount, choice.name, choice.carrier, choice.service);
    }
    case "METHOD": {
      const { method } = choice;
      const rate = eligibleRate(method, order.currency, order.country);
      let amount: Decimal | undefined;
      if (typeof rate !== "string" && order.measure !== undefined && order.minorUnits !== undefined) {
        amount = rateAmount(rate, order.measure.subtotal, order.measure.weightGrams, order.minorUnits);
      }
      const reason = typeof rate === "string" ? rate : CheckoutReason.SHIPPING_METHOD_NO_RATE;
      if (typeof rate === "string" || (amount === undefined && order.measure !== undefined)) {
        violations.push(fieldViolation(CheckoutField.shippingMethodId, reason, methodMessage(method, reason, order)));
      }
      return charge(amount, method.name, method.carrier, method.service, method.id);
    }
  }
}

function methodMessage(
  method: ShippingMethod,
  reason: ShippingReason,
  order: { currency: string; country: string },
): string {
  const name = JSON.stringify(method.name);
  switch (reason) {
    case CheckoutReason.SHIPPING_METHOD_INACTIVE:
      return `shipping method ${name} is inactive`;
    case CheckoutReason.SHIPPING_METHOD_NOT_AVAILABLE:
      return `shipping method ${name} does not ship to ${JSON.stringify(order.country)}`;
    case CheckoutReason.SHIPPING_METHOD_NO_RATE:
      return `shipping method ${name} has no rate in ${order.currency} for this order`;
  }
}
