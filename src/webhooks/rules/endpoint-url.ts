import ipaddr from "ipaddr.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/** What may be delivered to, from the service's configuration (WEBHOOK_ALLOW_HTTP, WEBHOOK_ALLOW_PRIVATE). */
export interface UrlPolicy {
  /** http:// URLs too, not only https:// (local development and tests). */
  readonly allowHttp: boolean;
  /** Addresses that are not globally routable too: private, loopback, link-local, ... */
  readonly allowPrivate: boolean;
}

export const MAX_URL_LENGTH = 2048;

export type CheckedUrl = { ok: true; url: URL } | { ok: false; violation: FieldViolation };

/**
 * The syntax half of an endpoint URL's check, at `field`: present (REQUIRED), an absolute http(s) URL without
 * user name, password or fragment (INVALID_URL), https unless the policy allows http (URL_SCHEME_NOT_ALLOWED),
 * and, when its host is an IP address, an address the policy allows (URL_HOST_NOT_ALLOWED). A host name is
 * checked by resolving it (url-safety.ts), which is not pure.
 */
export function checkEndpointUrl(field: string, raw: string, policy: UrlPolicy): CheckedUrl {
  const fail = (reason: string, description: string): CheckedUrl => ({
    ok: false,
    violation: fieldViolation(field, reason, description),
  });
  if (raw === "") return fail("REQUIRED", "is required");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail("INVALID_URL", "must be an absolute URL, like https://example.com/webhooks");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return fail("INVALID_URL", "must be an https URL");
  }
  if (url.username !== "" || url.password !== "" || url.hash !== "" || raw.includes("#")) {
    return fail("INVALID_URL", "must not carry a user name, password or fragment");
  }
  if (url.protocol === "http:" && !policy.allowHttp) {
    return fail("URL_SCHEME_NOT_ALLOWED", "must be an https URL (this service does not deliver over plain http)");
  }
  const literal = ipLiteralOf(url.hostname);
  if (literal !== undefined && !isAllowedAddress(literal, policy.allowPrivate)) {
    return fail("URL_HOST_NOT_ALLOWED", hostNotAllowed(literal));
  }
  return { ok: true, url };
}

export function hostNotAllowed(address: string): string {
  return `${address} is not a public internet address (private, loopback, link-local, metadata, ...); webhooks are delivered only to public addresses`;
}

/** The address a URL's hostname is, if it is an IP literal ("[::1]" included); undefined for a name. */
export function ipLiteralOf(hostname: string): string | undefined {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : undefined;
}

/**
 * Whether a delivery may connect to `address`: only a globally routable unicast address, unless private ones are
 * allowed. ipaddr.js names the special ranges (IANA special-purpose registries); everything but "unicast" is
 * refused: private (10/8, 172.16/12, 192.168/16), loopback, link-local (169.254/16 with the cloud metadata
 * address 169.254.169.254, fe80::/10), unique-local (fc00::/7 with AWS's fd00:ec2::254), shared CGNAT space
 * (100.64/10), unspecified, broadcast, multicast, reserved and documentation ranges, and the IPv6 forms that embed
 * an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo), whose embedded address could be any of those.
 */
export function isAllowedAddress(address: string, allowPrivate: boolean): boolean {
  if (allowPrivate) return ipaddr.isValid(address);
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.parse(address).range() === "unicast";
}
