import { trace } from "@opentelemetry/api";

/**
 * The part of a pino logger the event side uses (pino's `Logger` satisfies it), so the relay can be given the
 * application's logger or a recording one in tests.
 */
export interface EventsLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Error details that are safe to log or store: the message, never connection strings or stack-carried secrets. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * pino's `mixin` while tracing is on (src/main.ts): a line logged inside a span carries its `trace_id` and
 * `span_id`, so a log search leads to the trace and back.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !trace.isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
