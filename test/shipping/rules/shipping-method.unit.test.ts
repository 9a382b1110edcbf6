import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ShippingMethodSchema, ShippingRateKind } from "../../../gen/orders/v1/shipping_pb.js";
import { checkShippingMethod, SHIPPING_METHOD_FIELDS } from "../../../src/shipping/rules/shipping-method.js";

const method = create(ShippingMethodSchema, {
  displayName: "Standard",
  carrier: "UPS",
  service: "Ground",
  countries: ["US", "CA", "US"],
  rates: [{ currency: "USD", kind: ShippingRateKind.FLAT, amount: "4.5" }],
});

describe("checkShippingMethod", () => {
  it("gives the values to store: countries alphabetical and once, amounts in minor units", () => {
    expect(checkShippingMethod("m", method, SHIPPING_METHOD_FIELDS)).toEqual({
      ok: true,
      values: {
        displayName: "Standard",
        carrier: "UPS",
        service: "Ground",
        countries: ["CA", "US"],
        rates: [{ currency: "USD", kind: "FLAT", amount: "4.50", tiers: [] }],
      },
    });
  });

  it("needs a name, carrier, service and rates, and assigned countries, among the fields being set", () => {
    const empty = create(ShippingMethodSchema, { countries: ["US", "XK", "ZZ"] });
    const result = checkShippingMethod("m", empty, SHIPPING_METHOD_FIELDS);
    expect(result.ok ? [] : result.violations.map((v) => [v.field, v.reason])).toEqual([
      ["m.display_name", "REQUIRED"],
      ["m.carrier", "REQUIRED"],
      ["m.service", "REQUIRED"],
      ["m.countries[1]", "UNKNOWN_COUNTRY"],
      ["m.countries[2]", "UNKNOWN_COUNTRY"],
      ["m.rates", "REQUIRED"],
    ]);
    expect(checkShippingMethod("m", empty, ["active"]).ok).toBe(true);
    expect(checkShippingMethod("m", create(ShippingMethodSchema), ["countries"])).toMatchObject({
      ok: true,
      values: { countries: [] },
    });
  });
});
