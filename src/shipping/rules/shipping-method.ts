import type { ShippingMethod as ShippingMethodMessage } from "../../../gen/orders/v1/shipping_pb.js";
import type { ShippingRate } from "../../domain/pricing/checkout.js";
import { isCountryCode } from "../../money/country.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { checkRates } from "./shipping-rates.js";

/** The fields a client sets, by proto name as update_mask names them (CreateShippingMethod sets them all). */
export const SHIPPING_METHOD_FIELDS = ["display_name", "carrier", "service", "countries", "rates", "active"] as const;
export type ShippingMethodField = (typeof SHIPPING_METHOD_FIELDS)[number];

/** A method's settable values once checked: countries alphabetical, amounts with the currency's minor units. */
export interface ShippingMethodValues {
  displayName: string;
  carrier: string;
  service: string;
  countries: string[];
  rates: ShippingRate[];
}

export type CheckedShippingMethod =
  { ok: true; values: ShippingMethodValues } | { ok: false; violations: FieldViolation[] };

/**
 * The rules of a method's fields protovalidate cannot state, for the fields being set (all on create, the
 * mask's on update), each violation at `${prefix}.<field>`: display_name, carrier and service are required
 * (REQUIRED); every country an assigned ISO 3166-1 code (UNKNOWN_COUNTRY, as for an address's country); the
 * rates those of checkRates. `active` has no rule. Values of fields not being set come back unchecked.
 */
export function checkShippingMethod(
  prefix: string,
  method: ShippingMethodMessage,
  fields: readonly ShippingMethodField[],
): CheckedShippingMethod {
  const violations: FieldViolation[] = [];
  const has = (field: ShippingMethodField) => fields.includes(field);
  for (const [field, value] of [
    ["display_name", method.displayName],
    ["carrier", method.carrier],
    ["service", method.service],
  ] as const) {
    if (has(field) && value === "") violations.push(fieldViolation(`${prefix}.${field}`, "REQUIRED", "is required"));
  }
  if (has("countries")) {
    method.countries.forEach((country, index) => {
      if (!isCountryCode(country)) {
        violations.push(
          fieldViolation(
            `${prefix}.countries[${index}]`,
            "UNKNOWN_COUNTRY",
            `"${country}" is not an ISO 3166-1 alpha-2 country code`,
          ),
        );
      }
    });
  }
  const rates = has("rates") ? checkRates(`${prefix}.rates`, method.rates) : { ok: true as const, rates: [] };
  if (!rates.ok) violations.push(...rates.violations);
  if (violations.length > 0 || !rates.ok) return { ok: false, violations };
  return {
    ok: true,
    values: {
      displayName: method.displayName,
      carrier: method.carrier,
      service: method.service,
      countries: [...new Set(method.countries)].sort(),
      rates: rates.rates,
    },
  };
}
