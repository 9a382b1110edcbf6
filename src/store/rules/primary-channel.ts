/**
 * Which sales channel of a tenant is primary after a change. The rule (as Shopify's and Spree's default
 * channel): once a tenant has channels, exactly one is primary; the first created is; making another
 * primary unsets the old one; the primary one cannot be unset, only replaced.
 */
export type PrimaryChange =
  { ok: true; primaryId: string; demotedId: string | undefined } | { ok: false; reason: "PRIMARY_CHANNEL_REQUIRED" };

/**
 * `currentPrimaryId`: the tenant's primary channel before the change (undefined when it has none, so the
 * channel is its first). `channelId`: the channel being created or updated. `wanted`: the primary flag the
 * request gives, or undefined when it does not set it (an update whose mask leaves `primary` out).
 */
export function primaryAfter(
  currentPrimaryId: string | undefined,
  channelId: string,
  wanted: boolean | undefined,
): PrimaryChange {
  if (currentPrimaryId === undefined) return { ok: true, primaryId: channelId, demotedId: undefined };
  if (currentPrimaryId === channelId) {
    return wanted === false
      ? { ok: false, reason: "PRIMARY_CHANNEL_REQUIRED" }
      : { ok: true, primaryId: channelId, demotedId: undefined };
  }
  return wanted === true
    ? { ok: true, primaryId: channelId, demotedId: currentPrimaryId }
    : { ok: true, primaryId: currentPrimaryId, demotedId: undefined };
}
