import { setTimeout as sleep } from "node:timers/promises";
import { expect, inject, it } from "vitest";
import { clientsFor } from "../support/clients.js";
import { NatsCluster } from "../support/nats-cluster.js";
import { createScratchDatabase } from "../support/scratch-database.js";
import type { ServiceProcess } from "../support/service-process.js";
import { ORDERS_STREAM } from "../../src/platform/outbox/stream.js";
import { useCleanups } from "./support/cleanups.js";
import { scenarioFigures } from "./support/figures.js";
import { checkIntegrity, INTACT, Ledger } from "./support/ledger.js";
import { Load, orderRequest, summarize, type CallOutcome } from "./support/load.js";
import { faultProfile } from "./support/profile.js";
import { Prng } from "./support/prng.js";
import { scaled, scaledDeadline } from "./support/slowness.js";
import { startService, stopService, unexpectedErrors } from "./support/services.js";
import { compareDelivery, readOrderEvents } from "./support/stream-events.js";
import { issueKey, ProtocolClients, provisionTenant } from "./support/tenant.js";
import { deliveryAttempts, HookLog, leasedDeliveries, webhookReplicaEnv } from "./support/webhook-hooks.js";

const profile = faultProfile();
const { concurrency } = profile.natsCluster;
/** Load before the NATS node's kill, between the two kills, before both come back and after: scaled like every wait. */
const phaseMs = scaled(profile.natsCluster.phaseMs);
const REPLICAS = 3;
/** The replica SIGKILLed; its workers go to the next live replica from then on, as a load balancer's would. */
const VICTIM = 1;
/** A partner answering in 20 ms keeps deliveries in flight when the replica dies. */
const RECEIVER_DELAY_MS = 20;
const defer = useCleanups();

/** One of the three replicas behind the scenario's "load balancer": up, or down from its kill until its successor is. */
interface Slot {
  service: ServiceProcess;
  clients: ProtocolClients;
  up: boolean;
}

