import { lookup } from "node:dns/promises";
import { fieldViolation, type FieldViolation } from "../money/field-violation.js";
import {
  checkEndpointUrl,
  hostNotAllowed,
  ipLiteralOf,
  isAllowedAddress,
  type UrlPolicy,
} from "./rules/endpoint-url.js";

/** An address a delivery may connect to. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

export type ResolvedHost =
  | { ok: true; addresses: CheckedAddress[] }
  | { ok: false; reason: "URL_HOST_NOT_ALLOWED" | "URL_HOST_NOT_RESOLVED"; description: string };

/**
 * The addresses of `hostname` (a URL's, IPv6 literals in brackets) a delivery may connect to: an IP literal as
 * it is, a name resolved by the system resolver (as any connection would be). A name with any address the policy
 * refuses is refused as a whole, so that a name cannot smuggle a private address in among public ones.
 */
export async function resolveHost(hostname: string, policy: UrlPolicy): Promise<ResolvedHost> {
  const literal = ipLiteralOf(hostname);
  if (literal !== undefined) {
    return isAllowedAddress(literal, policy.allowPrivate)
      ? { ok: true, addresses: [{ address: literal, family: literal.includes(":") ? 6 : 4 }] }
      : { ok: false, reason: "URL_HOST_NOT_ALLOWED", description: hostNotAllowed(literal) };
  }
  let resolved: { address: string; family: number }[];
  try {
    resolved = await lookup(hostname, { all: true, order: "verbatim" });
  } catch {
    resolved = [];
  }
  if (resolved.length === 0) {
    return { ok: false, reason: "URL_HOST_NOT_RESOLVED", description: `${hostname} does not resolve to an address` };
  }
  const refused = resolved.find((entry) => !isAllowedAddress(entry.address, policy.allowPrivate));
  if (refused !== undefined) {
    return {
      ok: false,
      reason: "URL_HOST_NOT_ALLOWED",
      description: `${hostname} resolves to ${hostNotAllowed(refused.address)}`,
    };
  }
  return {
    ok: true,
    addresses: resolved.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 })),
  };
}

/** CreateWebhookEndpoint's and UpdateWebhookEndpoint's check of a URL at `field`: its syntax, then its host. */
export async function endpointUrlViolations(field: string, raw: string, policy: UrlPolicy): Promise<FieldViolation[]> {
  const checked = checkEndpointUrl(field, raw, policy);
  if (!checked.ok) return [checked.violation];
  const host = await resolveHost(checked.url.hostname, policy);
  return host.ok ? [] : [fieldViolation(field, host.reason, host.description)];
}
