import { createHash } from "node:crypto";

/**
 * ListOrders page tokens (AIP-158). A token is the keyset position after the last order of a page —
 * its create time (to the microsecond, as PostgreSQL stores it) and id — plus a fingerprint of the
 * tenant and filters it was issued for, so a token can only continue the listing it came from.
 * Opaque to clients: base64url of a small JSON object, versioned so the format can change.
 */

export interface PageCursor {
  /** created_at of the last order of the previous page, RFC 3339 with microseconds in UTC. */
  createTime: string;
  /** id of that order: breaks ties between orders created in the same microsecond. */
  id: string;
}

export type DecodedToken =
  { ok: true; cursor: PageCursor } | { ok: false; reason: "INVALID_PAGE_TOKEN" | "PAGE_TOKEN_FILTERS_CHANGED" };

const VERSION = 1;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FINGERPRINT = /^[0-9a-f]{32}$/;

/** A stable fingerprint of the tenant and the filters: same listing, same fingerprint. */
export function listingFingerprint(listing: Readonly<Record<string, string | number | undefined>>): string {
  const canonical = Object.keys(listing)
    .sort()
    .map((key) => [key, listing[key] ?? null]);
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex").slice(0, 32);
}

export function encodePageToken(cursor: PageCursor, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: VERSION, t: cursor.createTime, i: cursor.id, f: fingerprint })).toString(
    "base64url",
  );
}

export function decodePageToken(token: string, fingerprint: string): DecodedToken {
  const invalid = { ok: false, reason: "INVALID_PAGE_TOKEN" } as const;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    return invalid;
  }
  if (typeof parsed !== "object" || parsed === null) return invalid;
  const { v, t, i, f } = parsed as Record<string, unknown>;
  if (v !== VERSION || typeof t !== "string" || typeof i !== "string" || typeof f !== "string") return invalid;
  if (!TIME.test(t) || !UUID.test(i) || !FINGERPRINT.test(f)) return invalid;
  if (f !== fingerprint) return { ok: false, reason: "PAGE_TOKEN_FILTERS_CHANGED" };
  return { ok: true, cursor: { createTime: t, id: i } };
}
