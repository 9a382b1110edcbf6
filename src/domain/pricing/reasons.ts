/**
 * The field violation reasons priceCheckout reports (CheckoutResult.violations). Why a list: clients branch on these
 * codes, docs/errors.md lists them, and the first six are those CreateOrder has always answered for its own
 * figures, so an order without tax configuration, promotions, shipping method or gift cards fails as it always did.
 */
export const CheckoutReason = {
  INVALID_DECIMAL: "INVALID_DECIMAL",
  INVALID_QUANTITY: "INVALID_QUANTITY",
  UNKNOWN_CURRENCY: "UNKNOWN_CURRENCY",
  TOO_MANY_FRACTION_DIGITS: "TOO_MANY_FRACTION_DIGITS",
  AMOUNT_TOO_LARGE: "AMOUNT_TOO_LARGE",
  DISCOUNT_EXCEEDS_TOTAL: "DISCOUNT_EXCEEDS_TOTAL",
  SHIPPING_METHOD_INACTIVE: "SHIPPING_METHOD_INACTIVE",
  SHIPPING_METHOD_NOT_AVAILABLE: "SHIPPING_METHOD_NOT_AVAILABLE",
  SHIPPING_METHOD_NO_RATE: "SHIPPING_METHOD_NO_RATE",
  GIFT_CARD_NOT_FOUND: "GIFT_CARD_NOT_FOUND",
  GIFT_CARD_DISABLED: "GIFT_CARD_DISABLED",
  GIFT_CARD_EXPIRED: "GIFT_CARD_EXPIRED",
  GIFT_CARD_CURRENCY_MISMATCH: "GIFT_CARD_CURRENCY_MISMATCH",
  GIFT_CARD_DUPLICATE: "GIFT_CARD_DUPLICATE",
} as const;

export type CheckoutReason = (typeof CheckoutReason)[keyof typeof CheckoutReason];

/** Field paths of the request fields that have no item index (CreateOrderRequest's names). */
export const CheckoutField = {
  currency: "currency",
  items: "items",
  shippingTotal: "shipping_total",
  shippingMethodId: "shipping_method.id",
  shippingMethodAmount: "shipping_method.amount",
  discountTotal: "discount_total",
  taxTotal: "tax_total",
  total: "total",
} as const;
