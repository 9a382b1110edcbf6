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
