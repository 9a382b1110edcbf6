import { createHash } from "node:crypto";

/**
 * An order's etag (AIP-154): derived from its row version, which every change bumps, and from its
 * id, so that the etag of one order never matches another order by accident (two fresh orders both
 * have version 1). Opaque to clients; 16 hex digits are plenty to tell versions of one order apart.
 */
export function etagOf(orderId: string, version: number): string {
  return createHash("sha256").update(`${orderId}:${version}`).digest("hex").slice(0, 16);
}
