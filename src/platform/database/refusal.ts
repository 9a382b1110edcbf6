// A statement that refuses to commit: `refuseUnless` is a condition for the main query of a statement of
// data-modifying CTEs (e.g. `select ... where ${refuseUnless(...)}`). When the condition is false when the statement
// runs, PostgreSQL raises SQLSTATE OS001 (the function orderspine_refuse, Migration20261203030000) and the statement,
// its own transaction, writes nothing: every CTE is undone with it. `isRefusal` recognises that error by its reason.

import { Routine } from "@mikro-orm/core";

/** The SQLSTATE orderspine_refuse raises (class OS: Orderspine's own, unused by PostgreSQL). */
export const REFUSAL_SQLSTATE = "OS001";

/**
 * orderspine_refuse(reason): raises REFUSAL_SQLSTATE with `reason` as the message. Declared to MikroORM (orm.ts
 * `routines`) so the schema it compares with the migrations' has it; created by Migration20261203030000.
 */
export const RefuseRoutine = new Routine({
  name: "orderspine_refuse",
  type: "function",
  language: "plpgsql",
  deterministic: false,
  params: { reason: { type: "text", runtimeType: "string" } },
  returns: { runtimeType: "boolean", columnType: "boolean" },
  body: `begin raise exception using errcode = '${REFUSAL_SQLSTATE}', message = reason; end;`,
});

const REASON = /^[A-Z][A-Z0-9_]*$/;

/**
 * SQL that is true when `condition` (SQL) is, and otherwise raises a refusal with `reason` (an upper-case constant,
 * written into the SQL as it is). CASE evaluates the refusal only when the condition is false; the condition must
 * read what the statement writes (a CTE's RETURNING) so that it is computed when the statement runs.
 */
export function refuseUnless(condition: string, reason: string): string {
  if (!REASON.test(reason)) throw new Error(`a refusal's reason is an upper-case constant, got "${reason}"`);
  return `(case when ${condition} then true else orderspine_refuse('${reason}') end)`;
}

/** Whether `err` is a statement's refusal (refuseUnless) for `reason`: nothing of that statement was written. */
export function isRefusal(err: unknown, reason: string): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (Reflect.get(e, "code") === REFUSAL_SQLSTATE && e.message.endsWith(reason)) return true;
  }
  return false;
}
