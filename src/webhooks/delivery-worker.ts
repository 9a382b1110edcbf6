import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type pg from "pg";
import { describeError, type EventsLogger } from "../platform/logging.js";
import { LoopPause } from "../platform/loop-pause.js";
import { contextOfTraceparent, inSpan, outgoingTraceparent } from "../platform/tracing.js";
import { countAttempt } from "./metrics.js";
import { claimDueDeliveries, recordAttempt, type ClaimedDelivery } from "./queries.js";
import { nextAttemptAfterFailure, type RetryPolicy } from "./rules/retry-schedule.js";
import { signedHeaders, signingSecrets } from "./rules/signing.js";
import type { PostResult, WebhookHeaders } from "./webhook-post.js";

export interface DeliveryWorkerOptions {
  readonly pool: () => Promise<pg.Pool>;
  readonly logger: EventsLogger;
  /** One attempt (webhook-post.ts's postWebhook with the configured policy and timeout). */
  readonly post: (url: string, headers: WebhookHeaders, body: string) => Promise<PostResult>;
  readonly retry: RetryPolicy;
  /** How long one attempt may take; a claimed delivery is leased for twice that. */
  readonly timeoutMs: number;
  /** Attempts in flight at once, over every endpoint. */
  readonly concurrency: number;
  /** Attempts in flight at once to one endpoint. */
  readonly perEndpointConcurrency: number;
  /** How often it looks for due retries when nothing woke it. */
  readonly pollIntervalMs: number;
  /** The clock (tests move it). */
  readonly now?: () => Date;
}

/**
 * Sends queued deliveries. Each round claims as many due deliveries as it has free slots (a lease in the row,
 * taken with FOR UPDATE SKIP LOCKED, so replicas never send one delivery at once), at most
 * `perEndpointConcurrency` in flight per endpoint, so a slow endpoint holds a few slots and never the others'.
 * Every attempt is recorded with what follows from it (success, the next retry, giving up, disabling the
 * endpoint) in one statement. A replica that dies mid-attempt leaves a lease that runs out, and another replica
 * tries again: a receiver may then see the same webhook-id twice, which is what it deduplicates on.
 */
export class DeliveryWorker {
  readonly #options: DeliveryWorkerOptions;
  readonly #now: () => Date;
  readonly #stop = new AbortController();
  /** Attempts in flight, and per endpoint how many. */
  readonly #inFlight = new Set<Promise<void>>();
  readonly #perEndpoint = new Map<string, number>();
  readonly #pause = new LoopPause(this.#stop.signal);
  #running: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;

  constructor(options: DeliveryWorkerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.#running !== null || this.#stopping !== null) return;
    this.#running = this.#loop();
  }

  /** Something was queued or an attempt finished: look for due deliveries now. */
  wake(): void {
    this.#pause.wake();
  }

