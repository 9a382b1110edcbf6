import { ServiceError } from "../platform/transport/service-error.js";

/** The errors of promotions, each with its stable ErrorInfo reason. */

/** Other tenants' promotions look exactly like missing ones. */
export function promotionNotFound(promotionId: string): ServiceError {
  return new ServiceError("not_found", "PROMOTION_NOT_FOUND", `promotion ${promotionId} was not found`, [], {
    promotionId,
  });
}

export function promotionEtagMismatch(promotionId: string): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `promotion ${promotionId} changed since the given etag was read; read it again`,
    [],
    { promotionId },
  );
}

/** DeactivatePromotion of a promotion that is inactive already. */
export function promotionInactive(promotionId: string): ServiceError {
  return new ServiceError(
    "failed_precondition",
    "PROMOTION_INACTIVE",
    `promotion ${promotionId} is inactive already`,
    [],
    { promotionId },
  );
}

export const CODE_TAKEN_REASON = "PROMOTION_CODE_TAKEN";

/** A code given twice in one request (in any case). */
export function codeGivenTwice(code: string, field: string, firstField: string): ServiceError {
  return new ServiceError(
    "already_exists",
    CODE_TAKEN_REASON,
    `code "${code}" at ${field} is also given at ${firstField} (codes are compared without regard to case)`,
    [],
    { code, field },
  );
}

/** A code another promotion of the tenant has, in any case. */
export function codeTaken(code: string, field: string, holderId: string | undefined): ServiceError {
  return new ServiceError(
    "already_exists",
    CODE_TAKEN_REASON,
    `code "${code}" at ${field} is already a code of ${holderId ? `promotion ${holderId}` : "another promotion"}`,
    [],
    { code, field, ...(holderId ? { promotionId: holderId } : {}) },
  );
}
