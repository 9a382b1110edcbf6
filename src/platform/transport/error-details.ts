import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "../../../gen/google/rpc/error_details_pb.js";
import type { ErrorKind, ServiceError } from "./service-error.js";

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
 * Over gRPC an error travels in HTTP/2 trailers (grpc-message, grpc-status-details-bin), and clients
 * cap those (grpc-js accepts 8 KiB of metadata by default; Node resets the stream when a header
 * block exceeds the peer's limit, which the client then reports as INTERNAL). A violation can echo
 * client input — the fuzzer's 100,000-character metadata key came back in its field path — so what
 * an error carries is bounded here, keeping the answer well under those limits.
 */
export const ERROR_LIMITS = { messageChars: 512, violations: 10, fieldChars: 128, descriptionChars: 256 } as const;

/**
 * Every deliberate error carries a google.rpc.ErrorInfo (AIP-193) so clients
 * branch on `reason`, never on message text; validation errors add a
 * google.rpc.BadRequest with one field violation per problem (the first
 * ERROR_LIMITS.violations of them; ErrorInfo.metadata.omittedViolations says
 * how many more there were).
 */
export function toConnectError(error: ServiceError): ConnectError {
  const omitted = Math.max(0, error.violations.length - ERROR_LIMITS.violations);
  const metadata = { ...error.metadata, ...(omitted > 0 ? { omittedViolations: String(omitted) } : {}) };
  const details: ConstructorParameters<typeof ConnectError>[3] = [
    { desc: ErrorInfoSchema, value: { reason: error.reason, domain: ERROR_DOMAIN, metadata } },
  ];
  if (error.violations.length > 0) {
    details.push({
      desc: BadRequestSchema,
      value: {
        fieldViolations: error.violations.slice(0, ERROR_LIMITS.violations).map((v) => ({
          field: clip(v.field, ERROR_LIMITS.fieldChars),
          description: clip(v.description, ERROR_LIMITS.descriptionChars),
          reason: v.reason,
        })),
      },
    });
  }
  return new ConnectError(clip(error.message, ERROR_LIMITS.messageChars), CODE_OF_KIND[error.kind], undefined, details);
}

/** At most `max` UTF-16 units, never splitting a surrogate pair (grpc-message percent-encoding would throw on half of one). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/** For failures that are not the caller's fault and must not leak internals. */
export function unavailableError(): ConnectError {
  return new ConnectError("the database is unavailable; retry with the same request_id", Code.Unavailable, undefined, [
    { desc: ErrorInfoSchema, value: { reason: "DATABASE_UNAVAILABLE", domain: ERROR_DOMAIN } },
  ]);
}

/**
 * The replica's connection pool stayed busy for its whole acquire timeout: the database is up, this
 * replica is overloaded. RESOURCE_EXHAUSTED (back off, then retry) rather than UNAVAILABLE, which
 * operators and clients read as an outage.
 */
export function databaseBusyError(): ConnectError {
  return new ConnectError(
    "all of this replica's database connections are busy; retry later with the same request_id",
    Code.ResourceExhausted,
    undefined,
    [{ desc: ErrorInfoSchema, value: { reason: "DATABASE_BUSY", domain: ERROR_DOMAIN } }],
  );
}

export function internalError(): ConnectError {
  return new ConnectError("internal error", Code.Internal, undefined, [
    { desc: ErrorInfoSchema, value: { reason: "INTERNAL", domain: ERROR_DOMAIN } },
  ]);
}
