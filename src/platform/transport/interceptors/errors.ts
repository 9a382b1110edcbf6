import { ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { isConnectionPoolExhausted, isDatabaseUnavailable } from "../../database/errors.js";
import { ServiceError } from "../service-error.js";
import { databaseBusyError, internalError, toConnectError, unavailableError } from "../error-details.js";

/**
 * The one place where thrown values become wire errors: a ServiceError keeps its code and reason, a
 * lost database connection is UNAVAILABLE, a connection pool that stayed busy is RESOURCE_EXHAUSTED,
 * and anything else is a bug — logged here with its stack, sent as a bare INTERNAL so no SQL text or
 * stack trace reaches a client.
 */
export function createErrorInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (error) {
      if (error instanceof ServiceError) throw toConnectError(error);
      if (isConnectionPoolExhausted(error)) {
        logger.warn({ procedure: req.url, err: error }, "database connection pool exhausted");
        throw databaseBusyError();
      }
      if (isDatabaseUnavailable(error)) {
        logger.warn({ procedure: req.url, err: error }, "database unavailable");
        throw unavailableError();
      }
      // Connect's own protocol errors (bad encoding, size limits, deadlines) are already deliberate.
      if (error instanceof ConnectError) throw error;
      logger.error({ procedure: req.url, err: error }, "unexpected error");
      throw internalError();
    }
  };
}
