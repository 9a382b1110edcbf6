import type { ShippingMethod } from "../../domain/pricing/checkout.js";
import { parseAmount } from "../../money/money.js";

export interface ShippingOptionRow {
  shippingMethodId: string;
  displayName: string;
  carrier: string;
  service: string;
  amount: string;
}

export type ShippingQuote = { ok: true; amount: string } | { ok: false };

/**
 * The methods a checkout offers, from each method's quote for the order (the engine's quoteShipping): those that can
 * ship it, cheapest first, equal prices by name, then id (a stable order for the same configuration). Pure.
 */
export function shippingOptions(
  methods: readonly ShippingMethod[],
  quote: (method: ShippingMethod) => ShippingQuote,
): ShippingOptionRow[] {
  return methods
    .flatMap((method) => {
      const priced = quote(method);
      if (!method.active || !priced.ok) return [];
      return [
        {
          shippingMethodId: method.id,
          displayName: method.name,
          carrier: method.carrier,
          service: method.service,
          amount: priced.amount,
        },
      ];
    })
    .sort(
      (a, b) =>
        parseAmount(a.amount).comparedTo(parseAmount(b.amount)) ||
        byCodeUnits(a.displayName, b.displayName) ||
        byCodeUnits(a.shippingMethodId, b.shippingMethodId),
    );
}

/** Not localeCompare: the order must not depend on the server's ICU locale data. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
