import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { loadSync, type MethodDefinition } from "@grpc/proto-loader";

/**
 * The OTLP protos, copied unchanged from open-telemetry/opentelemetry-proto (Apache 2.0; v1.11.0-16-gac2c4b5):
 * the collector's trace service and the messages it takes. The receiver decodes what the service's SDK sends with
 * them, as a collector would, so a test sees the spans exactly as they left the process.
 */
const OTLP_PROTOS = fileURLToPath(new URL("otlp", import.meta.url));

type AttributeValue = string | number | boolean | null;

/** A span as it arrived, with ids in hex and attributes flattened. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  name: string;
  /** "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", ... */
  kind: string;
  attributes: Record<string, AttributeValue>;
  /** "STATUS_CODE_UNSET", "STATUS_CODE_OK" or "STATUS_CODE_ERROR". */
  status: string;
  /** The instrumentation scope that made it ("orderspine", "@opentelemetry/instrumentation-pg"). */
  scope: string;
  /** The resource's service.name. */
  serviceName: string;
}

interface AnyValue {
  value?: "stringValue" | "boolValue" | "intValue" | "doubleValue" | "arrayValue" | "kvlistValue" | "bytesValue";
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface ExportTraceServiceRequest {
  resourceSpans: {
    resource?: { attributes: KeyValue[] };
    scopeSpans: {
      scope?: { name: string };
      spans: {
        traceId: Buffer;
        spanId: Buffer;
        parentSpanId: Buffer;
        name: string;
        kind: string;
        attributes: KeyValue[];
        status?: { code: string };
      }[];
    }[];
  }[];
}

const exportMethod = (() => {
  const definition = loadSync("opentelemetry/proto/collector/trace/v1/trace_service.proto", {
    includeDirs: [OTLP_PROTOS],
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const service = definition["opentelemetry.proto.collector.trace.v1.TraceService"] as Record<
    string,
    MethodDefinition<ExportTraceServiceRequest, object>
  >;
  const method = service.Export;
  if (method === undefined) throw new Error("TraceService.Export not found in the OTLP protos");
  return method;
})();

/**
 * An OTLP/HTTP trace receiver on a loopback port (POST /v1/traces, binary protobuf, optionally gzipped), as an
 * OpenTelemetry Collector would run one: it decodes every ExportTraceServiceRequest and keeps the spans.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Requests that were not a trace export it could decode (each a description). */
  readonly refused: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<OtlpReceiver> {
    let receiver: OtlpReceiver | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        try {
          if (request.method !== "POST" || request.url !== "/v1/traces")
            throw new Error(`${request.method} ${request.url}`);
          if (request.headers["content-type"] !== "application/x-protobuf")
            throw new Error(`content-type ${request.headers["content-type"]}`);
          const body = Buffer.concat(chunks);
          const bytes = request.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body;
          receiver?.spans.push(...spansOf(exportMethod.requestDeserialize(bytes)));
          // An empty ExportTraceServiceResponse: everything accepted.
          response.writeHead(200, { "content-type": "application/x-protobuf" }).end();
        } catch (error) {
          receiver?.refused.push(String(error));
          response.writeHead(400).end();
        }
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    receiver = new OtlpReceiver(server, address.port);
    return receiver;
  }

  /** OTEL_EXPORTER_OTLP_ENDPOINT for a service exporting here (the SDK appends /v1/traces). */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The spans of one trace. */
  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function spansOf(request: ExportTraceServiceRequest): ReceivedSpan[] {
  return request.resourceSpans.flatMap((resourceSpans) => {
    const serviceName = String(attributesOf(resourceSpans.resource?.attributes ?? [])["service.name"]);
    return resourceSpans.scopeSpans.flatMap((scopeSpans) =>
      scopeSpans.spans.map((span) => ({
        traceId: span.traceId.toString("hex"),
        spanId: span.spanId.toString("hex"),
        parentSpanId: span.parentSpanId.toString("hex"),
        name: span.name,
        kind: span.kind,
        attributes: attributesOf(span.attributes),
        status: span.status?.code ?? "STATUS_CODE_UNSET",
        scope: scopeSpans.scope?.name ?? "",
        serviceName,
      })),
    );
  });
}

function attributesOf(keyValues: readonly KeyValue[]): Record<string, AttributeValue> {
  return Object.fromEntries(keyValues.map(({ key, value }) => [key, valueOf(value)]));
}

function valueOf(value: AnyValue | undefined): AttributeValue {
  switch (value?.value) {
    case "stringValue":
      return value.stringValue ?? "";
    case "boolValue":
      return value.boolValue ?? false;
    case "intValue":
      return Number(value.intValue);
    case "doubleValue":
      return value.doubleValue ?? 0;
    default:
      return null;
  }
}
