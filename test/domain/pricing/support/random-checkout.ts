import fc from "fast-check";
import type {
  CheckoutInput,
  CouponCodeInput,
  GiftCardInput,
  PromotionKind,
  ShippingChoice,
  TaxConfiguration,
  TaxRate,
  TaxZone,
} from "../../../../src/domain/pricing/checkout.js";
import { priceCheckout } from "../../../../src/domain/pricing/engine.js";
import { currencyMinorUnits } from "../../../../src/money/currency.js";
import { MoneyDecimal, formatAmount } from "../../../../src/money/money.js";
import { amountText, pricingCurrency } from "./arbitraries.js";
import { NOW, line, promotion } from "./checkout.js";

/**
 * Random checkouts in every currency currencyMinorUnits accepts (minor units 0 to 4): random lines, tax
 * configurations (inclusive or not, per line or per order, several rates, shipping taxed or not), shipping choices,
 * manual discounts, stacked promotions of every kind and gift cards.
 */
const CATEGORIES = ["", "standard", "reduced", "zero", "exempt"];
const SKUS = ["MUG", "mug", "TEE", "HAT", ""];
const PRODUCTS = ["p1", "p2", ""];
const HOUR = 3_600_000;

const rateText = fc.integer({ min: 0, max: 300_000 }).map((n) => {
  const text = (n / 1_000_000).toFixed(6);
  return text.replace(/0+$/, "").replace(/\.$/, "");
});
const taxRate: fc.Arbitrary<TaxRate> = fc.record({
  taxCategory: fc.constantFrom(...CATEGORIES, "shipping"),
  name: fc.constantFrom("State", "City", "VAT"),
  rate: rateText,
});
const taxZone: fc.Arbitrary<TaxZone> = fc.record({
  id: fc.constantFrom("z1", "z2", "z3"),
  name: fc.constant("Zone"),
  country: fc.constantFrom("US", "FR"),
  region: fc.constantFrom("", "", "NY"),
  postalCodePrefixes: fc.constantFrom([], [], ["100"], ["75", "10"]),
  rates: fc.array(taxRate, { maxLength: 4 }),
});
const taxConfiguration: fc.Arbitrary<TaxConfiguration> = fc.record({
  zones: fc.array(taxZone, { minLength: 1, maxLength: 3 }),
  pricesIncludeTax: fc.boolean(),
  taxShipping: fc.boolean(),
  shippingTaxCategory: fc.constantFrom("standard", "shipping", ""),
  rounding: fc.constantFrom("LINE" as const, "ORDER" as const),
});

