import { fieldViolation } from "../../money/field-violation.js";
import { ServiceError } from "../transport/service-error.js";
import type { PageCursor, PageTokens } from "./page-token.js";

/**
 * Where a List call's page starts: nowhere (the first page) for an empty token, else the token's cursor.
 * A token that is not ours, was changed, or was issued for other filters is INVALID_ARGUMENT with a field
 * violation on page_token (reason INVALID_PAGE_TOKEN or PAGE_TOKEN_FILTERS_CHANGED).
 */
export function pageStart(pageTokens: PageTokens, token: string, fingerprint: string): PageCursor | undefined {
  if (token === "") return undefined;
  const decoded = pageTokens.decode(token, fingerprint);
  if (decoded.ok) return decoded.cursor;
  const description =
    decoded.reason === "PAGE_TOKEN_FILTERS_CHANGED"
      ? "was issued for other filters; send the same filters as the call that returned it"
      : "is not a page token this service issued, or was changed";
  throw ServiceError.invalidArgument([fieldViolation("page_token", decoded.reason, description)]);
}

/** A page_size as AIP-158 reads it: 0 means the default, more than the maximum means the maximum. */
export function pageSizeOf(requested: number, defaultSize: number, maxSize: number): number {
  return requested <= 0 ? defaultSize : Math.min(requested, maxSize);
}

/**
 * A row's created_at to the microsecond, in the form page tokens carry (a JS Date keeps only milliseconds):
 * selected beside each row of a page, it is the position the next page token starts after.
 */
export const CURSOR_TIME_SQL = `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
