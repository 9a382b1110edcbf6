/**
 * The checkout pricing engine's input and output: what PreviewOrder, CreateOrder and (next) carts hand to
 * `priceCheckout` (engine.ts) and what they get back. Pure data: no I/O, no clock (the caller passes `now`).
 *
 * Amounts in and out are canonical decimal strings (money/money.ts AMOUNT_PATTERN); rates are decimal strings
 * of a fraction ("0.08875" is 8.875 %). The engine never throws on a well-typed input whose configuration values
 * (rates, tiers, promotion values, balances: validated by the services that store them) are canonical decimals;
 * problems the buyer must fix come back as `violations`, problems that only drop a code come back as `warnings`.
 *
 * Order of computation (docs/pricing.md explains it with worked examples):
 *   1. lines: line_total = quantity x unit_price, rounded HALF_EVEN (the subtotal is their sum)
 *   2. shipping, before discounts: the method's rate (flat, subtotal tiers or weight tiers, free above a
 *      threshold), the inline amount or the request's shipping_total
 *   3. discounts. First the request's own discount_total, an order-level manual discount (lines, then shipping;
 *      it must fit, so it goes before the codes: a code can then never make the order fail). Then promotions:
 *      item promotions on their matching lines (in code order), then order promotions on what is left of every
 *      line, then free shipping; a promotion never takes a line, the shipping or the order below zero.
 *      Order-level amounts are allocated to lines by largest remainder (ties to the share made even), exactly.
 *   4. tax on (line_total - line discount) and on the discounted shipping when shipping is taxed, by the zone
 *      that matches the ship-to address; rounded per line (default) or per order; included in the prices
 *      (VAT style) or added to them (US sales tax). Without a matching zone, the client's tax amounts are used.
 *   5. gift cards pay what they can of the total, in the order given; amount_due is what is left.
 */
import type { FieldViolation } from "../../money/field-violation.js";

/** A line of the order, already resolved (catalog lines carry the catalog's price, tax category and weight). */
export interface CheckoutLine {
  quantity: number;
  /** Canonical decimal, up to 4 fraction digits. */
  unitPrice: string;
  sku: string;
  /** Empty for a custom line. */
  productId: string;
  variantId: string;
  /** The catalog's tax category ("standard", "reduced", "zero", "exempt" or the tenant's own code); "" = standard. */
  taxCategory: string;
  /** Weight of one unit in grams; 0 when unknown. */
  weightGrams: number;
  /** The client's tax for the whole line, used only when no tax zone matches (seed 000). */
  clientTaxAmount?: string;
}

/** The part of an address tax zones and shipping zones look at. */
export interface TaxAddress {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** ISO 3166-2 subdivision code without the country ("NY"), upper case; "" when unknown. */
  region: string;
  postalCode: string;
}

export type TaxRounding = "LINE" | "ORDER";

export interface TaxRate {
  /** Tax category it applies to; lines whose category has no rate in the zone are not taxed. */
  taxCategory: string;
  /** Shown on the line's tax line, e.g. "NY State + NYC". */
  name: string;
  /** Fraction, canonical decimal with up to 6 fraction digits: "0.08875". */
  rate: string;
}

export interface TaxZone {
  id: string;
  name: string;
  country: string;
  /** "" matches every region of the country. */
  region: string;
  /** Postal code prefixes; empty matches every postal code. */
  postalCodePrefixes: string[];
  rates: TaxRate[];
}

export interface TaxConfiguration {
  zones: TaxZone[];
  /** True: prices (and shipping) include tax, VAT style; false: tax is added on top, US sales tax style. */
  pricesIncludeTax: boolean;
  taxShipping: boolean;
  /** The tax category shipping is taxed at ("standard" unless configured). */
  shippingTaxCategory: string;
  rounding: TaxRounding;
}

export type ShippingRateKind = "FLAT" | "SUBTOTAL_TIERS" | "WEIGHT_TIERS";

/** One tier: from `from` (inclusive: subtotal amount, or grams) the price is `amount`. */
export interface ShippingTier {
  from: string;
  amount: string;
}

export interface ShippingRate {
  currency: string;
  kind: ShippingRateKind;
  /** FLAT: the price. */
  amount: string;
  /** SUBTOTAL_TIERS / WEIGHT_TIERS, ascending by `from`; below the first tier the method is not eligible. */
  tiers: ShippingTier[];
  /** Optional: at or above this subtotal the shipping is free. */
  freeAbove?: string;
}

export interface ShippingMethod {
  id: string;
  name: string;
  carrier: string;
  service: string;
  /** ISO 3166-1 alpha-2 countries it ships to; empty ships everywhere. */
  countries: string[];
  rates: ShippingRate[];
  active: boolean;
}

/** What the order ships with. */
export type ShippingChoice =
  | { kind: "NONE" }
  /** The request's shipping_total, as before shipping methods. */
  | { kind: "AMOUNT"; amount: string }
  /** An inline method (seed 003 carrier/service/cost). */
  | { kind: "INLINE"; name: string; carrier: string; service: string; amount: string }
  /** A method of the tenant's ShippingService: the engine prices it (or reports it ineligible). */
  | { kind: "METHOD"; method: ShippingMethod };

export type PromotionKind =
  "ORDER_PERCENTAGE" | "ORDER_FIXED_AMOUNT" | "ITEM_PERCENTAGE" | "ITEM_FIXED_AMOUNT" | "FREE_SHIPPING";

