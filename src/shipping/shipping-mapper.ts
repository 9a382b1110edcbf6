import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  ShippingMethodSchema as ShippingMethodMessageSchema,
  type ShippingMethod as ShippingMethodMessage,
} from "../../gen/orders/v1/shipping_pb.js";
import type { ShippingMethod as CheckoutShippingMethod, ShippingRate } from "../domain/pricing/checkout.js";
import { etagOf } from "../platform/database/etag.js";
import { rateKindMessage } from "./rules/shipping-rates.js";

/** A shipping method as read: the entity, or a row of the listing (queries.ts). */
export interface ShippingMethodView {
  id: string;
  displayName: string;
  carrier: string;
  service: string;
  countries: string[];
  rates: ShippingRate[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export function shippingMethodToMessage(method: ShippingMethodView): ShippingMethodMessage {
  return create(ShippingMethodMessageSchema, {
    id: method.id,
    displayName: method.displayName,
    carrier: method.carrier,
    service: method.service,
    countries: [...method.countries],
    rates: method.rates.map((rate) => ({
      currency: rate.currency,
      kind: rateKindMessage(rate.kind),
      amount: rate.amount,
      tiers: rate.tiers.map((tier) => ({ from: tier.from, amount: tier.amount })),
      freeAbove: rate.freeAbove ?? "",
    })),
    active: method.active,
    etag: etagOf(method.id, method.version),
    createTime: timestampFromDate(method.createdAt),
    updateTime: timestampFromDate(method.updatedAt),
  });
}

/** The checkout engine's view of a method (domain/pricing ShippingMethod): what orders price with. */
export function checkoutShippingMethod(
  method: Omit<ShippingMethodView, "createdAt" | "updatedAt" | "version">,
): CheckoutShippingMethod {
  return {
    id: method.id,
    name: method.displayName,
    carrier: method.carrier,
    service: method.service,
    countries: method.countries,
    rates: method.rates,
    active: method.active,
  };
}
