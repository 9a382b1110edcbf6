import { Code, ConnectError } from "@connectrpc/connect";
import { setTimeout as sleep } from "node:timers/promises";
import { ErrorInfoSchema } from "../../../gen/google/rpc/error_details_pb.js";
import { Channel } from "../../../gen/orders/v1/order_pb.js";
import type { Clients } from "../../support/clients.js";
import type { Prng } from "./prng.js";
import { scaledDeadline } from "./slowness.js";

/** What one CreateOrder call looked like from the client. */
export interface CallOutcome {
  worker: number;
  /** performance.now() when the call started and when its answer (or error) arrived. */
  startedAt: number;
  endedAt: number;
  requestId: string;
  lines: number;
  ok: boolean;
  orderId?: string;
  orderNumber?: string;
  code?: Code;
  /** google.rpc.ErrorInfo reason: present only when the service itself answered with the error. */
  reason?: string;
  message?: string;
}

export interface LoadOptions {
  concurrency: number;
  /** The clients worker n uses for its next call; a scenario can point them at a restarted service. */
  clients: (worker: number) => Clients;
  customerId: string;
  prng: Prng;
  /** Each order gets 1..maxLines lines (default 5). */
  maxLines?: number;
  /** A worker that got an error waits this long before its next call (the service may be down). */
  pauseAfterErrorMs?: number;
  /** Client deadline: a call that hangs this long is a failure of its own (DEADLINE_EXCEEDED). 30 s, scaled (at most 60 s). */
  callTimeoutMs?: number;
}

/**
 * A closed-loop load generator: `concurrency` workers, each sending CreateOrder (with a request_id,
 * so a scenario can look each call up in the database) as soon as its previous call returned.
 */
export class Load {
  readonly outcomes: CallOutcome[] = [];
  readonly #stop = new AbortController();
  readonly #workers: Promise<void>[];

  constructor(readonly options: LoadOptions) {
    this.#workers = Array.from({ length: options.concurrency }, (_, worker) => this.#run(worker, options.prng.fork()));
  }

  /** Stops sending and waits for the calls in flight. */
  async stop(): Promise<CallOutcome[]> {
    this.#stop.abort();
    await Promise.all(this.#workers);
    return this.outcomes;
  }

  /** Successful calls that started after `since` (performance.now()). */
  okSince(since: number): number {
    return this.outcomes.filter((o) => o.ok && o.startedAt >= since).length;
  }

  async #run(worker: number, prng: Prng): Promise<void> {
    const { customerId, maxLines = 5, pauseAfterErrorMs = 50, callTimeoutMs = scaledDeadline(30_000) } = this.options;
    while (!this.#stop.signal.aborted) {
      const requestId = crypto.randomUUID();
      const lines = prng.int(1, maxLines);
      const startedAt = performance.now();
      try {
        const { order } = await this.options
          .clients(worker)
          .orders.createOrder(orderRequest(customerId, requestId, lines), { timeoutMs: callTimeoutMs });
        this.outcomes.push({
          worker,
          startedAt,
          endedAt: performance.now(),
          requestId,
          lines,
          ok: true,
          orderId: order?.id,
          orderNumber: order?.orderNumber,
        });
      } catch (error) {
        const e = ConnectError.from(error);
        const reason = e.findDetails(ErrorInfoSchema)[0]?.reason;
        this.outcomes.push({
          worker,
          startedAt,
          endedAt: performance.now(),
          requestId,
          lines,
          ok: false,
          code: e.code,
          reason,
          message: e.rawMessage,
        });
        await sleep(pauseAfterErrorMs);
      }
    }
  }
}

/** A valid order of `lines` lines; amounts with cents so the money path is exercised. */
export function orderRequest(customerId: string, requestId: string, lines: number) {
  return {
    customerId,
    requestId,
    currency: "USD",
    channel: Channel.B2B_PORTAL,
    items: Array.from({ length: lines }, (_, i) => ({
      sku: `SKU-${i}`,
      name: `Part ${i}`,
      quantity: 1 + (i % 3),
      unitPrice: `${10 + i}.25`,
    })),
  };
}

export interface LoadSummary {
  calls: number;
  ok: number;
  failed: number;
  /** Failure counts by code name, e.g. "Unavailable:DATABASE_UNAVAILABLE=12 Aborted=1". */
  failures: string;
  p50Ms: number;
  p99Ms: number;
}

export function summarize(outcomes: readonly CallOutcome[]): LoadSummary {
  const ok = outcomes.filter((o) => o.ok);
  const latencies = ok.map((o) => o.endedAt - o.startedAt).sort((a, b) => a - b);
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    if (o.ok) continue;
    const name = `${Code[o.code ?? Code.Unknown]}${o.reason ? `:${o.reason}` : ""}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return {
    calls: outcomes.length,
    ok: ok.length,
    failed: outcomes.length - ok.length,
    failures: counts.size === 0 ? "none" : [...counts].map(([name, n]) => `${name}×${n}`).join(","),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const value = sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return Math.round(value * 10) / 10;
}
