import { hash } from "node:crypto";

/**
 * A resource's etag (AIP-154): derived from its row version, which every change bumps, and from its
 * id, so that the etag of one resource never matches another by accident (two fresh rows both have
 * version 1). Opaque to clients; 16 hex digits are plenty to tell versions of one resource apart.
 * Orders, companies, customers and their addresses all use it.
 */
export function etagOf(id: string, version: number): string {
  // crypto.hash: the one-shot form, a third of createHash().update().digest()'s cost (every order of a listing has one).
  return hash("sha256", `${id}:${version}`, "hex").slice(0, 16);
}
