import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { enableSpans } from "./tracing.js";

export interface TracingSdk {
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK (docs/tracing.md), configured by the OTEL_* variables (endpoint, protocol, headers,
 * sampler, batch delays): src/main.ts imports this module only when tracing is on, and before the application's
 * modules, so the pg instrumentation is in place before the driver loads. Traces only: metrics are Prometheus', logs
 * the JSON lines on stdout (with trace_id and span_id).
 *
 * The pg driver is instrumented without an ESM loader hook (import-in-the-middle): MikroORM imports `pg` as ESM, but
 * pg's ESM entry wraps its CommonJS files, which load through `require`, where the instrumentation's require hook
 * patches `pg/lib/client.js` and `pg-pool` (test/platform/tracing.test.ts proves the query spans arrive). Database
 * spans are made only inside a traced operation (`requireParentSpan`): the relay's and the webhook worker's polls,
 * which run every second on every replica, make none. Query parameters are never recorded.
 */
export function startTracingSdk(env: NodeJS.ProcessEnv = process.env): TracingSdk {
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME, when set, names the service instead (the SDK's env resource detector).
    serviceName: env.OTEL_SERVICE_NAME ? undefined : "orderspine",
    instrumentations: [new PgInstrumentation({ requireParentSpan: true })],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  enableSpans();
  return sdk;
}
