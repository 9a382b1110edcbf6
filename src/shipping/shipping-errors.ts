import { ServiceError } from "../platform/transport/service-error.js";

/** Other tenants' shipping methods look exactly like missing ones. */
export function shippingMethodNotFound(shippingMethodId: string): ServiceError {
  return new ServiceError(
    "not_found",
    "SHIPPING_METHOD_NOT_FOUND",
    `shipping method ${shippingMethodId} was not found`,
    [],
    { shippingMethodId },
  );
}

export function shippingMethodEtagMismatch(shippingMethodId: string): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `shipping method ${shippingMethodId} changed since the given etag was read; read it again`,
    [],
    { shippingMethodId },
  );
}
