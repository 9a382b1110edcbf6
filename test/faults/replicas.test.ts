import { setTimeout as sleep } from "node:timers/promises";
import { expect, inject, it } from "vitest";
import { useCleanups } from "./support/cleanups.js";
import { scenarioFigures } from "./support/figures.js";
import { checkIntegrity, INTACT, Ledger } from "./support/ledger.js";
import { Load, summarize } from "./support/load.js";
import { faultProfile } from "./support/profile.js";
import { Prng } from "./support/prng.js";
import { scaled } from "./support/slowness.js";
import { startService, stopService, unexpectedErrors } from "./support/services.js";
import { compareDelivery, readOrderEvents } from "./support/stream-events.js";
import { ProtocolClients, provisionTenant } from "./support/tenant.js";

const profile = faultProfile();
const { concurrency } = profile.replicas;
/** How long the load runs: the profile's, for an idle machine, scaled by the run's slowness. */
const loadMs = scaled(profile.replicas.loadMs);
const TENANTS = 2;
const defer = useCleanups();

it(
  `5. Two replicas on one database and one NATS under load: unique order numbers per tenant, every event exactly once`,
  async () => {
    const figures = scenarioFigures(
      "replicas",
      `Two replicas, one database, one NATS, ${TENANTS} tenants, ${loadMs / 1000} s`,
    );
    const databaseUrl = inject("databaseUrl");
    const ledger = new Ledger(databaseUrl);
    defer(() => ledger.close());
    const replicas = await Promise.all([startService(), startService()]);
    for (const replica of replicas) defer(() => stopService(replica));

    const prng = new Prng(profile.seed);
    const loads = await Promise.all(
      Array.from({ length: TENANTS }, async (_, t) => {
        const tenant = await provisionTenant(databaseUrl, `replicas ${t}`);
        const clients = replicas.map((replica) => new ProtocolClients(replica.url, tenant.key));
        const customerId = await (clients[0] as ProtocolClients).newCustomer();
        // Worker n alternates replicas, and within a replica takes turns over the protocols.
        const pick = (w: number) =>
          (clients[w % clients.length] as ProtocolClients).forWorker(Math.floor(w / clients.length));
        return {
          tenant,
          load: new Load({ concurrency: concurrency / TENANTS, clients: pick, customerId, prng: prng.fork() }),
        };
      }),
    );
    await sleep(loadMs);
    const stopped = await Promise.all(loads.map(async ({ tenant, load }) => ({ tenant, outcomes: await load.stop() })));
    const results = [];
    for (const { tenant, outcomes } of stopped) {
      await ledger.waitForDrained(tenant.tenantId, scaled(60_000));
      const orders = await ledger.orders(tenant.tenantId);
      const numbers = orders.map((o) => o.orderNumber);
      const answeredNumbers = outcomes.filter((o) => o.ok).map((o) => o.orderNumber);
      results.push({
        outcomes,
        orders,
        numbers,
        answeredNumbers,
        integrity: checkIntegrity(orders, outcomes),
        delivery: compareDelivery(orders, await readOrderEvents(inject("natsUrl"), tenant.tenantId)),
      });
    }

    const all = results.flatMap((r) => r.outcomes);
    const summary = summarize(all);
    Object.assign(figures, {
      calls: summary.calls,
      failures: summary.failures,
      committed: results.map((r) => r.orders.length).join("+"),
      duplicateNumbers: results.reduce((n, r) => n + r.numbers.length - new Set(r.numbers).size, 0),
      eventsInStream: results.map((r) => r.delivery.inStream).join("+"),
      eventsMissing: results.reduce((n, r) => n + r.delivery.missing.length, 0),
      eventsDuplicated: results.reduce((n, r) => n + r.delivery.duplicated.length, 0),
      p50Ms: summary.p50Ms,
      p99Ms: summary.p99Ms,
    });

    expect(summary.failures).toBe("none");
    for (const r of results) {
      expect(new Set(r.numbers).size).toBe(r.numbers.length);
      expect(new Set(r.answeredNumbers).size).toBe(r.answeredNumbers.length);
      expect(r.integrity).toEqual(INTACT);
      expect(r.delivery).toMatchObject({ missing: [], duplicated: [], unknown: [] });
      expect(r.delivery.inStream).toBe(r.orders.length);
    }
    for (const replica of replicas) expect(unexpectedErrors(replica)).toEqual([]);
  },
  scaled(600_000),
);
