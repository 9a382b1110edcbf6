import { fieldViolation } from "../money/field-violation.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { MAX_ON_HAND } from "./rules/level-changes.js";

/** Other tenants' variants look exactly like missing ones. */
export function variantNotFound(variantId: string): ServiceError {
  return new ServiceError("not_found", "VARIANT_NOT_FOUND", `variant ${variantId} was not found`, [], { variantId });
}

export function inventoryLevelNotFound(variantId: string, stockLocationId: string): ServiceError {
  return new ServiceError(
    "not_found",
    "INVENTORY_LEVEL_NOT_FOUND",
    `no stock was recorded for variant ${variantId} at stock location ${stockLocationId}`,
    [],
    { variantId, stockLocationId },
  );
}

export function inventoryEtagMismatch(variantId: string, stockLocationId: string): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `the stock of variant ${variantId} at stock location ${stockLocationId} changed since the given etag was read; read it again`,
    [],
    { variantId, stockLocationId },
  );
}

export function insufficientStock(
  variantId: string,
  stockLocationId: string,
  onHand: number,
  reserved: number,
): ServiceError {
  return new ServiceError(
    "failed_precondition",
    "INSUFFICIENT_STOCK",
    `variant ${variantId} has ${onHand} on hand at stock location ${stockLocationId}, ${reserved} of them reserved by ` +
      `orders; on hand cannot go below what is reserved`,
    [],
    { variantId, stockLocationId, onHand: String(onHand), reserved: String(reserved) },
  );
}

export function quantityChangeZero(): ServiceError {
  return ServiceError.invalidArgument([fieldViolation("quantity_change", "QUANTITY_ZERO", "must not be 0")]);
}

export function onHandLimit(onHand: number): ServiceError {
  return ServiceError.invalidArgument([
    fieldViolation(
      "quantity_change",
      "ON_HAND_LIMIT",
      `would take on hand from ${onHand} above ${MAX_ON_HAND}, the most a stock level holds`,
    ),
  ]);
}
