import { setTimeout as sleep } from "node:timers/promises";
import { expect, inject, it } from "vitest";
import type { ServiceProcess } from "../support/service-process.js";
import { clientsFor } from "../support/clients.js";
import { useCleanups } from "./support/cleanups.js";
import { scenarioFigures } from "./support/figures.js";
import { checkIntegrity, INTACT, Ledger } from "./support/ledger.js";
import { Load, summarize } from "./support/load.js";
import { faultProfile } from "./support/profile.js";
import { Prng } from "./support/prng.js";
import { scaled } from "./support/slowness.js";
import { startService, stopService, unexpectedErrors } from "./support/services.js";
import { issueKey, ProtocolClients, provisionTenant } from "./support/tenant.js";
import { deliveryAttempts, HookLog, leasedDeliveries, webhookReplicaEnv } from "./support/webhook-hooks.js";

const profile = faultProfile();
const { concurrency } = profile.webhooks;
const phaseMs = scaled(profile.webhooks.phaseMs);
const outageMs = scaled(profile.webhooks.outageMs);
/** A partner answering in 20 ms keeps deliveries in flight when a replica dies. */
const RECEIVER_DELAY_MS = 20;
const defer = useCleanups();

it(
  `9. Webhooks: the receiver down ${outageMs / 1000} s, its secret rotated and a replica SIGKILLed mid-delivery: every order's webhook arrives, verified, duplicates only under one webhook-id`,
  async () => {
    const figures = scenarioFigures("webhooks", "Webhook receiver outage, secret rotation and a replica killed");
    const databaseUrl = inject("databaseUrl");
    const ledger = new Ledger(databaseUrl);
    defer(() => ledger.close());
    const tenant = await provisionTenant(databaseUrl, "webhooks");
    const adminKey = await issueKey(databaseUrl, tenant.tenantId, "admin");
    const hooks = await HookLog.start(RECEIVER_DELAY_MS);
    const { receiver } = hooks;
    defer(() => receiver.down());
    const env = webhookReplicaEnv("faults-webhooks");
    const started: ServiceProcess[] = [];
    const start = async () => {
      const service = await startService(env);
      started.push(service);
      return { service, clients: new ProtocolClients(service.url, tenant.key) };
    };
    defer(() => Promise.all(started.map((s) => stopService(s))));
    const replicas = await Promise.all([start(), start()]);

    const admin = clientsFor("connect-json-http1", replicas[0].service.url, adminKey);
    const { webhookEndpoint } = await admin.webhooks.createWebhookEndpoint({
      webhookEndpoint: { url: hooks.url, eventTypes: ["order.created"] },
    });
    const endpointId = webhookEndpoint?.id ?? "";
    receiver.secrets.push(webhookEndpoint?.secret ?? "");

    // Worker n alternates replicas; the killed one's slot points at its successor once it is up.
    const load = new Load({
      concurrency,
      clients: (w) => replicas[w % 2 === 0 ? 0 : 1].clients.forWorker(Math.floor(w / 2)),
      customerId: await replicas[1].clients.newCustomer(),
      prng: new Prng(profile.seed),
      pauseAfterErrorMs: 100,
    });
    await sleep(phaseMs);
    await receiver.down();
    await sleep(outageMs);
    await receiver.up();
    // Rotated while retries of the outage are due: each delivery verifies with one of the two secrets.
    const rotated = await admin.webhooks.rotateWebhookEndpointSecret({ id: endpointId });
    receiver.secrets.push(rotated.webhookEndpoint?.secret ?? "");
    await sleep(phaseMs / 2);
    const victim = replicas[0];
    victim.service.kill("SIGKILL");
    await victim.service.exited();
    const inFlightAtKill = await leasedDeliveries(ledger, endpointId);
    replicas[0] = await start();
    await sleep(phaseMs);
    const outcomes = await load.stop();

    await ledger.waitForDrained(tenant.tenantId, scaled(120_000));
    const orders = await ledger.orders(tenant.tenantId);
    const committed = new Set(orders.map((o) => o.id));
    const { missing, waitedMs: deliveryDrainMs } = await hooks.waitForOrders(committed, scaled(120_000));
    // When some never arrive, what the replicas logged about webhooks says why.
    const webhookLogs = started.flatMap((service) => service.logLines.filter((line) => line.includes('"webhooks"')));
    expect(
      missing,
      `${missing.length} of ${committed.size} never arrived; ${webhookLogs.slice(-10).join("\n")}`,
    ).toEqual([]);

    const { idsPerOrder, bodiesPerId } = hooks.grouped();
    const summary = summarize(outcomes);
    const { attempts, failedAttempts } = await deliveryAttempts(ledger, endpointId);
    Object.assign(figures, {
      calls: summary.calls,
      acknowledged: summary.ok,
      committed: orders.length,
      webhooksReceived: hooks.all().length,
      redelivered: hooks.all().length - bodiesPerId.size,
      attempts,
      failedAttempts,
      leasedAtKill: inFlightAtKill,
      deliveryDrainMs,
    });

    expect(checkIntegrity(orders, outcomes)).toEqual(INTACT);
    expect(hooks.all().filter((hook) => hook.verifiedBy.length === 0)).toEqual([]);
    // Every committed order's event arrived, and nothing else did.
    expect([...idsPerOrder.keys()].sort()).toEqual([...committed].sort());
    // A duplicate is a retry of the same delivery: one webhook-id per order, the same bytes every time.
    expect([...idsPerOrder.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    expect([...bodiesPerId.values()].filter((bodies) => bodies.size !== 1)).toEqual([]);
    // The outage really made deliveries fail and retry.
    expect(failedAttempts).toBeGreaterThan(0);
    for (const service of started.slice(1)) expect(unexpectedErrors(service)).toEqual([]);
  },
  scaled(600_000),
);
