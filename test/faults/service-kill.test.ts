import { setTimeout as sleep } from "node:timers/promises";
import { expect, inject, it } from "vitest";
import type { ServiceProcess } from "../support/service-process.js";
import { useCleanups } from "./support/cleanups.js";
import { scenarioFigures } from "./support/figures.js";
import { checkIntegrity, INTACT, Ledger } from "./support/ledger.js";
import { scrape } from "../support/metrics.js";
import { Load, summarize } from "./support/load.js";
import { faultProfile } from "./support/profile.js";
import { Prng } from "./support/prng.js";
import { scaled } from "./support/slowness.js";
import { startService, stopService } from "./support/services.js";
import { compareDelivery, readOrderEvents } from "./support/stream-events.js";
import { ProtocolClients, provisionTenant } from "./support/tenant.js";

const profile = faultProfile();
const { concurrency, kills } = profile.serviceKill;
/** Load before each kill and after the last: the profile's, for an idle machine, scaled by the run's slowness. */
const loadMs = scaled(profile.serviceKill.loadMs);
const defer = useCleanups();

it(
  `3. The service SIGKILLed under load ${kills}× and started again: every acknowledged order persisted, every event exactly once, with CreateOrder committing in batches`,
  async () => {
    const figures = scenarioFigures("service-kill", `Service SIGKILLed under load and restarted, ${kills}×`);
    const databaseUrl = inject("databaseUrl");
    const ledger = new Ledger(databaseUrl);
    defer(() => ledger.close());
    const tenant = await provisionTenant(databaseUrl, "service kill");
    const started: ServiceProcess[] = [];
    const start = async () => {
      const service = await startService();
      started.push(service);
      return { service, clients: new ProtocolClients(service.url, tenant.key) };
    };
    defer(() => Promise.all(started.map((s) => stopService(s))));

    let current = await start();
    const load = new Load({
      concurrency,
      clients: (w) => current.clients.forWorker(w),
      customerId: await current.clients.newCustomer(),
      prng: new Prng(profile.seed),
    });
    /** Each instance's orderspine_create_order_batch_size just before it was killed (or stopped at the end). */
    const histograms: { statements: number; orders: number }[] = [];
    const readHistogram = async (service: ServiceProcess) => {
      const scraped = await scrape(`${service.url}/metrics`).catch(() => undefined);
      histograms.push({
        statements: scraped?.value("orderspine_create_order_batch_size_count") ?? 0,
        orders: scraped?.value("orderspine_create_order_batch_size_sum") ?? 0,
      });
    };
    const downtimes: number[] = [];
    const pendingAtKill: number[] = [];
    for (let kill = 0; kill < kills; kill++) {
      await sleep(loadMs);
      await readHistogram(current.service);
      current.service.kill("SIGKILL");
      await current.service.exited();
      const killedAt = performance.now();
      pendingAtKill.push(await ledger.pendingEvents(tenant.tenantId));
      current = await start();
      downtimes.push(Math.round(performance.now() - killedAt));
    }
    await sleep(loadMs);
    const outcomes = await load.stop();
    await readHistogram(current.service);

    const drainMs = await ledger.waitForDrained(tenant.tenantId, scaled(120_000));
    const orders = await ledger.orders(tenant.tenantId);
    const delivery = compareDelivery(orders, await readOrderEvents(inject("natsUrl"), tenant.tenantId));
    const integrity = checkIntegrity(orders, outcomes);
    const summary = summarize(outcomes);
    const answered = new Set(outcomes.filter((o) => o.ok).map((o) => o.requestId));
    const commits = await ledger.commits(tenant.tenantId);

    Object.assign(figures, {
      kills,
      calls: summary.calls,
      acknowledged: summary.ok,
      failedWhileDown: summary.failed,
      restartMs: downtimes.join("/"),
      eventsUnpublishedAtKill: pendingAtKill.join("/"),
      committed: orders.length,
      committedButAnswerLost: orders.filter((o) => o.requestId !== null && !answered.has(o.requestId)).length,
      lostAcknowledged: integrity.lostSuccesses.length,
      halfWritten:
        integrity.halfWritten.length + integrity.withoutOneEvent.length + integrity.withoutIdempotencyRecord.length,
      eventsInStream: delivery.inStream,
      eventsMissing: delivery.missing.length,
      eventsDuplicated: delivery.duplicated.length,
      drainAfterLoadMs: drainMs,
      // Group commit (CREATE_ORDER_BATCH, on by default): orders committed by one statement, from their xmin.
      batchesOfMoreThanOneOrder: commits.batches,
      largestBatch: commits.largestBatch,
      meanOrdersPerCommit: Math.round((orders.length / Math.max(1, commits.transactions)) * 100) / 100,
      // The same as the service's histogram saw it (up to the scrape before each kill).
      histogramMeanBatch:
        Math.round((sumOf(histograms, "orders") / Math.max(1, sumOf(histograms, "statements"))) * 100) / 100,
    });

    expect(integrity).toEqual(INTACT);
    expect(delivery).toMatchObject({ missing: [], duplicated: [], unknown: [] });
    expect(delivery.inStream).toBe(orders.length);
    expect(summary.ok).toBeGreaterThan(0);
    // The kills hit a service that batches: what it acknowledged was committed in batches of more than one order.
    expect(commits.batches).toBeGreaterThan(0);
    expect(sumOf(histograms, "orders")).toBeGreaterThan(sumOf(histograms, "statements"));
  },
  scaled(600_000),
);

function sumOf<K extends string>(rows: readonly Record<K, number>[], key: K): number {
  return rows.reduce((sum, row) => sum + row[key], 0);
}