/** A promotion found for a code the buyer gave, with its usage counts as read (under lock when creating). */
export interface PromotionCandidate {
  id: string;
  name: string;
  /** The code as stored (the buyer's text may differ in case). */
  code: string;
  kind: PromotionKind;
  /** Percentage kinds: percent as decimal "15" or "12.5"; fixed kinds: amount in `currency`. */
  value: string;
  /** ITEM_* kinds: the lines that match any of these SKUs or product ids get the discount. */
  skus: string[];
  productIds: string[];
  /** "" = any currency (only for percentage and free-shipping kinds). */
  currency: string;
  /** "" = no minimum. In `currency` (or the order's). */
  minimumSubtotal: string;
  startTime?: Date;
  endTime?: Date;
  active: boolean;
  /** undefined = unlimited. */
  usageLimit?: number;
  usageCount: number;
  perCustomerLimit?: number;
  /** Uses by this order's customer (or guest email). */
  customerUsageCount: number;
}

/** A code as the buyer gave it and what the lookup found for it. */
export interface CouponCodeInput {
  /** As given (field path coupon_codes[index]). */
  text: string;
  promotion?: PromotionCandidate;
}

export interface GiftCardCandidate {
  id: string;
  /** Last 4 characters of the code, for display. */
  lastCharacters: string;
  currency: string;
  balance: string;
  disabled: boolean;
  expireTime?: Date;
}

export interface GiftCardInput {
  /** As given (field path gift_card_codes[index]). */
  text: string;
  card?: GiftCardCandidate;
}

export interface CheckoutInput {
  currency: string;
  lines: CheckoutLine[];
  /** Ship-to address for tax (the shipping address, else the billing address); undefined when neither. */
  taxAddress?: TaxAddress;
  /** Shipping address country for shipping zones; "" when none. */
  shippingCountry: string;
  /** The tenant's tax configuration; undefined when it has none (client tax is used). */
  tax?: TaxConfiguration;
  /** The client's order-level tax override (CreateOrderRequest.tax_total), used only without a matching zone. */
  clientTaxTotal?: string;
  shipping: ShippingChoice;
  /** The request's discount_total: a manual order-level discount ("0" when none). */
  manualDiscount: string;
  couponCodes: CouponCodeInput[];
  giftCards: GiftCardInput[];
  now: Date;
}

export interface TaxLine {
  /** The rate's name, e.g. "NY State + NYC". */
  name: string;
  rate: string;
  amount: string;
  /** True when the amount is included in the price (VAT style). */
  included: boolean;
  taxZoneId: string;
}

export interface PricedCheckoutLine {
  unitPrice: string;
  /** quantity x unit_price, rounded: the line's part of the subtotal. */
  lineTotal: string;
  /** Promotions and the manual discount allocated to this line. */
  discountTotal: string;
  taxLines: TaxLine[];
  /** Sum of taxLines (or the client's tax_amount without a zone). */
  taxAmount: string;
}

export interface AdjustmentAllocation {
  lineIndex: number;
  amount: string;
}

export interface PricedAdjustment {
  /** "" for the manual discount. */
  promotionId: string;
  code: string;
  name: string;
  kind: PromotionKind | "MANUAL";
  amount: string;
  /** Lines it took money off and how much from each; sums with `shippingAmount` and `orderAmount` to `amount`. */
  allocations: AdjustmentAllocation[];
  shippingAmount: string;
  /**
   * The part on neither a line nor the shipping: only the manual discount, only with the client's tax (no zone
   * matched), where today's rule lets discount_total reach into subtotal + shipping + tax. "0" otherwise.
   */
  orderAmount: string;
}

export type WarningReason =
  | "COUPON_NOT_FOUND"
  | "COUPON_INACTIVE"
  | "COUPON_NOT_STARTED"
  | "COUPON_EXPIRED"
  | "COUPON_USAGE_LIMIT_REACHED"
  | "COUPON_CUSTOMER_LIMIT_REACHED"
  | "COUPON_CURRENCY_MISMATCH"
  | "COUPON_MINIMUM_NOT_MET"
  | "COUPON_NOT_APPLICABLE"
  | "COUPON_DUPLICATE";

export interface PricingWarning {
  reason: WarningReason;
  field: string;
  message: string;
}

export interface PricedShipping {
  /** Price before any discount. */
  amount: string;
  discount: string;
  taxLines: TaxLine[];
  taxAmount: string;
  name: string;
  carrier: string;
  service: string;
  methodId: string;
}

export interface GiftCardPayment {
  giftCardId: string;
  lastCharacters: string;
  amount: string;
  /** Index into CheckoutInput.giftCards. */
  index: number;
}

export interface CheckoutPricing {
  currency: string;
  minorUnits: number;
  lines: PricedCheckoutLine[];
  subtotal: string;
  shipping: PricedShipping;
  shippingTotal: string;
  /** All promotions and the manual discount (lines and shipping). */
  discountTotal: string;
  taxTotal: string;
  includedTaxTotal: string;
  additionalTaxTotal: string;
  /** subtotal + shipping_total + additional_tax_total - discount_total. */
  total: string;
  giftCardPayments: GiftCardPayment[];
  giftCardTotal: string;
  /** total - gift_card_total. */
  amountDue: string;
  /** SERVER: a zone matched and the client's tax was ignored; CLIENT: the request's tax was used. */
  taxSource: "SERVER" | "CLIENT";
  taxZoneId: string;
  adjustments: PricedAdjustment[];
  warnings: PricingWarning[];
}

export type CheckoutResult = { ok: true; pricing: CheckoutPricing } | { ok: false; violations: FieldViolation[] };
