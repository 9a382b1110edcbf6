import { ProductStatus, type Product, type Variant } from "../../../gen/orders/v1/product_pb.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { priceViolations } from "./prices.js";
import { alternateSkuViolations } from "./sku.js";

/** A product has 1 to this many variants. */
export const MAX_VARIANTS = 100;

/** A variant's tax category when none is given. */
export const DEFAULT_TAX_CATEGORY = "standard";

/** `products.status`. */
export type ProductStatusName = "active" | "archived";

/** A variant as it is to be written: plain data, already checked. */
export interface VariantDraft {
  /** An existing variant's id (UpdateProduct), or undefined for a new variant. */
  id: string | undefined;
  sku: string;
  alternateSkus: string[];
  name: string;
  /** Currency -> amount as given (a canonical decimal string). */
  prices: Record<string, string>;
  taxCategory: string;
  weightGrams: number | null;
  metadata: Record<string, string>;
}

/** A product as it is to be written: plain data, already checked. */
export interface ProductDraft {
  title: string;
  description: string | null;
  status: ProductStatusName;
  metadata: Record<string, string>;
  variants: VariantDraft[];
}

/**
 * What CreateProduct needs of a product besides the contract's own rules: a title, 1 to 100 variants,
 * prices in known currencies at a scale the currency allows. Violations are at `${field}.title` and so
 * on. SKU uniqueness is not checked here (see sku.ts and the database).
 */
export function newProductViolations(product: Product, field: string): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (product.title.trim() === "") {
    violations.push(fieldViolation(`${field}.title`, "REQUIRED", "a product needs a title"));
  }
  violations.push(...variantsViolations(product.variants, `${field}.variants`));
  return violations;
}

/** The rules of a product's whole list of variants (on creation, or replaced by UpdateProduct). */
export function variantsViolations(variants: readonly Variant[], field: string): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (variants.length === 0 || variants.length > MAX_VARIANTS) {
    violations.push(fieldViolation(field, "VARIANTS_COUNT", `a product has 1 to ${MAX_VARIANTS} variants`));
  }
  variants.forEach((variant, i) => {
    violations.push(
      ...alternateSkuViolations(`${field}[${i}].alternate_skus`, variant.alternateSkus),
      ...priceViolations(`${field}[${i}].prices`, variant.prices),
    );
  });
  return violations;
}

/** The product to write for a product a client sent (checked with newProductViolations first). */
export function productDraft(product: Product): ProductDraft {
  return {
    title: product.title,
    description: product.description === "" ? null : product.description,
    status: product.status === ProductStatus.ARCHIVED ? "archived" : "active",
    metadata: { ...product.metadata },
    variants: product.variants.map((variant) => variantDraft(variant, undefined)),
  };
}

/** The variant to write for a variant a client sent, keeping `id` for an existing one. */
export function variantDraft(variant: Variant, id: string | undefined): VariantDraft {
  return {
    id,
    sku: variant.sku,
    alternateSkus: [...variant.alternateSkus],
    name: variant.name,
    prices: { ...variant.prices },
    taxCategory: variant.taxCategory === "" ? DEFAULT_TAX_CATEGORY : variant.taxCategory,
    weightGrams: variant.weightGrams ?? null,
    metadata: { ...variant.metadata },
  };
}
