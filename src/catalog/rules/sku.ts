import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/** A variant has one primary SKU and at most this many alternate SKUs. */
export const MAX_ALTERNATE_SKUS = 20;

/**
 * The form in which SKUs are compared, stored as `product_skus.sku_key` and used by every lookup by
 * SKU: lower case (JavaScript's locale-independent Unicode mapping), then Unicode NFC, so "INJ-6.7-CR"
 * and "inj-6.7-cr", or an "é" typed as one code point or as "e" and a combining accent, are one SKU.
 * Computed here rather than by PostgreSQL's lower(), whose result depends on the database's locale
 * (under the C locale it folds ASCII only), so what is unique and what matches never depend on how the
 * database was created.
 */
export function skuKey(sku: string): string {
  return sku.toLowerCase().normalize("NFC");
}

/** One SKU as a request gives it: the text, its key and where it was given. */
export interface SkuClaim {
  sku: string;
  key: string;
  /** Field path in the request, e.g. "product.variants[1].alternate_skus[0]". */
  field: string;
  /** Index of the variant among those given. */
  variant: number;
  /** 0 for the primary SKU, 1 to 20 for the alternate SKUs in their order (`product_skus.position`). */
  position: number;
}

/** The SKUs of some variants, primary then alternates of each, in request order, at `${field}[i]...`. */
export function skuClaims(
  variants: readonly { sku: string; alternateSkus: readonly string[] }[],
  field: string,
): SkuClaim[] {
  return variants.flatMap((variant, i) => [
    { sku: variant.sku, key: skuKey(variant.sku), field: `${field}[${i}].sku`, variant: i, position: 0 },
    ...variant.alternateSkus.map((sku, j) => ({
      sku,
      key: skuKey(sku),
      field: `${field}[${i}].alternate_skus[${j}]`,
      variant: i,
      position: j + 1,
    })),
  ]);
}

/** The first claim whose SKU an earlier claim already made (in any case), with that earlier claim. */
export function firstDuplicateSku(claims: readonly SkuClaim[]): { claim: SkuClaim; first: SkuClaim } | undefined {
  const seen = new Map<string, SkuClaim>();
  for (const claim of claims) {
    const first = seen.get(claim.key);
    if (first) return { claim, first };
    seen.set(claim.key, claim);
  }
  return undefined;
}

/** More than MAX_ALTERNATE_SKUS alternate SKUs (the contract says so too; checked for every caller). */
export function alternateSkuViolations(field: string, alternateSkus: readonly string[]): FieldViolation[] {
  return alternateSkus.length > MAX_ALTERNATE_SKUS
    ? [fieldViolation(field, "TOO_MANY_ALTERNATE_SKUS", `at most ${MAX_ALTERNATE_SKUS} alternate SKUs`)]
    : [];
}
