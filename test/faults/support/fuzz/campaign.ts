import type { Prng } from "../prng.js";
import { generateCase, type FuzzCase, type FuzzTarget } from "./cases.js";
import { CREATE_ORDER, DELIVER_ORDER } from "./framing.js";
import type { RawClient, RawResult } from "./raw-client.js";
import { withKey } from "./regressions.js";
import { judge, type Verdict } from "./verdict.js";

export interface CampaignOptions {
  client: RawClient;
  requests: number;
  concurrency: number;
  prng: Prng;
  target: FuzzTarget;
  key: string;
  /** The tenant's admin key, for imports; without it they are sent with `key` and refused. */
  adminKey?: string;
  /** Checked between requests; the campaign stops early when the service has died. */
  alive: () => boolean;
  /** Called once per 5% of the requests (for memory samples). */
  onTwentieth?: (done: number) => void;
  /**
   * Puts a new order in slot `slot` of target.orderIds: called after a DeliverOrder of the slot's order
   * succeeded (no lifecycle call can change it any more), or a lifecycle call on it got INTERNAL (its state
   * is unknown), so that FulfillOrder and DeliverOrder keep reaching the database all run long.
   */
  replaceOrder?: (slot: number) => Promise<void>;
}

export interface CampaignResult {
  sent: number;
  /** Requests per verdict label, e.g. "connect:invalid_argument" → 1234. */
  labels: Map<string, number>;
  /** Requests per protocol family and transport, e.g. "grpc/h2". */
  families: Map<string, number>;
  /** Requests that got no HTTP response at all, by the client's error (reset stream, GOAWAY, closed socket). */
  transportErrors: Map<string, number>;
  /**
   * Examples of inputs that got INTERNAL (or UNKNOWN, DATA_LOSS, HTTP 500) or no answer at all: every hang
   * (up to 100) and the first few of each kind (category and answer); `failureKinds` counts them all.
   */
  failures: { index: number; fuzzCase: FuzzCase; verdict: Verdict }[];
  /** Failing inputs per kind ("category:label"). */
  failureKinds: Map<string, number>;
  internal: number;
  hung: number;
  /** Orders the successful CreateOrder calls created. */
  createdOrderIds: Set<string>;
  /** Successful CreateOrder answers whose order id could not be read. */
  undecodable: number;
  /** The category of case `index` (what regenerating the campaign from its seed must give again). */
  categoryOf: (index: number) => string;
  /** What case `index` got: its verdict label, or "transport(<error>)" when the answer was lost on the way. */
  outcomeOf: (index: number) => string;
  /** Request ids sent in FulfillOrder and DeliverOrder calls: the only ones besides orders' that may leave idempotency records. */
  lifecycleRequestIds: Set<string>;
  /** Target orders replaced after their delivery (see CampaignOptions.replaceOrder). */
  ordersReplaced: number;
  durationMs: number;
}

/** Examples kept per kind of failure; a bug tends to fail thousands of inputs alike. */
const EXAMPLES_PER_KIND = 3;
const MAX_HANG_EXAMPLES = 100;

/** Interns short strings as numbers, so a million per-case outcomes fit in a typed array. */
class Codes {
  readonly names: string[] = [];
  readonly #ids = new Map<string, number>();

  id(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.#ids.set(name, id);
    }
    return id;
  }
}

/** What an input got, for tracing: the verdict label, with the kind of error when the answer was lost. */
function outcomeName(verdict: Verdict, outcome: RawResult): string {
  if (outcome.kind !== "transport-error" || verdict.label !== "transport") return verdict.label;
  const kind = /NGHTTP2_[A-Z_]+/.exec(outcome.error)?.[0] ?? outcome.error.split(":")[0]?.trim() ?? "?";
  return `transport(${kind})`;
}

/**
 * Sends `requests` generated cases, `concurrency` at a time. Cases come from one seeded generator
 * in index order, so the same seed gives the same inputs however the responses interleave.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const categories = new Codes();
  const outcomes = new Codes();
  const categoryCodes = new Uint8Array(options.requests);
  const outcomeCodes = new Uint16Array(options.requests);
  const result: CampaignResult = {
    sent: 0,
    labels: new Map(),
    families: new Map(),
    transportErrors: new Map(),
    failures: [],
    failureKinds: new Map(),
    internal: 0,
    hung: 0,
    createdOrderIds: new Set(),
    undecodable: 0,
    categoryOf: (index) => categories.names[categoryCodes[index] ?? 0] ?? "?",
    outcomeOf: (index) => outcomes.names[outcomeCodes[index] ?? 0] ?? "?",
    lifecycleRequestIds: new Set(),
    ordersReplaced: 0,
    durationMs: 0,
  };
  const started = performance.now();
  const twentieth = Math.max(1, Math.floor(options.requests / 20));
  const replacing = new Set<number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.requests && options.alive()) {
      const index = next++;
      const fuzzCase = generateCase(options.prng, options.target);
      categoryCodes[index] = categories.id(fuzzCase.category);
      if (fuzzCase.lifecycleRequestId) result.lifecycleRequestIds.add(fuzzCase.lifecycleRequestId);
      const outcome = await options.client.send(withKey(fuzzCase, options.key, options.adminKey));
      const verdict = judge(fuzzCase, outcome);
      outcomeCodes[index] = outcomes.id(outcomeName(verdict, outcome));
      result.sent += 1;
      // Before any await below, so that no other worker's count passes the multiple meanwhile.
      if (result.sent % twentieth === 0) options.onTwentieth?.(result.sent);
      increment(result.labels, verdict.label);
      increment(result.families, `${family(fuzzCase)}/${fuzzCase.transport}`);
      if (outcome.kind === "transport-error") increment(result.transportErrors, outcome.error.slice(0, 90));
      if (verdict.internal || verdict.hung) {
        const kind = `${fuzzCase.category}:${verdict.label}`;
        increment(result.failureKinds, kind);
        if (verdict.internal) result.internal += 1;
        if (verdict.hung) result.hung += 1;
        const examples = result.failures.filter((f) => `${f.fuzzCase.category}:${f.verdict.label}` === kind).length;
        if (examples < EXAMPLES_PER_KIND || (verdict.hung && result.hung <= MAX_HANG_EXAMPLES))
          result.failures.push({ index, fuzzCase, verdict });
      }
      // The path as routed: Connect ignores a query string.
      const path = fuzzCase.path.split("?")[0];
      if (path === CREATE_ORDER) {
        if (verdict.ok && verdict.orderId) result.createdOrderIds.add(verdict.orderId);
        else if (verdict.ok) result.undecodable += 1;
      }
      const slot = fuzzCase.orderSlot;
      if (
        slot !== undefined &&
        options.replaceOrder &&
        !replacing.has(slot) &&
        ((path === DELIVER_ORDER && verdict.ok) || verdict.internal)
      ) {
        replacing.add(slot);
        try {
          await options.replaceOrder(slot);
          result.ordersReplaced += 1;
        } finally {
          replacing.delete(slot);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.durationMs = Math.round(performance.now() - started);
  return result;
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
