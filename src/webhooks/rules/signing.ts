import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** Random bytes of a signing secret: 256 bits, as much as HMAC-SHA256 can use. */
const SECRET_BYTES = 32;

/** A new signing secret as the Standard Webhooks libraries take it: `whsec_` + base64 of 32 random bytes. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString("base64")}`;
}

/** The Standard Webhooks headers of one attempt. */
export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * The headers of an attempt: the event id, the attempt's time in whole seconds, and one `v1,<signature>` per
 * secret, space separated (the current secret first, then, during a rotation, the one it replaced). Signed
 * by the `standardwebhooks` package's Webhook.sign, the reference implementation receivers verify with.
 */
export function signedHeaders(
  secrets: readonly string[],
  eventId: string,
  timestamp: Date,
  body: string,
): SignedHeaders {
  if (secrets.length === 0) throw new Error("a delivery needs at least one signing secret");
  const seconds = new Date(Math.floor(timestamp.getTime() / 1000) * 1000);
  return {
    "webhook-id": eventId,
    "webhook-timestamp": String(seconds.getTime() / 1000),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(eventId, seconds, body)).join(" "),
  };
}

/** The secrets that sign at `now`: the current one, and the one it replaced while that still signs. */
export function signingSecrets(
  endpoint: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null },
  now: Date,
): string[] {
  const previousSigns =
    endpoint.previousSecret !== null &&
    endpoint.previousSecretExpiresAt !== null &&
    endpoint.previousSecretExpiresAt.getTime() > now.getTime();
  return previousSigns && endpoint.previousSecret !== null
    ? [endpoint.secret, endpoint.previousSecret]
    : [endpoint.secret];
}
