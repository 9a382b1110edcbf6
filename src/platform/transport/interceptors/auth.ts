import type { Interceptor } from "@connectrpc/connect";
import type { ApiKeyStore } from "../../auth/api-key-store.js";
import { authenticate } from "../../auth/authenticator.js";
import type { MethodAccess } from "../../auth/method-access.js";
import { principalKey } from "../../auth/principal.js";
import { roleSatisfies } from "../../auth/roles.js";
import { ServiceError } from "../service-error.js";

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

    const caller = await authenticate(keys, req.header.get("authorization"));
    if (!caller.ordersEnabled) {
      throw new ServiceError(
        "permission_denied",
        "MODULE_DISABLED",
        "the orders module is not enabled for this tenant",
      );
    }
    if (!roleSatisfies(caller.principal.role, required)) {
      throw new ServiceError("permission_denied", "ROLE_REQUIRED", `${procedure} needs the ${required} role`, [], {
        requiredRole: required,
        role: caller.principal.role,
      });
    }
    req.contextValues.set(principalKey, caller.principal);
    return next(req);
  };
}
