import { setTimeout as sleep } from "node:timers/promises";
import { Receiver, type Received } from "../../webhooks/support/receiver.js";
import type { Ledger } from "./ledger.js";

/** What the receiver got, one entry per request: its webhook-id and the event's type and subject (the order id). */
export type ReceivedHook = Received & { webhookId: string; type: string; subject: string };

/** Where the scenario's endpoint points. */
export const HOOK_PATH = "/hooks";

/**
 * The environment of replicas that deliver webhooks in a scenario: the dispatcher on, loopback endpoints allowed,
 * quick retries (the schedule's shape, not its production pace) and durable consumers of this scenario only,
 * named after `consumerPrefix`, starting a second back.
 */
export function webhookReplicaEnv(consumerPrefix: string): Record<string, string> {
  return {
    WEBHOOK_DISPATCHER: "true",
    WEBHOOK_ALLOW_HTTP: "true",
    WEBHOOK_ALLOW_PRIVATE: "true",
    WEBHOOK_RETRY_BASE_MS: "250",
    WEBHOOK_RETRY_MAX_DELAY_MS: "2000",
    WEBHOOK_POLL_INTERVAL_MS: "200",
    WEBHOOK_CONSUMER: `${consumerPrefix}-${Date.now()}`,
    WEBHOOK_CONSUMER_LOOKBACK_MS: "1000",
  };
}

/**
 * A partner's webhook receiver for a scenario: it answers HOOK_PATH with 204 after `delayMs` (so deliveries are
 * in flight when a replica dies), verifies every request with the secrets pushed to `receiver.secrets`, and reads
 * what arrived as hooks, parsed once each.
 */
export class HookLog {
  readonly #parsed: ReceivedHook[] = [];

  private constructor(readonly receiver: Receiver) {}

  static async start(delayMs: number): Promise<HookLog> {
    const receiver = await Receiver.start();
    receiver.on(HOOK_PATH, (_request, response) => {
      setTimeout(() => response.writeHead(204).end(), delayMs);
    });
    return new HookLog(receiver);
  }

  get url(): string {
    return this.receiver.url(HOOK_PATH);
  }

  /** Every request so far. */
  all(): ReceivedHook[] {
    for (const request of this.receiver.at(HOOK_PATH).slice(this.#parsed.length)) {
      const event = JSON.parse(request.body) as { type: string; subject: string };
      this.#parsed.push({
        webhookId: request.headers["webhook-id"] ?? "",
        type: event.type,
        subject: event.subject,
        ...request,
      });
    }
    return this.#parsed;
  }

  /**
   * Waits until an `order.created` hook arrived for every order of `orderIds` (or `timeoutMs` passed); returns
   * the ids still missing and how long the wait took.
   */
  async waitForOrders(orderIds: Iterable<string>, timeoutMs: number): Promise<{ missing: string[]; waitedMs: number }> {
    const wanted = [...orderIds];
    const started = performance.now();
    const missing = () => {
      const arrived = new Set(
        this.all()
          .filter((hook) => hook.type === "order.created")
          .map((hook) => hook.subject),
      );
      return wanted.filter((id) => !arrived.has(id));
    };
    while (missing().length > 0 && performance.now() - started < timeoutMs) await sleep(100);
    return { missing: missing(), waitedMs: Math.round(performance.now() - started) };
  }

  /**
   * How the hooks group: the webhook-ids each order arrived under, and the distinct bodies sent under each id.
   * Delivered once per id means one id per order and one body per id (a repeat is a retry of the same bytes).
   */
  grouped(): { idsPerOrder: Map<string, Set<string>>; bodiesPerId: Map<string, Set<string>> } {
    const idsPerOrder = new Map<string, Set<string>>();
    const bodiesPerId = new Map<string, Set<string>>();
    for (const hook of this.all()) {
      idsPerOrder.set(hook.subject, (idsPerOrder.get(hook.subject) ?? new Set()).add(hook.webhookId));
      bodiesPerId.set(hook.webhookId, (bodiesPerId.get(hook.webhookId) ?? new Set()).add(hook.body));
    }
    return { idsPerOrder, bodiesPerId };
  }
}

/** Deliveries of the endpoint a replica had claimed (leased) when it died. */
export async function leasedDeliveries(ledger: Ledger, endpointId: string): Promise<number> {
  const { rows } = await ledger.query<{ n: number }>(
    "select count(*)::int as n from webhook_deliveries where endpoint_id = $1 and lease_until > now()",
    [endpointId],
  );
  return rows[0]?.n ?? 0;
}

/** The endpoint's delivery attempts in all, and those that failed, as the database counts them. */
export async function deliveryAttempts(
  ledger: Ledger,
  endpointId: string,
): Promise<{ attempts: number; failedAttempts: number }> {
  const { rows } = await ledger.query<{ attempts: number; failed_attempts: number }>(
    `select coalesce(sum(attempt_count), 0)::int as attempts,
            (select count(*) from webhook_delivery_attempts a join webhook_deliveries d on d.id = a.delivery_id
              where d.endpoint_id = $1 and not a.succeeded)::int as failed_attempts
       from webhook_deliveries where endpoint_id = $1`,
    [endpointId],
  );
  return { attempts: rows[0]?.attempts ?? 0, failedAttempts: rows[0]?.failed_attempts ?? 0 };
}
