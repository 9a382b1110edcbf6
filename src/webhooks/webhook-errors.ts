import { ServiceError } from "../platform/transport/service-error.js";

/** Other tenants' endpoints, and those of the other mode, look exactly like missing ones. */
export function webhookEndpointNotFound(webhookEndpointId: string): ServiceError {
  return new ServiceError(
    "not_found",
    "WEBHOOK_ENDPOINT_NOT_FOUND",
    `webhook endpoint ${webhookEndpointId} was not found`,
    [],
    { webhookEndpointId },
  );
}

export function webhookEndpointEtagMismatch(webhookEndpointId: string): ServiceError {
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `webhook endpoint ${webhookEndpointId} changed since the given etag was read; read it again`,
    [],
    { webhookEndpointId },
  );
}

export function webhookEndpointDisabled(webhookEndpointId: string): ServiceError {
  return new ServiceError(
    "failed_precondition",
    "WEBHOOK_ENDPOINT_DISABLED",
    `webhook endpoint ${webhookEndpointId} is disabled; enable it with UpdateWebhookEndpoint first`,
    [],
    { webhookEndpointId },
  );
}
