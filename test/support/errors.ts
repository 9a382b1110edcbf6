import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "../../gen/google/rpc/error_details_pb.js";

export interface ObservedError {
  code: Code;
  reason: string | undefined;
  metadata: Record<string, string>;
  violations: { field: string; reason: string }[];
  message: string;
}

/** Runs a call that must fail and returns what a client sees of the error. */
export async function rejectionOf(call: Promise<unknown>): Promise<ObservedError> {
  try {
    await call;
  } catch (error) {
    return observedError(error);
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** What a client sees of an error a call failed with. */
export function observedError(error: unknown): ObservedError {
  const e = ConnectError.from(error);
  const info = e.findDetails(ErrorInfoSchema)[0];
  const badRequest = e.findDetails(BadRequestSchema)[0];
  return {
    code: e.code,
    reason: info?.reason,
    metadata: { ...(info?.metadata ?? {}) },
    violations: (badRequest?.fieldViolations ?? []).map((v) => ({ field: v.field, reason: v.reason })),
    message: e.rawMessage,
  };
}

export { Code };
