import { ServiceError } from "../platform/transport/service-error.js";
import { ADDRESS_BOOK_LIMIT } from "./rules/address-book.js";

/** The errors of calls on an existing customer and its address book, each with its stable ErrorInfo reason. */

/** Other tenants' customers look exactly like missing ones. */
export function customerNotFound(customerId: string): ServiceError {
  return new ServiceError("not_found", "CUSTOMER_NOT_FOUND", `customer ${customerId} was not found`, [], {
    customerId,
  });
}

/** No address with that id in this customer's book (another customer's addresses look the same). */
export function addressNotFound(customerId: string, addressId: string): ServiceError {
  return new ServiceError("not_found", "ADDRESS_NOT_FOUND", `customer ${customerId} has no address ${addressId}`, [], {
    customerId,
    addressId,
  });
}

export function emailTaken(email: string): ServiceError {
  return new ServiceError("already_exists", "CUSTOMER_EMAIL_TAKEN", "a customer with this e-mail already exists", [], {
    email,
  });
}

export function addressBookFull(customerId: string): ServiceError {
  return new ServiceError(
    "failed_precondition",
    "ADDRESS_BOOK_FULL",
    `customer ${customerId} already has ${ADDRESS_BOOK_LIMIT} addresses; delete one first`,
    [],
    { customerId, limit: String(ADDRESS_BOOK_LIMIT) },
  );
}

export function etagMismatch(kind: "customer" | "address", id: string): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `${kind} ${id} changed since the given etag was read; read it again`,
    [],
    kind === "customer" ? { customerId: id } : { addressId: id },
  );
}
