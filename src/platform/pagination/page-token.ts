import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Page tokens of the List methods (AIP-158). A token is the keyset position after the last resource of a
 * page — its create time (to the microsecond, as PostgreSQL stores it) and id — plus a fingerprint of the
 * tenant and filters it was issued for (and of the listing, for every List method but ListOrders, whose
 * tokens predate the others), so a token can only continue the listing it came from.
 * Opaque to clients: `<payload>.<signature>`, the payload base64url of a small versioned JSON object,
 * the signature base64url of its HMAC-SHA256 under the server's page-token key (page-token-key.ts).
 * A token that was edited, made up or signed under another key is refused before any of its values is
 * used, and the values are checked as values too (a real calendar time, a UUID), so nothing a client
 * writes into a token reaches PostgreSQL.
 */

export interface PageCursor {
  /** created_at of the last resource of the previous page, RFC 3339 with microseconds in UTC. */
  createTime: string;
  /** id of that resource: breaks ties between resources created in the same microsecond. */
  id: string;
}

export type DecodedToken =
  { ok: true; cursor: PageCursor } | { ok: false; reason: "INVALID_PAGE_TOKEN" | "PAGE_TOKEN_FILTERS_CHANGED" };

/** Version 1 tokens had no signature and are no longer accepted. */
const VERSION = 2;
/** Shortest key accepted: HMAC-SHA256's block of security. */
export const MIN_KEY_BYTES = 32;

const TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FINGERPRINT = /^[0-9a-f]{32}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SIGNATURE_BYTES = 32;

/** Signs and reads the page tokens of one key. */
export class PageTokens {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length < MIN_KEY_BYTES) throw new Error(`a page-token key needs at least ${MIN_KEY_BYTES} bytes`);
    this.key = Buffer.from(key);
  }

  /**
   * A stable fingerprint of the tenant and the filters: same listing, same fingerprint. Keyed, so a token
   * tells nothing about the tenant or the filters to someone who guesses them.
   */
  fingerprint(listing: Readonly<Record<string, string | number | undefined>>): string {
    const canonical = Object.keys(listing)
      .sort()
      .map((key) => [key, listing[key] ?? null]);
    return this.mac("listing", JSON.stringify(canonical)).toString("hex").slice(0, 32);
  }

  encode(cursor: PageCursor, fingerprint: string): string {
    const payload = Buffer.from(
      JSON.stringify({ v: VERSION, t: cursor.createTime, i: cursor.id, f: fingerprint }),
    ).toString("base64url");
    return `${payload}.${this.mac("token", payload).toString("base64url")}`;
  }

  decode(token: string, fingerprint: string): DecodedToken {
    const invalid = { ok: false, reason: "INVALID_PAGE_TOKEN" } as const;
    const parts = token.split(".");
    const [payload = "", signature = ""] = parts;
    if (parts.length !== 2 || !BASE64URL.test(payload) || !BASE64URL.test(signature)) return invalid;
    const given = Buffer.from(signature, "base64url");
    if (given.length !== SIGNATURE_BYTES || !timingSafeEqual(given, this.mac("token", payload))) return invalid;

    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      return invalid;
    }
    if (typeof parsed !== "object" || parsed === null) return invalid;
    const { v, t, i, f } = parsed as Record<string, unknown>;
    if (v !== VERSION || typeof t !== "string" || typeof i !== "string" || typeof f !== "string") return invalid;
    if (!isCursorTime(t) || !UUID.test(i) || !FINGERPRINT.test(f)) return invalid;
    if (f !== fingerprint) return { ok: false, reason: "PAGE_TOKEN_FILTERS_CHANGED" };
    return { ok: true, cursor: { createTime: t, id: i } };
  }

  /** HMAC-SHA256 of `text`, separated by `purpose` so a fingerprint can never pass as a signature. */
  private mac(purpose: "listing" | "token", text: string): Buffer {
    return createHmac("sha256", this.key).update(`orderspine.v1.page-${purpose}\n${text}`).digest();
  }
}

/**
 * A time PostgreSQL reads as the instant it says: RFC 3339 in UTC with microseconds, on a day the
 * calendar has (no 2024-02-30), hours 0-23, years 0001-9999. The shape alone is not enough.
 */
export function isCursorTime(text: string): boolean {
  const match = TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (
    year >= 1 &&
    days !== undefined &&
    day >= 1 &&
    day <= days &&
    hour <= 23 &&
    minute <= 59 &&
    // PostgreSQL reads a leap second 60 as the next minute; to_char never writes one.
    second <= 59
  );
}
