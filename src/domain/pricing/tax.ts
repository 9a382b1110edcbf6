/**
 * Tax on what the buyer pays after discounts. Why these rules:
 * - Server tax (a zone matched): the base of a line is its total less its discounts (order discounts are allocated
 *   to lines before tax), the base of shipping is the shipping less its discount. Each rate of the zone for the
 *   line's category gives one tax line, so New York's state and city rates show apart on the same base.
 * - Inclusive prices (VAT style) hold their tax: the tax in a price p at rates r1..rn of its category is
 *   p x ri / (1 + r1 + ... + rn); exclusive prices (US sales tax) add p x ri.
 * - Rounding LINE (default): each tax line rounded HALF_EVEN. Rounding ORDER: per rate, the unrounded tax of all
 *   lines (and shipping) is summed and rounded once, then split over them by largest remainder in proportion to
 *   their bases (the unrounded amounts are the bases times one factor), so the lines still add up to the order's
 *   figure. The two can differ by a cent or more on the same order (saleor#12348, medusa#13734 round differently):
 *   docs/pricing.md shows one.
 * - Client tax (no zone): the request's tax_amount per line and tax_total override, all of it added to the total,
 *   exactly as before tax configuration existed.
 */
import { MoneyDecimal, ZERO, type Decimal } from "../../money/money.js";
import { allocate } from "./allocation.js";
import { configDecimal, roundMoney, sum } from "./amounts.js";
import type { TaxConfiguration, TaxZone } from "./checkout.js";

export interface TaxLineValue {
  name: string;
  rate: string;
  amount: Decimal;
  included: boolean;
  taxZoneId: string;
}

export interface Taxed {
  taxLines: TaxLineValue[];
  amount: Decimal;
}

export interface TaxResult {
  lines: Taxed[];
  shipping: Taxed;
  included: Decimal;
  additional: Decimal;
  total: Decimal;
}

/** A taxable amount: its base after discounts and its tax category ("" = standard). */
export interface TaxBase {
  base: Decimal;
  category: string;
}

const STANDARD = "standard";
const ONE = new MoneyDecimal(1);

function untaxed(): Taxed {
  return { taxLines: [], amount: ZERO };
}

function category(text: string): string {
  return text === "" ? STANDARD : text;
}

/**
 * Tax by the zone. `shipping` is undefined when shipping is not taxed here (no charge, or taxShipping off); its
 * category is then irrelevant.
 */
export function serverTax(
  zone: TaxZone,
  config: TaxConfiguration,
  lines: readonly TaxBase[],
  shippingBase: Decimal | undefined,
  minorUnits: number,
): TaxResult {
  const included = config.pricesIncludeTax;
  const rates = zone.rates.map((rate) => ({
    rate,
    category: category(rate.taxCategory),
    value: configDecimal(rate.rate, `tax rate ${zone.id}/${rate.name}`),
  }));
  const divisors = new Map<string, Decimal>();
  for (const { category: code, value } of rates) divisors.set(code, (divisors.get(code) ?? ONE).plus(value));

  // Who each category taxes, gathered once per order: the lines of the category, and the shipping at its category.
  const taxedShipping = untaxed();
  const taxables = lines.map((line) => ({ taxed: untaxed(), base: line.base, line }));
  const byCategory = new Map<string, { taxed: Taxed; base: Decimal }[]>();
  const members = (code: string): { taxed: Taxed; base: Decimal }[] => {
    let found = byCategory.get(code);
    if (found === undefined) {
      found = taxables.filter(({ line }) => category(line.category) === code);
      if (shippingBase !== undefined && category(config.shippingTaxCategory) === code) {
        found.push({ taxed: taxedShipping, base: shippingBase });
      }
      byCategory.set(code, found);
    }
    return found;
  };

  for (const { rate, category: code, value } of rates) {
    const divisor = divisors.get(code) ?? ONE;
    // Each base divided on its own (not by a rounded factor), so a tax that is exactly half a cent stays a tie.
    const tax = included
      ? (base: Decimal): Decimal => base.times(value).dividedBy(divisor)
      : (base: Decimal): Decimal => base.times(value);
    const taxable = members(code);
    if (taxable.length === 0) continue;
    const bases = taxable.map(({ base }) => base);
    const amounts =
      config.rounding === "ORDER"
        ? allocate(roundMoney(tax(sum(bases)), minorUnits), bases, minorUnits)
        : bases.map((base) => roundMoney(tax(base), minorUnits));
    taxable.forEach(({ taxed }, index) => {
      const amount = amounts[index] ?? ZERO;
      taxed.taxLines.push({ name: rate.name, rate: rate.rate, amount, included, taxZoneId: zone.id });
      taxed.amount = taxed.amount.plus(amount);
    });
  }
  const taxedLines = taxables.map(({ taxed }) => taxed);
  const total = sum([...taxedLines, taxedShipping].map((taxed) => taxed.amount));
  return {
    lines: taxedLines,
    shipping: taxedShipping,
    included: included ? total : ZERO,
    additional: included ? ZERO : total,
    total,
  };
}

/** The request's tax: each line's tax_amount (absent = 0) and the tax_total override replacing their sum. */
export function clientTax(lineTaxes: readonly (Decimal | undefined)[], override: Decimal | undefined): TaxResult {
  const lines = lineTaxes.map((amount): Taxed => ({ taxLines: [], amount: amount ?? ZERO }));
  const total = override ?? sum(lines.map((line) => line.amount));
  return { lines, shipping: untaxed(), included: ZERO, additional: total, total };
}
