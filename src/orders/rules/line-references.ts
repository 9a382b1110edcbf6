import type { LineItemInput } from "../../../gen/orders/v1/orders_service_pb.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/**
 * How a line names its item (seeds 001, 002, 004): exactly one of variant_id, product_id or sku. A variant or
 * product must be an active one of the tenant's catalog; a sku that matches a catalog SKU (primary or alternate,
 * any case) links the line to that variant, and one that matches nothing makes a custom line, described by the
 * client. Pure: the catalog's answer for each line comes in as a CatalogMatch.
 */

/** A variant of the catalog as a line takes it, at the moment the order is placed (the line's snapshot). */
export interface CatalogVariant {
  variantId: string;
  productId: string;
  productTitle: string;
  variantName: string;
  /** The variant's primary SKU. */
  sku: string;
  /** Decimal strings by ISO 4217 code. */
  prices: Readonly<Record<string, string>>;
  taxCategory: string;
  weightGrams: number | null;
}

/** What the catalog answered for one line's reference. */
export type CatalogMatch =
  | { kind: "variant"; variant: CatalogVariant }
  | { kind: "refused"; reason: "VARIANT_NOT_FOUND" | "PRODUCT_NOT_FOUND" | "PRODUCT_ARCHIVED" | "PRODUCT_HAS_VARIANTS" }
  /** A sku that matches no catalog SKU: a custom line. */
  | { kind: "no_match" };

/** The catalog reference of a line, for the one lookup of all of an order's lines. */
export type LineReference = { variantId: string } | { productId: string } | { sku: string };

/** A line with its item resolved: what is stored and priced. `unitPrice` undefined means "0" (a custom line). */
export interface ResolvedLine {
  sku: string;
  requestedSku: string | null;
  name: string;
  unitPrice: string | undefined;
  productId: string | null;
  variantId: string | null;
  taxCategory: string | null;
  weightGrams: number | null;
}

/** Each line's reference, or the violations of lines that name no item or several. */
export function lineReferences(
  items: readonly LineItemInput[],
): { ok: true; references: LineReference[] } | { ok: false; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  const references = items.map((item, index): LineReference => {
    const given = [item.variantId && "variant_id", item.productId && "product_id", item.sku && "sku"].filter(
      (name): name is string => Boolean(name),
    );
    if (given.length === 0) {
      violations.push(
        fieldViolation(`items[${index}]`, "ITEM_REFERENCE_REQUIRED", "name the item by variant_id, product_id or sku"),
      );
    } else if (given.length > 1) {
      violations.push(
        fieldViolation(
          `items[${index}]`,
          "ITEM_REFERENCE_AMBIGUOUS",
          `name the item by exactly one of variant_id, product_id or sku, not ${given.join(" and ")}`,
        ),
      );
    }
    if (item.variantId) return { variantId: item.variantId };
    if (item.productId) return { productId: item.productId };
    return { sku: item.sku };
  });
  return violations.length > 0 ? { ok: false, violations } : { ok: true, references };
}

/** Every line resolved against the catalog's matches (one per line, in order), priced in `currency`. */
export function resolveLines(
  items: readonly LineItemInput[],
  matches: readonly CatalogMatch[],
  currency: string,
): { ok: true; lines: ResolvedLine[] } | { ok: false; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  const lines = items.map((item, index): ResolvedLine => {
    const match = matches[index] ?? { kind: "no_match" };
    const at = (field: string) => `items[${index}].${field}`;
    if (match.kind === "refused") {
      violations.push(
        fieldViolation(
          at(item.variantId ? "variant_id" : item.productId ? "product_id" : "sku"),
          match.reason,
          refusal(match.reason),
        ),
      );
      return customLine(item);
    }
    if (match.kind === "no_match") {
      if (!item.name) {
        violations.push(
          fieldViolation(
            at("name"),
            "NAME_REQUIRED",
            `a custom line needs a name: sku ${item.sku} is not in the catalog`,
          ),
        );
      }
      return customLine(item);
    }
    const { variant } = match;
    const unitPrice = item.unitPrice ?? variant.prices[currency];
    if (unitPrice === undefined) {
      violations.push(
        fieldViolation(
          at("unit_price"),
          "NO_PRICE_IN_CURRENCY",
          `variant ${variant.sku} has no price in ${currency}: give unit_price, or a price in ${currency} in the catalog`,
        ),
      );
    }
    return {
      sku: variant.sku,
      // what the client typed, when it differs from the primary SKU (an alternate, or another case)
      requestedSku: item.sku && item.sku !== variant.sku ? item.sku : null,
      name: item.name || displayName(variant),
      unitPrice,
      productId: variant.productId,
      variantId: variant.variantId,
      taxCategory: variant.taxCategory,
      weightGrams: variant.weightGrams,
    };
  });
  return violations.length > 0 ? { ok: false, violations } : { ok: true, lines };
}

/** "Tee - Large / Red", or the title alone for a variant without a name of its own. */
export function displayName(variant: Pick<CatalogVariant, "productTitle" | "variantName">): string {
  return variant.variantName ? `${variant.productTitle} - ${variant.variantName}` : variant.productTitle;
}

function customLine(item: LineItemInput): ResolvedLine {
  return {
    sku: item.sku,
    requestedSku: null,
    name: item.name,
    unitPrice: item.unitPrice,
    productId: null,
    variantId: null,
    taxCategory: null,
    weightGrams: null,
  };
}

function refusal(reason: Extract<CatalogMatch, { kind: "refused" }>["reason"]): string {
  switch (reason) {
    case "VARIANT_NOT_FOUND":
      return "no variant of the catalog has this id";
    case "PRODUCT_NOT_FOUND":
      return "no product of the catalog has this id";
    case "PRODUCT_ARCHIVED":
      return "the product is archived and cannot be ordered";
    case "PRODUCT_HAS_VARIANTS":
      return "the product has several variants: name the variant by variant_id or sku";
  }
}
