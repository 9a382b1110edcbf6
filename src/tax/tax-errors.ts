import { ServiceError } from "../platform/transport/service-error.js";

/** Other tenants' zones look exactly like missing ones. */
export function taxZoneNotFound(taxZoneId: string): ServiceError {
  return new ServiceError("not_found", "TAX_ZONE_NOT_FOUND", `tax zone ${taxZoneId} was not found`, [], {
    taxZoneId,
  });
}

export function taxZoneEtagMismatch(taxZoneId: string): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `tax zone ${taxZoneId} changed since the given etag was read; read it again`,
    [],
    { taxZoneId },
  );
}

export function taxSettingsEtagMismatch(): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    "the tax settings changed since the given etag was read; read them again",
  );
}

/**
 * ALREADY_EXISTS: another zone of the tenant has the same country, region and postal code prefixes
 * (`taxZoneId` empty if that zone moved or went since the write collided with it).
 */
export function taxZoneExists(taxZoneId: string | undefined): ServiceError {
  const holder = taxZoneId === undefined ? "another tax zone" : `tax zone ${taxZoneId}`;
  return new ServiceError(
    "already_exists",
    "TAX_ZONE_EXISTS",
    `${holder} has the same country, region and postal code prefixes; change that zone instead`,
    [],
    { taxZoneId: taxZoneId ?? "" },
  );
}
