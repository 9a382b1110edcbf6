import { DeliverPolicy, jetstream, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { setTimeout as sleep } from "node:timers/promises";
import { ORDERS_STREAM, orderEventSubject } from "../../src/platform/outbox/stream.js";

/** Epoch milliseconds, both ends included. */
export interface EpochSpan {
  from: number;
  until: number;
}

/**
 * Measures commit-to-JetStream lag for one tenant: an ordered consumer reads orders.<tenant>.created
 * as events arrive and compares each message's stream timestamp (when JetStream stored and acked
 * it) with the order's create_time (the `ce-time` header, set from the order row's created_at).
 * create_time is taken just before the order transaction starts, so the figure is an upper bound
 * that also contains the transaction itself.
 */
export class EventLagProbe {
  readonly #seen = new Set<string>();
  readonly #events: { createdAt: number; lagMs: number; duplicate: boolean }[] = [];
  #duplicates = 0;

  private constructor(private readonly messages: ConsumerMessages) {}

  static async start(nc: NatsConnection, tenantId: string): Promise<EventLagProbe> {
    const consumer = await jetstream(nc).consumers.get(ORDERS_STREAM, {
      filter_subjects: orderEventSubject(tenantId, "order.created", "live"),
      deliver_policy: DeliverPolicy.New,
    });
    let probe: EventLagProbe | undefined;
    const pending: JsMsg[] = [];
    const messages = await consumer.consume({
      callback: (m) => {
        if (probe) probe.#record(m);
        else pending.push(m);
      },
    });
    probe = new EventLagProbe(messages);
    for (const m of pending) probe.#record(m);
    return probe;
  }

  /**
   * Waits until `expected` distinct orders (of those created in `spans`, if given) have their event, or
   * `timeoutMs` passed.
   */
  async waitFor(expected: number, timeoutMs: number, spans?: readonly EpochSpan[]): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const received = () => (spans ? this.countBetween(spans).received : this.#seen.size);
    while (received() < expected && Date.now() < deadline) await sleep(50);
  }

  /**
   * Distinct orders created in `spans` whose event arrived, and the events beyond the first for one of them: what
   * one of several cells that share a tenant (and so this probe) is answerable for. An order's create_time lies
   * between the start and the end of the call that created it.
   */
  countBetween(spans: readonly EpochSpan[]): { received: number; duplicates: number } {
    const inSpans = this.#events.filter((e) => spans.some((s) => e.createdAt >= s.from && e.createdAt <= s.until));
    const duplicates = inSpans.filter((e) => e.duplicate).length;
    return { received: inSpans.length - duplicates, duplicates };
  }

  /** Lags (ms) of the events of orders created between `from` and `until` (epoch ms). */
  lagsBetween(from: number, until: number): number[] {
    return this.#events.filter((e) => e.createdAt >= from && e.createdAt < until).map((e) => e.lagMs);
  }

  /** Distinct orders whose order.created event reached the stream. */
  get received(): number {
    return this.#seen.size;
  }

  /** Events whose order already had one (the stream's dedupe should keep this at 0). */
  get duplicates(): number {
    return this.#duplicates;
  }

  async stop(): Promise<void> {
    await this.messages.close();
  }

  #record(message: JsMsg): void {
    const orderId = message.headers?.get("ce-subject") ?? "";
    const createdAt = Date.parse(message.headers?.get("ce-time") ?? "");
    const duplicate = this.#seen.has(orderId);
    if (duplicate) this.#duplicates += 1;
    this.#seen.add(orderId);
    const storedAt = Number(message.timestampNanos) / 1e6;
    this.#events.push({ createdAt, lagMs: storedAt - createdAt, duplicate });
  }
}
