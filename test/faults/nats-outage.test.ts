import { setTimeout as sleep } from "node:timers/promises";
import { expect, inject, it } from "vitest";
import { useCleanups } from "./support/cleanups.js";
import { scenarioFigures } from "./support/figures.js";
import { PrivateNatsServer } from "../support/nats-server.js";
import { checkIntegrity, INTACT, Ledger } from "./support/ledger.js";
import { Load, summarize } from "./support/load.js";
import { faultProfile } from "./support/profile.js";
import { Prng } from "./support/prng.js";
import { scaled } from "./support/slowness.js";
import { startService, stopService } from "./support/services.js";
import { compareDelivery, readOrderEvents } from "./support/stream-events.js";
import { ProtocolClients, provisionTenant } from "./support/tenant.js";

const profile = faultProfile();
const { concurrency, beforeMs, outageMs, afterMs } = profile.natsOutage;
const defer = useCleanups();

it(
  `1. NATS killed for ${outageMs / 1000} s under load: no CreateOrder fails, every event lands exactly once`,
  async () => {
    const figures = scenarioFigures("nats-outage", `NATS SIGKILLed for ${outageMs / 1000} s under load`);
    const databaseUrl = inject("databaseUrl");
    const nats = await PrivateNatsServer.start();
    defer(() => nats.dispose());
    const ledger = new Ledger(databaseUrl);
    defer(() => ledger.close());
    const tenant = await provisionTenant(databaseUrl, "nats outage");
    const service = await startService({ NATS_URL: nats.url });
    defer(() => stopService(service));
    const clients = new ProtocolClients(service.url, tenant.key);
    const load = new Load({
      concurrency,
      clients: (w) => clients.forWorker(w),
      customerId: await clients.newCustomer(),
      prng: new Prng(profile.seed),
    });

    await sleep(scaled(beforeMs));
    await nats.stop("SIGKILL");
    const killedAt = performance.now();
    await sleep(outageMs);
    const pendingAtReturn = await ledger.pendingEvents(tenant.tenantId);
    await nats.resume();
    const returnedAt = performance.now();
    await sleep(scaled(afterMs));
    const outcomes = await load.stop();

    const drainMs = await ledger.waitForDrained(tenant.tenantId, scaled(120_000));
    const orders = await ledger.orders(tenant.tenantId);
    const events = await readOrderEvents(nats.url, tenant.tenantId);
    const delivery = compareDelivery(orders, events);
    const integrity = checkIntegrity(orders, outcomes);
    const summary = summarize(outcomes);

    Object.assign(figures, {
      calls: summary.calls,
      failed: summary.failed,
      acceptedDuringOutage: outcomes.filter((o) => o.ok && o.startedAt >= killedAt && o.endedAt <= returnedAt).length,
      eventsWaitingWhenNatsReturned: pendingAtReturn,
      drainAfterLoadMs: drainMs,
      committed: delivery.committed,
      eventsInStream: delivery.inStream,
      missing: delivery.missing.length,
      duplicated: delivery.duplicated.length,
      p50Ms: summary.p50Ms,
      p99Ms: summary.p99Ms,
    });

    expect(summary.failures).toBe("none");
    expect(figures.acceptedDuringOutage).toBeGreaterThan(0);
    expect(integrity).toEqual(INTACT);
    expect(delivery).toMatchObject({ missing: [], duplicated: [], unknown: [] });
    expect(delivery.inStream).toBe(delivery.committed);
    expect(delivery.committed).toBe(summary.ok);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  },
  scaled(600_000),
);
