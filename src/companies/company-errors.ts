import { ServiceError } from "../platform/transport/service-error.js";

/** Other tenants' companies look exactly like missing ones. */
export function companyNotFound(companyId: string): ServiceError {
  return new ServiceError("not_found", "COMPANY_NOT_FOUND", `company ${companyId} was not found`, [], { companyId });
}

export function companyEtagMismatch(companyId: string): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `company ${companyId} changed since the given etag was read; read it again`,
    [],
    { companyId },
  );
}
