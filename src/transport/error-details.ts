import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import type { ErrorKind, ServiceError } from "../service-error.js";

/** google.rpc.ErrorInfo.domain of every error this service reports. */
export const ERROR_DOMAIN = "orderspine";

const CODE_OF_KIND: Record<ErrorKind, Code> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  permission_denied: Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  failed_precondition: Code.FailedPrecondition,
  aborted: Code.Aborted,
  unavailable: Code.Unavailable,
};

/**
 * Every deliberate error carries a google.rpc.ErrorInfo (AIP-193) so clients
 * branch on `reason`, never on message text; validation errors add a
 * google.rpc.BadRequest with one field violation per problem.
 */
export function toConnectError(error: ServiceError): ConnectError {
  const details: ConstructorParameters<typeof ConnectError>[3] = [
    { desc: ErrorInfoSchema, value: { reason: error.reason, domain: ERROR_DOMAIN, metadata: { ...error.metadata } } },
  ];
  if (error.violations.length > 0) {
    details.push({
      desc: BadRequestSchema,
      value: {
        fieldViolations: error.violations.map((v) => ({ field: v.field, description: v.description, reason: v.reason })),
      },
    });
  }
  return new ConnectError(error.message, CODE_OF_KIND[error.kind], undefined, details);
}

/** For failures that are not the caller's fault and must not leak internals. */
export function unavailableError(): ConnectError {
  return new ConnectError("the database is unavailable; retry with the same request_id", Code.Unavailable, undefined, [
    { desc: ErrorInfoSchema, value: { reason: "DATABASE_UNAVAILABLE", domain: ERROR_DOMAIN } },
  ]);
}

export function internalError(): ConnectError {
  return new ConnectError("internal error", Code.Internal, undefined, [
    { desc: ErrorInfoSchema, value: { reason: "INTERNAL", domain: ERROR_DOMAIN } },
  ]);
}
