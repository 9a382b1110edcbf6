import type { Interceptor } from "@connectrpc/connect";
import type { ApiKeyStore } from "../../auth/api-key-store.js";
import { authenticate } from "../../auth/authenticator.js";
import type { MethodAccess } from "../../auth/method-access.js";
import { principalKey } from "../../auth/principal.js";
import { roleSatisfies } from "../../auth/roles.js";
import { counter } from "../../metrics/metrics.js";
import { ServiceError } from "../service-error.js";

const authFailures = counter({
  name: "orderspine_auth_failures_total",
  help: "Calls refused by authentication or authorization, by the error's reason (INVALID_API_KEY, API_KEY_EXPIRED, ROLE_REQUIRED, ...).",
  labelNames: ["reason"],
});

/**
 * Where auth happens: every call to an orders-module service must carry a
 * valid API key of a tenant with the module on and a role at least the one
 * the capability declared for the RPC (`access`, handed over by src/app.ts).
 * The resolved caller travels in the context values to the handler, which
 * scopes every query to its tenant.
 */
export function createAuthInterceptor(keys: ApiKeyStore, access: MethodAccess): Interceptor {
  return (next) => async (req) => {
    const service = req.service.typeName;
    if (!access.ordersModuleServices.has(service)) return next(req);
    const procedure = `${service}/${req.method.name}`;
    const required = access.requiredRoles[procedure];
    // Fail closed: a new RPC without an entry is a bug, never an open door.
    if (!required) throw new Error(`no required role declared for ${procedure}`);

    const caller = await authenticate(keys, req.header.get("authorization")).catch(counted);
    if (!caller.ordersEnabled) {
      authFailures.labels({ reason: "MODULE_DISABLED" }).inc();
      throw new ServiceError(
        "permission_denied",
        "MODULE_DISABLED",
        "the orders module is not enabled for this tenant",
      );
    }
    if (!roleSatisfies(caller.principal.role, required)) {
      authFailures.labels({ reason: "ROLE_REQUIRED" }).inc();
      throw new ServiceError("permission_denied", "ROLE_REQUIRED", `${procedure} needs the ${required} role`, [], {
        requiredRole: required,
        role: caller.principal.role,
      });
    }
    req.contextValues.set(principalKey, caller.principal);
    return next(req);
  };
}

/** A refusal of authenticate() counted by its reason (a fixed set); anything else is not an auth failure. */
function counted(error: unknown): never {
  if (error instanceof ServiceError) authFailures.labels({ reason: error.reason }).inc();
  throw error;
}
