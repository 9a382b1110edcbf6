import type { FieldViolation } from "../../money/field-violation.js";

/**
 * The error kinds the service deliberately reports. They map one to one onto
 * gRPC / Connect codes in platform/transport/interceptors/errors.ts; anything thrown
 * that is not a ServiceError is a bug and leaves as INTERNAL.
 */
export type ErrorKind =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "permission_denied"
  | "unauthenticated"
  | "failed_precondition"
  | "aborted"
  | "unavailable";

/** An expected failure with a machine-readable reason (google.rpc.ErrorInfo.reason). */
export class ServiceError extends Error {
  override readonly name = "ServiceError";

  constructor(
    readonly kind: ErrorKind,
    readonly reason: string,
    message: string,
    readonly violations: readonly FieldViolation[] = [],
    readonly metadata: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** INVALID_ARGUMENT with one google.rpc.BadRequest field violation per problem. */
  static invalidArgument(violations: readonly FieldViolation[]): ServiceError {
    const summary = violations.map((v) => `${v.field}: ${v.description}`).join("; ");
    return new ServiceError("invalid_argument", "INVALID_ARGUMENT", `invalid request: ${summary}`, violations);
  }
}
