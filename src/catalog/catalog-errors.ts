import { isDeadlock } from "../platform/database/errors.js";
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

/** ArchiveProduct of a product that is archived already. */
export function productArchived(productId: string): ServiceError {
  return new ServiceError("failed_precondition", "PRODUCT_ARCHIVED", `product ${productId} is archived already`, [], {
    productId,
  });
}

/**
 * A catalog write that PostgreSQL ended to break a deadlock is ABORTED (reason CONCURRENT_CHANGE), a
 * conflict with a concurrent call the client may retry, not an INTERNAL error. It can happen when two
 * changes move SKUs between two products in opposite directions at once: each gives up a SKU (a deleted
 * row it holds locked) that the other claims.
 */
export async function abortedOnDeadlock<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isDeadlock(error)) throw error;
    throw new ServiceError(
      "aborted",
      "CONCURRENT_CHANGE",
      "a concurrent change of the catalog got in the way; nothing was written, retry the call",
    );
  }
}
