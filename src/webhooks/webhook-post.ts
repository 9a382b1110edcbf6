import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { checkEndpointUrl, type UrlPolicy } from "./rules/endpoint-url.js";
import type { SignedHeaders } from "./rules/signing.js";
import { resolveHost, type CheckedAddress } from "./url-safety.js";

/** The most of an answer's body an attempt reads; the rest is never read (the connection is closed). */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** The most of it an attempt keeps for ListWebhookDeliveries. */
export const KEPT_RESPONSE_BYTES = 1024;

export interface PostOptions {
  readonly policy: UrlPolicy;
  /** The whole attempt, connecting and reading the answer included. */
  readonly timeoutMs: number;
  readonly userAgent: string;
}

/** What an attempt sends besides the body: the Standard Webhooks signature, and the trace it is part of. */
export type WebhookHeaders = SignedHeaders & { traceparent?: string };

/** What an attempt found. */
export interface PostResult {
  responseCode: number;
  succeeded: boolean;
  error: string;
  responseBody: string;
  durationMs: number;
}

/**
 * One attempt: POSTs `body` with the signed headers to `url`. The URL is checked again first, its host resolved
 * and every address checked against the policy, and the connection goes to a checked address (a custom
 * `lookup` hands the socket the address that was checked, so a name that resolves differently a moment later,
 * DNS rebinding, cannot redirect it). Redirects are not followed (a 3xx is a failure), at most MAX_RESPONSE_BYTES
 * of the answer are read, and the attempt gives up after `timeoutMs`. Never throws: a failure is a result.
 */
export async function postWebhook(
  rawUrl: string,
  headers: WebhookHeaders,
  body: string,
  options: PostOptions,
): Promise<PostResult> {
  const started = performance.now();
  const result = (partial: Omit<PostResult, "durationMs">): PostResult => ({
    ...partial,
    durationMs: performance.now() - started,
  });
  const failure = (error: string, responseCode = 0, responseBody = "") =>
    result({ responseCode, succeeded: false, error, responseBody });
  const checked = checkEndpointUrl("url", rawUrl, options.policy);
  if (!checked.ok) return failure(`URL refused: ${checked.violation.description}`);
  const url = checked.url;
  const host = await resolveHost(url.hostname, options.policy);
  if (!host.ok) return failure(`URL refused: ${host.description}`);
  try {
    const answer = await send(url, host.addresses, headers, body, options);
    const ok = answer.status >= 200 && answer.status < 300;
    const error = ok
      ? ""
      : answer.status >= 300 && answer.status < 400
        ? `redirect (HTTP ${answer.status}) not followed`
        : `HTTP ${answer.status}`;
    return result({ responseCode: answer.status, succeeded: ok, error, responseBody: answer.body });
  } catch (err) {
    return failure(err instanceof Error ? err.message : String(err));
  }
}

function send(
  url: URL,
  addresses: readonly CheckedAddress[],
  signed: WebhookHeaders,
  body: string,
  options: PostOptions,
): Promise<{ status: number; body: string }> {
  const payload = Buffer.from(body, "utf8");
  // Connect to the checked addresses only; net calls this with `all` when it races IPv4 and IPv6.
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all === true)
      callback(
        null,
        addresses.map(({ address, family }) => ({ address, family })),
      );
    else callback(null, addresses[0]?.address ?? "", addresses[0]?.family ?? 4);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port === "" ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: "POST",
        lookup: pinned,
        agent: false,
        headers: {
          "content-type": "application/json",
          "content-length": String(payload.length),
          "user-agent": options.userAgent,
          ...signed,
        },
      },
      (response) => {
        const kept: Buffer[] = [];
        let read = 0;
        const finish = (): void => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, body: text(Buffer.concat(kept)) });
        };
        response.on("data", (chunk: Buffer) => {
          const room = KEPT_RESPONSE_BYTES - Math.min(read, KEPT_RESPONSE_BYTES);
          if (room > 0) kept.push(chunk.subarray(0, room));
          read += chunk.length;
          // Enough read: the rest of the body is never downloaded.
          if (read >= MAX_RESPONSE_BYTES) {
            response.destroy();
            finish();
          }
        });
        response.on("end", finish);
        response.on("error", (err) => {
          clearTimeout(timer);
          reject(err);
        });
      },
    );
    // The whole attempt, a slow body included: the first to settle the promise wins.
    const timer = setTimeout(() => {
      reject(new Error(`timed out after ${options.timeoutMs} ms`));
      request.destroy();
    }, options.timeoutMs);
    request.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    request.end(payload);
  });
}

/** The kept bytes as text: cut where the 1024 bytes end, an incomplete character is replaced, not kept. */
function text(bytes: Buffer): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}
