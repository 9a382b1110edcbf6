import { Code, ConnectError, type Interceptor, type StreamResponse } from "@connectrpc/connect";
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type TextMapGetter,
} from "@opentelemetry/api";
import { tracer } from "../../tracing.js";

/** Reads an incoming call's `traceparent` (and whatever else OTEL_PROPAGATORS names) from its headers. */
const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/** Codes that are the server's fault: a server span ends with status ERROR for these only (RPC conventions). */
const SERVER_ERRORS = new Set([
  Code.Unknown,
  Code.DeadlineExceeded,
  Code.Unimplemented,
  Code.Internal,
  Code.Unavailable,
  Code.DataLoss,
]);

/**
 * A server span per call, for gRPC, gRPC-Web and Connect alike, continuing the caller's trace when the call carries
 * a `traceparent` header. Named `orders.v1.OrdersService/CreateOrder` with the RPC semantic conventions' attributes:
 * the stable ones (`rpc.system.name` grpc or connectrpc, `rpc.method` fully qualified, `rpc.status_code`) and, for
 * dashboards built on the earlier conventions, `rpc.system` (grpc, connect_rpc), `rpc.service` and
 * `rpc.grpc.status_code` / `rpc.connect_rpc.error_code`. Outermost, so every other interceptor, the handler, its
 * database calls and its log lines run inside the span. src/app.ts installs it only when tracing is on.
 */
export function createTracingInterceptor(): Interceptor {
  return (next) => async (req) => {
    const parent = propagation.extract(context.active(), req.header, headerGetter);
    const grpc = (req.header.get("content-type") ?? "").startsWith("application/grpc");
    const service = req.service.typeName;
    const span = tracer.startSpan(
      `${service}/${req.method.name}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "rpc.system.name": grpc ? "grpc" : "connectrpc",
          "rpc.method": `${service}/${req.method.name}`,
          "rpc.system": grpc ? "grpc" : "connect_rpc",
          "rpc.service": service,
        },
      },
      parent,
    );
    const finish = (error?: unknown) =>
      endRpcSpan(span, grpc, error === undefined ? undefined : ConnectError.from(error));
    try {
      const res = await context.with(trace.setSpan(parent, span), () => next(req));
      if (!res.stream) finish();
      else return { ...res, message: endWhenDone(res, finish) } as typeof res;
      return res;
    } catch (error) {
      finish(error);
      throw error;
    }
  };
}

/**
 * A streamed answer's span ends when its last message has gone, when the stream fails, or when it is stopped early
 * (the client went away: CANCELLED).
 */
async function* endWhenDone(res: StreamResponse, finish: (error?: unknown) => void): AsyncIterable<unknown> {
  let outcome: { error?: unknown } | undefined;
  try {
    yield* res.message;
    outcome = {};
  } catch (error) {
    outcome = { error };
    throw error;
  } finally {
    finish(outcome === undefined ? new ConnectError("stream stopped early", Code.Canceled) : outcome.error);
  }
}

function endRpcSpan(span: Span, grpc: boolean, error: ConnectError | undefined): void {
  const code = error?.code ?? 0;
  if (grpc) {
    span.setAttribute("rpc.status_code", grpcCodeName(code));
    span.setAttribute("rpc.grpc.status_code", code);
  } else if (error !== undefined) {
    span.setAttribute("rpc.status_code", connectCodeName(code));
    span.setAttribute("rpc.connect_rpc.error_code", connectCodeName(code));
  }
  if (error !== undefined) {
    span.setAttribute("error.type", grpcCodeName(code));
    if (SERVER_ERRORS.has(error.code)) span.setStatus({ code: SpanStatusCode.ERROR, message: error.rawMessage });
  }
  span.end();
}

/** "NOT_FOUND", as gRPC names its codes; "OK" for 0. */
function grpcCodeName(code: number): string {
  return code === 0 ? "OK" : (Code[code] ?? "Unknown").replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/** "not_found", as the Connect protocol writes it. */
function connectCodeName(code: number): string {
  return grpcCodeName(code).toLowerCase();
}
