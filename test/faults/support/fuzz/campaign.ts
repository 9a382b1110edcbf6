import { gunzipSync } from "node:zlib";
import type { Prng } from "../prng.js";
import { generateCase, type FuzzCase, type FuzzTarget } from "./cases.js";
import { ORDER_MARKER } from "./requests.js";
import type { RawClient } from "./raw-client.js";
import { withKey } from "./regressions.js";
import { judge, type Verdict } from "./verdict.js";

export interface CampaignOptions {
  client: RawClient;
  requests: number;
  concurrency: number;
  prng: Prng;
  target: FuzzTarget;
  key: string;
  /** Checked between requests; the campaign stops early when the service has died. */
  alive: () => boolean;
  /** Called once per 5% of the requests (for memory samples). */
  onTwentieth?: (done: number) => void;
}

export interface CampaignResult {
  sent: number;
  /** Requests per verdict label, e.g. "connect:invalid_argument" → 1234. */
  labels: Map<string, number>;
  /** Requests per protocol family and transport, e.g. "grpc/h2". */
  families: Map<string, number>;
  /** Requests that got no HTTP response at all, by the client's error (reset stream, GOAWAY, closed socket). */
  transportErrors: Map<string, number>;
  /** Inputs that got INTERNAL (or UNKNOWN, DATA_LOSS, HTTP 500) or no answer at all. */
  failures: { index: number; fuzzCase: FuzzCase; verdict: Verdict }[];
  /** Orders the successful CreateOrder calls created. */
  createdOrderIds: Set<string>;
  /** Successful CreateOrder answers whose order id could not be read. */
  undecodable: number;
  /**
   * Request ids and order markers found in the bodies of CreateOrder calls that did not succeed, with
   * what those calls got: an order in the database carrying one was written by a call that failed.
   */
  unanswered: Map<string, { index: number; label: string; what: string }>;
  durationMs: number;
}

/**
 * Sends `requests` generated cases, `concurrency` at a time. Cases come from one seeded generator
 * in index order, so the same seed gives the same inputs however the responses interleave.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const result: CampaignResult = {
    sent: 0,
    labels: new Map(),
    families: new Map(),
    transportErrors: new Map(),
    failures: [],
    createdOrderIds: new Set(),
    undecodable: 0,
    unanswered: new Map(),
    durationMs: 0,
  };
  const started = performance.now();
  const twentieth = Math.max(1, Math.floor(options.requests / 20));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.requests && options.alive()) {
      const index = next++;
      const fuzzCase = generateCase(options.prng, options.target);
      const outcome = await options.client.send(withKey(fuzzCase, options.key));
      const verdict = judge(fuzzCase, outcome);
      result.sent += 1;
      increment(result.labels, verdict.label);
      increment(result.families, `${family(fuzzCase)}/${fuzzCase.transport}`);
      if (outcome.kind === "transport-error") increment(result.transportErrors, outcome.error.slice(0, 90));
      if (verdict.internal || verdict.hung) result.failures.push({ index, fuzzCase, verdict });
      // The path as routed: Connect ignores a query string.
      if (fuzzCase.path.split("?")[0] === "/orders.v1.OrdersService/CreateOrder") {
        if (verdict.ok && verdict.orderId) result.createdOrderIds.add(verdict.orderId);
        else if (verdict.ok) result.undecodable += 1;
        else
          for (const key of keysIn(fuzzCase.body))
            result.unanswered.set(key, {
              index,
              label: verdict.label,
              what: `${fuzzCase.category} ${fuzzCase.description.slice(0, 100)}`,
            });
      }
      if (result.sent % twentieth === 0) options.onTwentieth?.(result.sent);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** UUIDs (request ids) and order markers (see ORDER_MARKER) in a request body, gzipped or not. */
function keysIn(body: Uint8Array): string[] {
  if (body.byteLength > 64 * 1024) return [];
  const bytes = Buffer.from(body);
  // A gzip stream starts the body (Connect) or its first length-prefixed message (gRPC, gRPC-Web).
  const gzipAt = [0, 5].find((offset) => bytes[offset] === 0x1f && bytes[offset + 1] === 0x8b);
  const texts = [bytes.toString("latin1")];
  if (gzipAt !== undefined) {
    try {
      texts.push(gunzipSync(bytes.subarray(gzipAt), { maxOutputLength: 1024 * 1024 }).toString("latin1"));
    } catch {
      // Not a whole gzip stream (the fuzzer breaks many): nothing more to find.
    }
  }
  return texts.flatMap((text) => [
    ...(text.match(UUID) ?? []),
    ...[...text.matchAll(ORDER_MARKER)].map((m) => m[1] ?? ""),
  ]);
}

function family(fuzzCase: FuzzCase): string {
  const contentType = fuzzCase.headers["content-type"] ?? "";
  if (fuzzCase.transport === "tcp") return "raw";
  if (contentType.startsWith("application/grpc-web")) return "grpc-web";
  if (contentType.startsWith("application/grpc")) return "grpc";
  return "connect";
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** "a×3,b×1", largest first; past `limit` entries the rest are summed as "others". */
export function tally(map: Map<string, number>, limit = Number.POSITIVE_INFINITY): string {
  const sorted = [...map].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, limit).map(([key, n]) => `${key}×${n}`);
  const rest = sorted.slice(limit).reduce((sum, [, n]) => sum + n, 0);
  return [...shown, ...(rest > 0 ? [`others×${rest}`] : [])].join(",");
}
