import { cors as connectCors } from "@connectrpc/connect";
import cors from "cors";
import type { NodeHandler } from "./server.js";

export interface CorsOptions {
  /**
   * Origins whose pages may call the service from a browser, e.g. ["https://shop.example"]; "*" allows any. The
   * default, none, suits a service that holds bearer keys: only pages of its own origin (the console it serves)
   * call it, and same-origin calls need no CORS.
   */
  origins?: readonly string[] | "*";
  /** How long browsers may cache a preflight answer. Chromium caps this at 2 h. */
  maxAgeSeconds?: number;
  /** Request headers the application reads beyond the protocol's own and Authorization. */
  extraAllowedHeaders?: readonly string[];
  /** Response headers scripts may read beyond the protocol's own. */
  extraExposedHeaders?: readonly string[];
}

export const DEFAULT_PREFLIGHT_MAX_AGE_SECONDS = 7200;

/**
 * Lets browsers call the service cross-origin with the Connect and gRPC-Web protocols from the allowed
 * origins: answers preflight requests itself and adds the CORS headers to every other response. Other
 * origins get no Access-Control-Allow-Origin, so browsers keep their pages from reading any answer.
 */
export function withCors(handler: NodeHandler, options: CorsOptions = {}): NodeHandler {
  const origins = options.origins ?? [];
  const anyOrigin = origins === "*" || origins.includes("*");
  const middleware = cors({
    origin: anyOrigin ? "*" : [...origins],
    methods: [...connectCors.allowedMethods],
    // traceparent and tracestate: a browser's trace continues in the service (docs/tracing.md).
    allowedHeaders: unique([
      ...connectCors.allowedHeaders,
      "Authorization",
      "traceparent",
      "tracestate",
      ...(options.extraAllowedHeaders ?? []),
    ]),
    // gRPC-Web reports a call's outcome in these; connect's list has them, listed here to be sure.
    exposedHeaders: unique([
      ...connectCors.exposedHeaders,
      "Grpc-Status",
      "Grpc-Message",
      "Grpc-Status-Details-Bin",
      ...(options.extraExposedHeaders ?? []),
    ]),
    maxAge: options.maxAgeSeconds ?? DEFAULT_PREFLIGHT_MAX_AGE_SECONDS,
  });
  // With static options cors never reports an error to `next`: it either answers a preflight
  // itself or adds its headers and passes the request on. A request without an Origin header is not
  // a browser's cross-origin request (service-to-service and gRPC calls never send one), so it skips
  // the middleware; the answer still varies by Origin when only some origins are allowed.
  return (req, res) => {
    if (req.headers.origin === undefined) {
      if (!anyOrigin) res.setHeader("vary", "Origin");
      handler(req, res);
      return;
    }
    middleware(req, res, () => handler(req, res));
  };
}

/** Header names are case-insensitive; keep the first spelling of each. */
function unique(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
