import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { principalKey } from "../../auth/principal.js";

/**
 * One structured line per call: procedure, outcome code, duration and tenant.
 * Never the request body or headers, which hold personal data and API keys.
 */
export function createLoggingInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    let code = "ok";
    try {
      return await next(req);
    } catch (error) {
      code = codeName(ConnectError.from(error).code);
      throw error;
    } finally {
      logger.info(
        {
          procedure: `${req.service.typeName}/${req.method.name}`,
          protocol: req.header.get("content-type"),
          code,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          tenantId: req.contextValues.get(principalKey)?.tenantId,
        },
        "rpc",
      );
    }
  };
}

/** The code as Connect writes it on the wire ("not_found", "unavailable"). */
function codeName(code: number): string {
  // Any number: a ConnectError can carry one Code has no name for (`new ConnectError(m, 99 as Code)`).
  return (Code[code] ?? "Unknown").replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}
