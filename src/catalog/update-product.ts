import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { randomUUID } from "node:crypto";
import {
  UpdateProductRequestSchema,
  UpdateProductResponseSchema,
  type UpdateProductRequest,
  type UpdateProductResponse,
} from "../../gen/orders/v1/catalog_service_pb.js";
import { fieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { resourceIdViolations, updateMaskPaths } from "../platform/transport/update-mask.js";
import { skuGivenTwice, skuTaken } from "./catalog-errors.js";
import { changeProduct } from "./change-product.js";
import type { CatalogWriteDeps } from "./create-product.js";
import type { ProductView } from "./queries/read-products.js";
import { replaceVariants, updateProductRow } from "./queries/write-products.js";
import type { ProductDraft } from "./rules/product-draft.js";
import { UPDATABLE_PATHS, updatedDraft } from "./rules/product-update.js";
import { firstDuplicateSku, skuClaims } from "./rules/sku.js";

/**
 * UpdateProduct (AIP-134): sets the fields named in update_mask from the given product under its row
 * lock and etag; naming `variants` replaces the list of variants, SKUs still unique in the tenant.
 * Publishes product.updated with the mask.
 */
export class UpdateProduct {
  constructor(private readonly deps: CatalogWriteDeps) {}

  execute(principal: Principal, request: UpdateProductRequest): Promise<UpdateProductResponse> {
    const changes = request.product;
    if (!changes) throw ServiceError.invalidArgument([fieldViolation("product", "REQUIRED", "is required")]);
    const mask = updateMaskPaths(request.updateMask?.paths ?? [], UPDATABLE_PATHS);
    const violations = [...resourceIdViolations("product.id", changes.id), ...(mask.ok ? [] : mask.violations)];
    if (!mask.ok || violations.length > 0) throw ServiceError.invalidArgument(violations);
    const { paths } = mask;

    const call = {
      procedure: "orders.v1.CatalogService/UpdateProduct",
      requestSchema: UpdateProductRequestSchema,
      request,
      productId: changes.id,
      etag: changes.etag,
      responseSchema: UpdateProductResponseSchema,
      respond: (product: UpdateProductResponse["product"]) => create(UpdateProductResponseSchema, { product }),
    };
    return changeProduct(this.deps, principal, call, async (tx, product, now) => {
      const updated = updatedDraft(draftOf(product), changes, paths);
      if (!updated.ok) throw ServiceError.invalidArgument(updated.violations);
      const { draft } = updated;
      if (paths.includes("variants")) {
        const duplicate = firstDuplicateSku(skuClaims(draft.variants, "product.variants"));
        if (duplicate) throw skuGivenTwice(duplicate.claim, duplicate.first);
        const newIds = draft.variants.flatMap((variant) => (variant.id === undefined ? [randomUUID()] : []));
        const currentIds = product.variants.map((variant) => variant.id);
        const taken = await replaceVariants(tx, principal.tenantId, product.id, currentIds, draft.variants, newIds);
        if (taken) throw skuTaken(taken);
      }
      await updateProductRow(tx, principal.tenantId, product.id, draft, now);
      return { type: "product.updated", updateMask: create(FieldMaskSchema, { paths }) };
    });
  }
}

/** The product as stored, as a draft the update starts from. */
function draftOf(product: ProductView): ProductDraft {
  return {
    title: product.title,
    description: product.description,
    status: product.status,
    metadata: product.metadata,
    variants: product.variants.map((variant) => {
      const [sku = "", ...alternateSkus] = variant.skus;
      return {
        id: variant.id,
        sku,
        alternateSkus,
        name: variant.name,
        prices: variant.prices,
        taxCategory: variant.taxCategory,
        weightGrams: variant.weightGrams,
        metadata: variant.metadata,
      };
    }),
  };
}
