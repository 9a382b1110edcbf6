import { ServiceError } from "../platform/transport/service-error.js";

/** Other tenants' carts, the other key mode's and expired ones look exactly like missing ones. */
export function cartNotFound(cartId: string): ServiceError {
  return new ServiceError("not_found", "CART_NOT_FOUND", `cart ${cartId} was not found`, [], { cartId });
}

/** A cart an order was placed from: it cannot change, nor be placed again. */
export function cartCompleted(cartId: string, orderId: string): ServiceError {
  return new ServiceError(
    "failed_precondition",
    "CART_COMPLETED",
    `cart ${cartId} was placed as order ${orderId} and cannot change`,
    [],
    { cartId, orderId },
  );
}

export function cartLineNotFound(cartId: string, lineId: string): ServiceError {
  return new ServiceError("not_found", "CART_LINE_NOT_FOUND", `cart ${cartId} has no line ${lineId}`, [], {
    cartId,
    lineId,
  });
}

export function cartEtagMismatch(cartId: string): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `cart ${cartId} changed since the given etag was read; read it again`,
    [],
    { cartId },
  );
}
