import { ConnectionException, UniqueConstraintViolationException } from "@mikro-orm/core";

// MikroORM 7 converts PostgreSQL server errors by SQLSTATE (23505 -> UniqueConstraintViolationException
// and so on) and copies the pg error's fields (code, constraint, ...) onto the converted error. It has
// no PostgreSQL mapping to ConnectionException: a refused or dropped connection arrives as a plain
// DriverException or as the raw `pg`/`pg-pool`/socket error (e.g. when a transaction cannot even
// begin). So both checks look at the SQLSTATE / errno `code` and the message, along the cause chain.

/** Socket-level failures: the server is not reachable or went away. */
const NETWORK_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** SQLSTATEs meaning the server is shutting down, restarting or not accepting connections yet. */
const UNAVAILABLE_SQLSTATES = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, in recovery)
  "53300", // too_many_connections: no connection can be had right now
]);

/** Errors `pg` and `pg-pool` raise without a code when a connection cannot be had or is lost. */
const CONNECTION_LOST_MESSAGES = [
  "Connection terminated", // also "... unexpectedly" and "... due to connection timeout"
  "Client has encountered a connection error and is not queryable",
  "Client was closed and is not queryable",
];

/**
 * pg-pool's error when every pooled connection stayed checked out for the whole acquire timeout:
 * the pool waits for one of ITS OWN clients to be released, it does not connect. A new connection
 * that cannot be made fails as "Connection terminated due to connection timeout" or with a socket
 * error instead, so this one means the replica is overloaded, not that the database is down.
 */
const POOL_EXHAUSTED_MESSAGE = "timeout exceeded when trying to connect";

/** True when `err` (or one of its causes) is a unique violation, optionally of the named constraint/index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  return errorChain(err).some(
    (e) =>
      (e instanceof UniqueConstraintViolationException || stringField(e, "code") === "23505") &&
      (constraint === undefined || stringField(e, "constraint") === constraint),
  );
}

/**
 * True when `err` (or one of its causes) is PostgreSQL ending a transaction to break a deadlock
 * (SQLSTATE 40P01): nothing of it was written, and the same call may succeed when retried.
 */
export function isDeadlock(err: unknown): boolean {
  return errorChain(err).some((e) => stringField(e, "code") === "40P01");
}

/**
 * True when `err` (or one of its causes) means the database cannot be reached right now — refused,
 * reset or terminated connections, server shutdown/startup (57P01-57P03),
 * connection exceptions (SQLSTATE class 08). Callers answer these with UNAVAILABLE, not INTERNAL.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  return errorChain(err).some((e) => {
    if (e instanceof ConnectionException) return true;
    const code = stringField(e, "code");
    if (code !== undefined) {
      if (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
      if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    }
    return CONNECTION_LOST_MESSAGES.some((m) => e.message.startsWith(m));
  });
}

/**
 * True when `err` (or one of its causes) says no pooled connection was released in time: the
 * database answers, but this replica has more work in flight than connections. Callers answer
 * RESOURCE_EXHAUSTED (retry later), not UNAVAILABLE (the database is down).
 */
export function isConnectionPoolExhausted(err: unknown): boolean {
  return errorChain(err).some((e) => e.message.startsWith(POOL_EXHAUSTED_MESSAGE));
}

/** `err`, its `cause`s and the members of AggregateErrors (node reports a failed dual-stack connect so). */
function errorChain(err: unknown): Error[] {
  const seen = new Set<unknown>();
  const out: Error[] = [];
  const visit = (e: unknown): void => {
    if (!(e instanceof Error) || seen.has(e) || out.length > 32) return;
    seen.add(e);
    out.push(e);
    visit(e.cause);
    if (e instanceof AggregateError) for (const inner of e.errors) visit(inner);
  };
  visit(err);
  return out;
}

function stringField(e: Error, field: string): string | undefined {
  const value: unknown = Reflect.get(e, field);
  return typeof value === "string" ? value : undefined;
}