it(
  `10. Three replicas on a three-node NATS cluster (streams at R3): the ORDERS leader's node SIGKILLed, then a replica; both back: no CreateOrder fails but the killed replica's in-flight calls, every committed order once in the stream, one webhook-id per order`,
  async () => {
    const figures = scenarioFigures(
      "nats-cluster",
      "Three replicas on a three-node NATS cluster: a node, then a replica SIGKILLed, both back",
    );
    // A database of its own: three replicas' relays and dispatchers see only this scenario's rows.
    const database = await createScratchDatabase(inject("databaseUrl"), "faults_nats_cluster", { migrated: true });
    defer(() => database.drop());
    const cluster = await NatsCluster.start(REPLICAS, scaled(30_000));
    defer(() => cluster.dispose());
    const ledger = new Ledger(database.url);
    defer(() => ledger.close());
    const tenant = await provisionTenant(database.url, "nats cluster");
    const adminKey = await issueKey(database.url, tenant.tenantId, "admin");
    const hooks = await HookLog.start(RECEIVER_DELAY_MS);
    defer(() => hooks.receiver.down());

    const env = {
      DATABASE_URL: database.url,
      NATS_URL: cluster.url,
      STREAM_REPLICAS: String(REPLICAS),
      ...webhookReplicaEnv("faults-nats-cluster"),
    };
    const started: ServiceProcess[] = [];
    const start = async (): Promise<Slot> => {
      const service = await startService(env);
      started.push(service);
      return { service, clients: new ProtocolClients(service.url, tenant.key), up: true };
    };
    defer(() => Promise.all(started.map((s) => stopService(s))));
    const slots = await Promise.all(Array.from({ length: REPLICAS }, () => start()));

    const admin = clientsFor("connect-json-http1", slots[0]?.service.url ?? "", adminKey);
    const { webhookEndpoint } = await admin.webhooks.createWebhookEndpoint({
      webhookEndpoint: { url: hooks.url, eventTypes: ["order.created"] },
    });
    const endpointId = webhookEndpoint?.id ?? "";
    hooks.receiver.secrets.push(webhookEndpoint?.secret ?? "");
    const customerId = await (slots[2] as Slot).clients.newCustomer();

    // Worker w sends to replica w % 3 (over the protocols in turn), or to the next live one while its own is down.
    const route = (worker: number): Slot => {
      for (let i = 0; i < REPLICAS; i++) {
        const slot = slots[(worker + i) % REPLICAS] as Slot;
        if (slot.up) return slot;
      }
      throw new Error("no replica is up");
    };
    const load = new Load({
      concurrency,
      clients: (w) => route(w).clients.forWorker(Math.floor(w / REPLICAS)),
      customerId,
      prng: new Prng(profile.seed),
    });
    await sleep(phaseMs);

    // The node leading ORDERS goes: the stream elects another leader among the two left, with every copy it had.
    const before = await cluster.streamInfo(ORDERS_STREAM);
    const natsVictim = cluster.node(before.cluster?.leader ?? "");
    await natsVictim.server.stop("SIGKILL");
    const natsKilledAt = performance.now();
    await sleep(phaseMs);

    // Then a replica, mid-call: the calls it had in flight are the only ones allowed to fail.
    const victim = slots[VICTIM] as Slot;
    victim.up = false;
    const killedAt = performance.now();
    victim.service.kill("SIGKILL");
    await victim.service.exited();
    const leasedAtKill = await leasedDeliveries(ledger, endpointId);
    await sleep(phaseMs);

    // Both back: the node on its port and store (it catches up), a new replica in the dead one's place.
    const [, successor] = await Promise.all([natsVictim.server.resume(), start()]);
    const natsDownMs = Math.round(performance.now() - natsKilledAt);
    slots[VICTIM] = successor;
    await sleep(phaseMs);
    const outcomes = await load.stop();

    const inFlightAtKill = (o: CallOutcome) => o.worker % REPLICAS === VICTIM && o.startedAt < killedAt;
    const unexpectedFailures = outcomes.filter((o) => !o.ok && !inFlightAtKill(o));
    const lostInFlight = outcomes.filter((o) => !o.ok && inFlightAtKill(o));
    // What the database says of each lost call, before its client retries it with the same request_id.
    const committedBefore = new Map(
      (await ledger.orders(tenant.tenantId)).filter((o) => o.requestId !== null).map((o) => [o.requestId, o.id]),
    );
    const lostCommitted = lostInFlight.filter((o) => committedBefore.has(o.requestId));
    const retries = await Promise.all(
      lostInFlight.map(async (o) => {
        const { order } = await route(o.worker)
          .clients.forWorker(0)
          .orders.createOrder(orderRequest(customerId, o.requestId, o.lines), { timeoutMs: scaledDeadline(30_000) });
        return { requestId: o.requestId, orderId: order?.id ?? "" };
      }),
    );

    const outboxDrainMs = await ledger.waitForDrained(tenant.tenantId, scaled(120_000));
    const streamInfo = await cluster.waitForStreamCurrent(ORDERS_STREAM, scaled(60_000));
    const catalogReplicas = (await cluster.streamInfo("CATALOG")).config.num_replicas;
    const orders = await ledger.orders(tenant.tenantId);
    const delivery = compareDelivery(orders, await readOrderEvents(cluster.url, tenant.tenantId));
    const committed = new Set(orders.map((o) => o.id));
    const hooksPendingAtDrain = committed.size - new Set(hooks.all().map((hook) => hook.subject)).size;
    const { missing, waitedMs: webhookDrainMs } = await hooks.waitForOrders(committed, scaled(180_000));
    const { idsPerOrder, bodiesPerId } = hooks.grouped();
    const { attempts, failedAttempts } = await deliveryAttempts(ledger, endpointId);
    const summary = summarize(outcomes);

    Object.assign(figures, {
      calls: summary.calls,
      failures: summary.failures,
      inFlightAtReplicaKill: lostInFlight.length,
      ofThoseCommitted: lostCommitted.length,
      unexpectedFailures: unexpectedFailures.length,
      natsKilled: `${natsVictim.name}(ORDERS leader)`,
      newLeader: streamInfo.cluster?.leader ?? "none",
      natsDownMs,
      committed: orders.length,
      eventsInStream: delivery.inStream,
      eventsMissing: delivery.missing.length,
      eventsDuplicated: delivery.duplicated.length,
      streamReplicas: `${streamInfo.config.num_replicas}/CATALOG ${catalogReplicas}`,
      webhooksReceived: hooks.all().length,
      redelivered: hooks.all().length - bodiesPerId.size,
      leasedAtKill,
      webhookAttempts: attempts,
      failedWebhookAttempts: failedAttempts,
      outboxDrainMs,
      hooksPendingAtDrain,
      webhookDrainMs,
      p50Ms: summary.p50Ms,
      p99Ms: summary.p99Ms,
    });

    expect(unexpectedFailures.map((o) => `${o.code ?? ""}:${o.reason ?? ""} ${o.message ?? ""}`)).toEqual([]);
    expect(summary.ok).toBeGreaterThan(0);
    // A lost call's retry with its request_id answers with the order the database already held, or places it now.
    for (const retry of retries) {
      expect(retry.orderId).toBe(committedBefore.get(retry.requestId) ?? retry.orderId);
      expect(committed.has(retry.orderId)).toBe(true);
    }
    expect(checkIntegrity(orders, outcomes)).toEqual(INTACT);
    expect(delivery).toMatchObject({ missing: [], duplicated: [], unknown: [] });
    expect(delivery.inStream).toBe(orders.length);
    expect(streamInfo.config.num_replicas).toBe(REPLICAS);
    expect(catalogReplicas).toBe(REPLICAS);

    const webhookLogs = started.flatMap((s) => s.logLines.filter((line) => line.includes('"webhooks"')));
    expect(
      missing,
      `${missing.length} of ${committed.size} never arrived; ${webhookLogs.slice(-10).join("\n")}`,
    ).toEqual([]);
    expect(hooks.all().filter((hook) => hook.verifiedBy.length === 0)).toEqual([]);
    expect([...idsPerOrder.keys()].sort()).toEqual([...committed].sort());
    expect([...idsPerOrder.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    expect([...bodiesPerId.values()].filter((bodies) => bodies.size !== 1)).toEqual([]);
    // A repeat can only be an attempt the killed replica made and did not live to record.
    expect(hooks.all().length - bodiesPerId.size).toBeLessThanOrEqual(leasedAtKill);
    for (const service of started.filter((s) => s !== victim.service)) expect(unexpectedErrors(service)).toEqual([]);
  },
  scaled(600_000),
);
