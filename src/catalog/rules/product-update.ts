import { ProductStatus, type Product } from "../../../gen/orders/v1/product_pb.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { variantDraft, variantsViolations, type ProductDraft } from "./product-draft.js";

/** The Product fields UpdateProduct may set, by proto name as they appear in update_mask. */
export const UPDATABLE_PATHS = ["title", "description", "status", "metadata", "variants"] as const;
export type UpdatablePath = (typeof UPDATABLE_PATHS)[number];

export type UpdatedDraft = { ok: true; draft: ProductDraft } | { ok: false; violations: FieldViolation[] };

/**
 * The product after UpdateProduct sets the fields `paths` name from `changes` (AIP-134: a field named
 * but left empty is cleared; a title cannot be). `current` is the product as stored, its variants with
 * their ids. Naming `variants` replaces the list: a variant with one of the product's variant ids
 * changes that variant, one without id is new, the others are removed. Every violation at once, at
 * `product.<field>`.
 */
export function updatedDraft(current: ProductDraft, changes: Product, paths: readonly UpdatablePath[]): UpdatedDraft {
  const draft: ProductDraft = { ...current };
  const violations: FieldViolation[] = [];
  for (const path of paths) {
    switch (path) {
      case "title":
        if (changes.title.trim() === "") {
          violations.push(fieldViolation("product.title", "REQUIRED", "a product's title cannot be cleared"));
        }
        draft.title = changes.title;
        break;
      case "description":
        draft.description = changes.description === "" ? null : changes.description;
        break;
      case "metadata":
        draft.metadata = { ...changes.metadata };
        break;
      case "status": {
        const status = statusChange(current.status, changes.status);
        if (typeof status === "string") draft.status = status;
        else violations.push(status);
        break;
      }
      case "variants": {
        violations.push(
          ...variantsViolations(changes.variants, "product.variants"),
          ...variantIdViolations(current, changes),
        );
        draft.variants = changes.variants.map((variant) => variantDraft(variant, variantIdOf(variant.id)));
        break;
      }
    }
  }
  return violations.length > 0 ? { ok: false, violations } : { ok: true, draft };
}

/** Active for ACTIVE; an archived product may say it stays archived, but archiving is ArchiveProduct's. */
function statusChange(current: ProductDraft["status"], wanted: ProductStatus): ProductDraft["status"] | FieldViolation {
  if (wanted === ProductStatus.ACTIVE) return "active";
  if (wanted === ProductStatus.ARCHIVED && current === "archived") return "archived";
  if (wanted === ProductStatus.ARCHIVED) {
    return fieldViolation(
      "product.status",
      "USE_ARCHIVE_PRODUCT",
      "archive a product with ArchiveProduct; UpdateProduct sets PRODUCT_STATUS_ACTIVE only",
    );
  }
  return fieldViolation("product.status", "REQUIRED", "name the status to set: PRODUCT_STATUS_ACTIVE");
}

/** A variant id must be one of the product's, given once. */
function variantIdViolations(current: ProductDraft, changes: Product): FieldViolation[] {
  const own = new Set(current.variants.map((variant) => variant.id));
  const seen = new Set<string>();
  const violations: FieldViolation[] = [];
  changes.variants.forEach((variant, i) => {
    const id = variantIdOf(variant.id);
    if (id === undefined) return;
    const field = `product.variants[${i}].id`;
    if (!own.has(id)) {
      violations.push(fieldViolation(field, "VARIANT_NOT_FOUND", `${variant.id} is not a variant of this product`));
    } else if (seen.has(id)) {
      violations.push(fieldViolation(field, "DUPLICATE_VARIANT_ID", `variant ${variant.id} is given twice`));
    }
    seen.add(id);
  });
  return violations;
}

/** A variant id as stored (UUIDs in lower case), or undefined for a new variant. */
function variantIdOf(id: string): string | undefined {
  return id === "" ? undefined : id.toLowerCase();
}