function checkoutIn(currency: string): fc.Arbitrary<CheckoutInput> {
  const minor = currencyMinorUnits(currency) ?? 2;
  const money = amountText(minor, 100_000n);
  const checkoutLine = fc
    .record({
      quantity: fc.integer({ min: 1, max: 20 }),
      unitPrice: amountText(4, 100_000n),
      sku: fc.constantFrom(...SKUS),
      productId: fc.constantFrom(...PRODUCTS),
      taxCategory: fc.constantFrom(...CATEGORIES),
      weightGrams: fc.integer({ min: 0, max: 5000 }),
      clientTaxAmount: fc.option(money, { nil: undefined }),
    })
    .map(({ quantity, unitPrice, clientTaxAmount, ...rest }) =>
      line(quantity, unitPrice, { ...rest, ...(clientTaxAmount === undefined ? {} : { clientTaxAmount }) }),
    );
  const shipping: fc.Arbitrary<ShippingChoice> = fc.oneof(
    fc.constant({ kind: "NONE" as const }),
    money.map((amount) => ({ kind: "AMOUNT" as const, amount })),
    money.map((amount) => ({ kind: "INLINE" as const, name: "Courier", carrier: "DHL", service: "EXP", amount })),
    fc
      .record({ flat: money, freeAbove: fc.option(money, { nil: undefined }), byWeight: fc.boolean() })
      .map(({ flat, freeAbove, byWeight }) => ({
        kind: "METHOD" as const,
        method: {
          id: "m1",
          name: "Standard",
          carrier: "UPS",
          service: "GROUND",
          countries: [],
          active: true,
          rates: [
            {
              currency,
              kind: byWeight ? ("WEIGHT_TIERS" as const) : ("FLAT" as const),
              amount: flat,
              tiers: [
                { from: "0", amount: flat },
                { from: "1000", amount: flat },
              ],
              ...(freeAbove === undefined ? {} : { freeAbove }),
            },
          ],
        },
      })),
  );
  const percent = fc.integer({ min: 0, max: 12_000 }).map((n) => (n / 100).toString());
  const coupon: fc.Arbitrary<CouponCodeInput> = fc
    .record({
      id: fc.constantFrom("a", "b", "c", "d", "e"),
      kind: fc.constantFrom<PromotionKind>(
        "ORDER_PERCENTAGE",
        "ORDER_FIXED_AMOUNT",
        "ITEM_PERCENTAGE",
        "ITEM_FIXED_AMOUNT",
        "FREE_SHIPPING",
      ),
      percent,
      fixed: money,
      skus: fc.subarray(["mug", "TEE", "HAT"]),
      productIds: fc.subarray(["p1", "p2"]),
      minimumSubtotal: fc.oneof(fc.constant(""), money),
      expired: fc.boolean(),
      found: fc.boolean(),
    })
    .map(({ id, kind, percent: p, fixed, expired, found, ...rest }) => ({
      text: id.toUpperCase(),
      ...(found || id !== "e"
        ? {
            promotion: promotion({
              id,
              code: id.toUpperCase(),
              kind,
              value: kind.endsWith("PERCENTAGE") ? p : fixed,
              currency: kind.endsWith("FIXED_AMOUNT") ? currency : "",
              ...(expired && id === "d" ? { endTime: new Date(NOW.getTime() - HOUR) } : {}),
              ...rest,
            }),
          }
        : {}),
    }));
  const giftCards: fc.Arbitrary<GiftCardInput[]> = fc.array(money, { maxLength: 3 }).map((balances) =>
    balances.map((balance, index) => ({
      text: `GC${index}`,
      card: { id: `gc${index}`, lastCharacters: `000${index}`, currency, balance, disabled: false },
    })),
  );
  return fc.record(
    {
      currency: fc.constant(currency),
      lines: fc.array(checkoutLine, { maxLength: 6 }),
      taxAddress: fc.constantFrom(
        { country: "US", region: "NY", postalCode: "10001" },
        { country: "FR", region: "", postalCode: "75001" },
        { country: "US", region: "CA", postalCode: "94105" },
      ),
      shippingCountry: fc.constantFrom("US", "FR"),
      tax: taxConfiguration,
      clientTaxTotal: money,
      shipping,
      manualDiscount: fc.oneof({ weight: 3, arbitrary: fc.constant("0") }, { weight: 1, arbitrary: money }),
      couponCodes: fc.array(coupon, { maxLength: 4 }),
      giftCards,
      now: fc.constant(NOW),
    },
    {
      requiredKeys: [
        "currency",
        "lines",
        "shippingCountry",
        "shipping",
        "manualDiscount",
        "couponCodes",
        "giftCards",
        "now",
      ],
    },
  );
}

/**
 * Now and then a manual discount near what the order holds (0 to 105 % of subtotal + shipping + the client's tax):
 * the only way to reach the manual discount's orderAmount, and DISCOUNT_EXCEEDS_TOTAL just above it.
 */
function withLargeManualDiscount(input: CheckoutInput): fc.Arbitrary<CheckoutInput> {
  const plain = priceCheckout({ ...input, manualDiscount: "0", couponCodes: [], giftCards: [] });
  if (!plain.ok) return fc.constant(input);
  const { subtotal, shippingTotal, taxTotal, minorUnits } = plain.pricing;
  const room = new MoneyDecimal(subtotal).plus(shippingTotal).plus(plain.pricing.taxSource === "CLIENT" ? taxTotal : 0);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(input) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 0, max: 105 }).map((percent) => ({
        ...input,
        manualDiscount: formatAmount(room.times(percent).dividedBy(100), minorUnits),
      })),
    },
  );
}

export const anyCheckout = pricingCurrency.chain(checkoutIn).chain(withLargeManualDiscount);