  /** Stops claiming, then waits for the attempts in flight (each ends within the timeout). Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#stop.abort();
      await this.#running;
      await Promise.all([...this.#inFlight]);
    })();
    return this.#stopping;
  }

  async #loop(): Promise<void> {
    let failures = 0;
    while (!this.#stop.signal.aborted) {
      this.#pause.newRound();
      const free = this.#options.concurrency - this.#inFlight.size;
      if (free > 0) {
        try {
          const claimed = await this.#claim(free);
          failures = 0;
          for (const delivery of claimed) this.#attempt(delivery);
          // Every slot filled: more may be due right away, once a slot frees (which wakes the loop).
          if (claimed.length > 0 && claimed.length === free) continue;
        } catch (err) {
          failures += 1;
          const retryInMs = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
          this.#options.logger.error({ err: describeError(err), retryInMs }, "webhook worker cannot claim; retrying");
          await this.#pause.wait(retryInMs, false);
          continue;
        }
      }
      await this.#pause.wait(this.#options.pollIntervalMs, true);
    }
  }

  async #claim(limit: number): Promise<ClaimedDelivery[]> {
    const now = this.#now();
    return claimDueDeliveries(await this.#options.pool(), {
      now,
      leaseUntil: new Date(now.getTime() + 2 * this.#options.timeoutMs),
      limit,
      perEndpoint: this.#options.perEndpointConcurrency,
      busy: this.#perEndpoint,
    });
  }

  #attempt(delivery: ClaimedDelivery): void {
    const endpointId = delivery.endpointId;
    this.#perEndpoint.set(endpointId, (this.#perEndpoint.get(endpointId) ?? 0) + 1);
    const running = this.#send(delivery)
      .catch((err: unknown) => {
        // Not recorded (the database failed): the lease runs out and the delivery is tried again.
        this.#options.logger.error(
          { err: describeError(err), deliveryId: delivery.id },
          "webhook attempt not recorded; it will be tried again",
        );
      })
      .finally(() => {
        this.#inFlight.delete(running);
        const left = (this.#perEndpoint.get(endpointId) ?? 1) - 1;
        if (left > 0) this.#perEndpoint.set(endpointId, left);
        else this.#perEndpoint.delete(endpointId);
        this.wake();
      });
    this.#inFlight.add(running);
  }

  async #send(delivery: ClaimedDelivery): Promise<void> {
    const { retry } = this.#options;
    const attemptedAt = this.#now();
    const headers = signedHeaders(signingSecrets(delivery, attemptedAt), delivery.eventId, attemptedAt, delivery.body);
    const result = await attemptSpan(delivery, (traceparent) =>
      this.#options.post(delivery.url, traceparent === null ? headers : { ...headers, traceparent }, delivery.body),
    );
    const now = this.#now();
    const next = result.succeeded
      ? null
      : nextAttemptAfterFailure(delivery.attemptNumber, delivery.createdAt, now, retry);
    const { disabled } = await recordAttempt(await this.#options.pool(), {
      deliveryId: delivery.id,
      attemptNumber: delivery.attemptNumber,
      attemptedAt,
      durationMs: result.durationMs,
      responseCode: result.responseCode,
      succeeded: result.succeeded,
      error: result.error.slice(0, 500),
      responseBody: result.responseBody,
      status: result.succeeded ? "succeeded" : next === null ? "failed" : "pending",
      nextAttemptAt: next,
      disableFailingSince: new Date(now.getTime() - retry.disableAfterMs),
      now,
    });
    countAttempt(result.succeeded ? "succeeded" : next === null || disabled ? "failed" : "retry", result.durationMs);
    if (disabled) {
      this.#options.logger.warn(
        { endpointId: delivery.endpointId },
        "webhook endpoint disabled: its deliveries have failed for 5 days without a success",
      );
    }
  }
}

/**
 * An attempt as a CLIENT span in the trace of the event it delivers (the publish span's child, docs/tracing.md), whose
 * context the receiver gets as the `traceparent` header; a failed attempt's span has status ERROR.
 */
async function attemptSpan(
  delivery: ClaimedDelivery,
  post: (traceparent: string | null) => Promise<PostResult>,
): Promise<PostResult> {
  const url = URL.canParse(delivery.url) ? new URL(delivery.url) : undefined;
  return inSpan(
    `webhook ${delivery.eventType}`,
    async (span) => {
      const result = await post(outgoingTraceparent(span, delivery.traceparent));
      if (result.responseCode > 0) span.setAttribute("http.response.status_code", result.responseCode);
      if (!result.succeeded) {
        span.setAttribute("error.type", result.responseCode > 0 ? String(result.responseCode) : "_OTHER");
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
      }
      return result;
    },
    {
      kind: SpanKind.CLIENT,
      parent: contextOfTraceparent(delivery.traceparent),
      attributes: {
        "http.request.method": "POST",
        ...(url && { "server.address": url.hostname, "url.scheme": url.protocol.slice(0, -1) }),
        ...(url?.port && { "server.port": Number(url.port) }),
        "cloudevents.event_id": delivery.eventId,
        "cloudevents.event_type": delivery.eventType,
        "orderspine.webhook.endpoint_id": delivery.endpointId,
        "orderspine.webhook.delivery_id": delivery.id,
        "orderspine.webhook.attempt": delivery.attemptNumber,
      },
    },
  );
}
