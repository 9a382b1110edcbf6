import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type Consumer,
  type JsMsg,
} from "@nats-io/jetstream";
import { nanos, type NatsConnection } from "@nats-io/transport-node";
import { describeError, type EventsLogger } from "../logging.js";
import { LoopPause } from "../loop-pause.js";
import { retryDelayMs, type RetryDelayOptions } from "./retry-delay.js";
import { ensureStream, type OrdersStreamOptions, type StreamDefinition } from "./stream.js";

/** A message of a stream as a consumer's handler gets it: its subject, headers (first value each) and payload. */
export interface StreamMessage {
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
}

export interface StreamConsumerOptions {
  /** Returns the NATS connection while it is usable, null otherwise (see NatsHandle.current). */
  readonly nats: () => NatsConnection | null;
  readonly stream: StreamDefinition;
  /** How the stream is created when this consumer finds NATS without it (its replicas: STREAM_REPLICAS). */
  readonly streamOptions?: OrdersStreamOptions;
  /** The durable consumer's name: every replica that uses the same name shares its messages. */
  readonly durableName: string;
  /**
   * Handles a batch; the messages are acknowledged once it resolves. When it throws, none is: they are given
   * back (nak) and come again after a growing delay, so the handler must be idempotent.
   */
  readonly handle: (messages: readonly StreamMessage[]) => Promise<void>;
  readonly logger: EventsLogger;
  /** Messages per batch. */
  readonly batchSize?: number;
  /**
   * When the consumer does not exist yet and is created, it starts with the messages published this long
   * before (default one hour), so events published while the first replica was starting are not missed.
   */
  readonly startLookbackMs?: number;
  /** The server deletes the consumer after this long without a replica pulling; 0 (default) never. */
  readonly inactiveThresholdMs?: number;
  /** How long the server waits for an ack before it delivers a message again (default 60 s). */
  readonly ackWaitMs?: number;
}

/**
 * Reads a JetStream stream through a durable pull consumer, batch by batch, for as long as it runs. Durable, so
 * what a replica did not acknowledge (it crashed, it was stopped mid-batch) is delivered again, to it after a
 * restart or to another replica sharing the consumer; pull, so several replicas share the work. NATS being
 * down never throws out of it: it waits for a connection and picks up where the consumer stands.
 */
export class StreamConsumer {
  readonly #options: StreamConsumerOptions;
  readonly #retry: RetryDelayOptions = { initialMs: 500, maxMs: 15_000 };
  readonly #stop = new AbortController();
  readonly #pause = new LoopPause(this.#stop.signal);
  #running: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;

  constructor(options: StreamConsumerOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#running !== null || this.#stopping !== null) return;
    this.#running = this.#loop();
  }

  /** Finishes the batch in hand (acknowledging it if its handler succeeds), then stops. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#stop.abort();
      await this.#running;
    })();
    return this.#stopping;
  }

  async #loop(): Promise<void> {
    let boundTo: NatsConnection | null = null;
    let consumer: Consumer | null = null;
    let failures = 0;
    while (!this.#stop.signal.aborted) {
      const nc = this.#options.nats();
      if (nc === null) {
        await this.#pause.wait(500, false);
        continue;
      }
      try {
        if (consumer === null || boundTo !== nc) {
          consumer = await this.#consumer(nc);
          boundTo = nc;
        }
        const messages = await this.#fetch(consumer);
        if (messages.length > 0 && !(await this.#handle(messages))) {
          failures += 1;
          await this.#pause.wait(retryDelayMs(failures, this.#retry), false);
        } else {
          failures = 0;
        }
      } catch (err) {
        consumer = null;
        failures += 1;
        const retryInMs = retryDelayMs(failures, this.#retry);
        this.#options.logger.warn(
          { err: describeError(err), stream: this.#options.stream.name, retryInMs },
          "stream consumer cannot read; retrying",
        );
        await this.#pause.wait(retryInMs, false);
      }
    }
  }

  async #fetch(consumer: Consumer): Promise<JsMsg[]> {
    const batch = await consumer.fetch({ max_messages: this.#options.batchSize ?? 100, expires: 1000 });
    const messages: JsMsg[] = [];
    for await (const message of batch) messages.push(message);
    return messages;
  }

  /** Hands the batch over; acks it when that succeeds (true), gives it back when it fails (false). */
  async #handle(messages: JsMsg[]): Promise<boolean> {
    try {
      await this.#options.handle(messages.map(toStreamMessage));
    } catch (err) {
      this.#options.logger.error(
        { err: describeError(err), stream: this.#options.stream.name, messages: messages.length },
        "stream consumer's handler failed; the messages come again",
      );
      for (const message of messages) message.nak(this.#retry.initialMs);
      return false;
    }
    for (const message of messages) message.ack();
    return true;
  }

  /** The durable consumer, created if missing (and its stream with it, on a NATS that came up empty). */
  async #consumer(nc: NatsConnection): Promise<Consumer> {
    const { stream, durableName } = this.#options;
    const jsm = await jetstreamManager(nc);
    const found = await jsm.consumers.info(stream.name, durableName).catch((err: unknown) => {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return "no stream";
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound) return "no consumer";
      throw err;
    });
    if (found === "no stream") await ensureStream(jsm, stream, this.#options.streamOptions);
    if (typeof found === "string") {
      const inactive = this.#options.inactiveThresholdMs ?? 0;
      try {
        await jsm.consumers.add(stream.name, {
          durable_name: durableName,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.StartTime,
          opt_start_time: new Date(Date.now() - (this.#options.startLookbackMs ?? 60 * 60 * 1000)).toISOString(),
          ack_wait: nanos(this.#options.ackWaitMs ?? 60_000),
          max_ack_pending: 1000,
          ...(inactive > 0 ? { inactive_threshold: nanos(inactive) } : {}),
        });
      } catch (err) {
        // Another replica may have created it first (with another start time); then use that one.
        await jsm.consumers.info(stream.name, durableName).catch(() => {
          throw err;
        });
      }
    }
    return jetstream(nc).consumers.get(stream.name, durableName);
  }
}

function toStreamMessage(message: JsMsg): StreamMessage {
  const headers: Record<string, string> = {};
  for (const [key, values] of message.headers ?? []) {
    const first = values[0];
    if (first !== undefined) headers[key] = first;
  }
  return { subject: message.subject, headers, data: message.data };
}
