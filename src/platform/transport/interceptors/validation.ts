import type { Interceptor } from "@connectrpc/connect";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { createValidator } from "@bufbuild/protovalidate";
import { ServiceError } from "../service-error.js";
import { unstorableText } from "../storable-text.js";

/**
 * Enforces the protovalidate (buf.validate) rules written in proto/, so
 * clients in every language get the rules they can read in the contract. We
 * report them as google.rpc.BadRequest (AIP-193) rather than the
 * buf.validate.Violations detail of @connectrpc/validate, because generic gRPC
 * tooling understands BadRequest. A violation's description is its rule's
 * message, which the contract writes for people (every rule has one, see
 * test/contract/rule-messages.unit.test.ts); its reason is the rule id in upper
 * case ("invalid_decimal" -> INVALID_DECIMAL). Strings PostgreSQL cannot store
 * are refused here too (see storable-text.ts), for every method alike.
 */
export function createValidationInterceptor(): Interceptor {
  const validator = createValidator();
  return (next) => async (req) => {
    if (!req.stream) {
      const result = validator.validate(req.method.input, req.message);
      if (result.kind === "error") throw result.error;
      const violations = [
        ...(result.kind === "invalid"
          ? result.violations.map((v) => ({
              field: pathToString(v.field),
              description: v.message,
              reason: v.ruleId.toUpperCase().replace(/[^A-Z0-9]+/g, "_"),
            }))
          : []),
        ...unstorableText(req.method.input, req.message),
      ];
      if (violations.length > 0) throw ServiceError.invalidArgument(violations);
    }
    return next(req);
  };
}
