import { PromotionKind } from "../../gen/orders/v1/promotion_pb.js";
import { ShippingRateKind } from "../../gen/orders/v1/shipping_pb.js";
import { TaxRounding } from "../../gen/orders/v1/tax_pb.js";
import type { Clients } from "./clients.js";

/** An address in Brooklyn, inside the New York City tax zone setUpNewYorkShop creates. */
export const BROOKLYN = {
  name: "Alice Buyer",
  line1: "123 Main St",
  city: "Brooklyn",
  region: "NY",
  postalCode: "11201",
  country: "US",
};

/**
 * Sets up, on the tenant of `clients` (an admin key), New York City sales tax (NY State 4 %, New York City 4.5 %,
 * MCTD 0.375 %; shipping taxed, rounded per line), UPS Ground at a flat 8.99 USD to the US and the code SPRING10
 * (10 % off the order). Returns UPS Ground's id.
 */
export async function setUpNewYorkShop(clients: Clients): Promise<string> {
  await clients.tax.createTaxZone({
    taxZone: {
      displayName: "New York City",
      country: "US",
      region: "NY",
      postalCodePrefixes: ["100", "101", "102", "103", "104", "110", "111", "112", "113", "114", "116"],
      rates: [
        { taxCategory: "standard", displayName: "NY State", rate: "0.04" },
        { taxCategory: "standard", displayName: "New York City", rate: "0.045" },
        { taxCategory: "standard", displayName: "MCTD", rate: "0.00375" },
      ],
    },
  });
  await clients.tax.updateTaxSettings({
    taxSettings: { taxShipping: true, rounding: TaxRounding.LINE },
    updateMask: { paths: ["tax_shipping", "rounding"] },
  });
  const { shippingMethod } = await clients.shipping.createShippingMethod({
    shippingMethod: {
      displayName: "UPS Ground",
      carrier: "UPS",
      service: "Ground",
      countries: ["US"],
      rates: [{ currency: "USD", kind: ShippingRateKind.FLAT, amount: "8.99" }],
    },
  });
  await clients.promotions.createPromotion({
    promotion: { displayName: "Spring", kind: PromotionKind.ORDER_PERCENTAGE, value: "10", codes: ["SPRING10"] },
  });
  return shippingMethod?.id ?? "";
}
