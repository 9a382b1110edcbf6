import type { DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { counter, histogram } from "../../metrics/metrics.js";

/**
 * go-grpc-prometheus' server metrics, by the same names, labels and help, so the dashboards and alerts written
 * for gRPC services in Go work unchanged; a `protocol` label (grpc, grpc-web, connect) tells the wire protocols
 * of the one port apart. `grpc_code` is written as Go writes it (OK, InvalidArgument, NotFound, ...), which is
 * what those dashboards filter on.
 */
const RPC_LABELS = ["grpc_type", "grpc_service", "grpc_method", "protocol"] as const;
const started = counter({
  name: "grpc_server_started_total",
  help: "Total number of RPCs started on the server.",
  labelNames: RPC_LABELS,
});
const handled = counter({
  name: "grpc_server_handled_total",
  help: "Total number of RPCs completed on the server, regardless of success or failure.",
  labelNames: [...RPC_LABELS, "grpc_code"],
});
const handlingSeconds = histogram({
  name: "grpc_server_handling_seconds",
  help: "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
  labelNames: RPC_LABELS,
});

type RpcLabel = (typeof RPC_LABELS)[number];
const PROTOCOLS = ["grpc", "grpc-web", "connect"] as const;
const GRPC_TYPES: Readonly<Record<DescMethod["methodKind"], string>> = {
  unary: "unary",
  client_streaming: "client_stream",
  server_streaming: "server_stream",
  bidi_streaming: "bidi_stream",
};

/** One method over one protocol: its series, bound once so a call costs no label lookups. */
interface CallSeries {
  started: Counter;
  seconds: { observe(value: number): void };
  /** By code, bound on first use (0 is OK). */
  handled: (Counter | undefined)[];
  labels: Record<RpcLabel, string>;
}
interface Counter {
  inc(): void;
}

const seriesByMethod = new WeakMap<DescMethod, CallSeries[]>();

function seriesOf(method: DescMethod, protocol: number): CallSeries {
  let perProtocol = seriesByMethod.get(method);
  if (perProtocol === undefined) {
    perProtocol = PROTOCOLS.map((name) => {
      const labels = {
        grpc_type: GRPC_TYPES[method.methodKind],
        grpc_service: method.parent.typeName,
        grpc_method: method.name,
        protocol: name,
      };
      return { started: started.labels(labels), seconds: handlingSeconds.labels(labels), handled: [], labels };
    });
    seriesByMethod.set(method, perProtocol);
  }
  return perProtocol[protocol] as CallSeries;
}

function protocolOf(contentType: string | null): number {
  if (contentType?.startsWith("application/grpc") !== true) return 2;
  return contentType.startsWith("application/grpc-web") ? 1 : 0;
}

function finish(series: CallSeries, startedAt: number, code: number): void {
  series.seconds.observe((performance.now() - startedAt) / 1000);
  let done = series.handled[code];
  if (done === undefined) {
    done = handled.labels({ ...series.labels, grpc_code: code === 0 ? "OK" : (Code[code] ?? "Unknown") });
    series.handled[code] = done;
  }
  done.inc();
}

/** Counts every call with its final code; outermost, so the code is the one the client gets. */
export function createMetricsInterceptor(): Interceptor {
  return (next) => async (req) => {
    const series = seriesOf(req.method, protocolOf(req.header.get("content-type")));
    series.started.inc();
    const startedAt = performance.now();
    let response;
    try {
      response = await next(req);
    } catch (error) {
      finish(series, startedAt, ConnectError.from(error).code);
      throw error;
    }
    if (!response.stream) {
      finish(series, startedAt, 0);
      return response;
    }
    return { ...response, message: observed(response.message, req.signal, (code) => finish(series, startedAt, code)) };
  };
}

/**
 * A streamed response is handled when its last message is sent, or when it fails. A stream that ends because the
 * call's signal aborted (the client went away, the deadline passed) never told the client OK: its code is the
 * signal's, as a Go handler returning ctx.Err() reports it.
 */
async function* observed<T>(
  messages: AsyncIterable<T>,
  signal: AbortSignal,
  done: (code: number) => void,
): AsyncIterable<T> {
  let code: number = Code.Canceled;
  try {
    yield* messages;
    code = signal.aborted ? ConnectError.from(signal.reason).code : 0;
  } catch (error) {
    code = ConnectError.from(error).code;
    throw error;
  } finally {
    done(code);
  }
}
