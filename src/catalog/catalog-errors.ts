import { ServiceError } from "../platform/transport/service-error.js";
import type { TakenSku } from "./queries/write-products.js";
import type { SkuClaim } from "./rules/sku.js";

/** The errors of the catalog, each with its stable ErrorInfo reason. */

/** Other tenants' products look exactly like missing ones. */
export function productNotFound(productId: string): ServiceError {
  return new ServiceError("not_found", "PRODUCT_NOT_FOUND", `product ${productId} was not found`, [], { productId });
}

export function etagMismatch(productId: string): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `product ${productId} changed since the given etag was read; read it again`,
    [],
    { productId },
  );
}

/** A SKU given twice in one request (in any case). */
export function skuGivenTwice(claim: SkuClaim, first: SkuClaim): ServiceError {
  return new ServiceError(
    "already_exists",
    "SKU_TAKEN",
    `SKU "${claim.sku}" at ${claim.field} is also given at ${first.field} (SKUs are compared without regard to case)`,
    [],
    { sku: claim.sku, field: claim.field },
  );
}

/** A SKU the tenant's catalog already holds, primary or alternate, in any case. */
export function skuTaken({ claim, holder }: TakenSku): ServiceError {
  return new ServiceError(
    "already_exists",
    "SKU_TAKEN",
    `SKU "${claim.sku}" at ${claim.field} is already a SKU of ${holder ? `product ${holder.productId}` : "another product"}`,
    [],
    { sku: claim.sku, field: claim.field, ...holder },
  );
}
