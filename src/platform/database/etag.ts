import { createHash } from "node:crypto";

/**
 * A resource's etag (AIP-154): derived from its row version, which every change bumps, and from its
 * id, so that the etag of one resource never matches another by accident (two fresh rows both have
 * version 1). Opaque to clients; 16 hex digits are plenty to tell versions of one resource apart.
 * Orders, companies, customers and their addresses all use it.
 */
export function etagOf(id: string, version: number): string {
  return createHash("sha256").update(`${id}:${version}`).digest("hex").slice(0, 16);
}
