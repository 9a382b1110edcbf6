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
import { ProtocolClients, provisionTenant } from "./support/tenant.js";

const profile = faultProfile();
const { creators } = profile.hotTenant;
/** How long the load runs: the profile's, for an idle machine, scaled by the run's slowness. */
const loadMs = scaled(profile.hotTenant.loadMs);
const defer = useCleanups();

it(
  `7. One hot tenant, ${creators} concurrent creators: unique increasing numbers, no deadlock, no serialisation failure`,
  async () => {
    const figures = scenarioFigures(
      "hot-tenant",
      `One hot tenant, ${creators} concurrent creators, ${loadMs / 1000} s`,
    );
    const databaseUrl = inject("databaseUrl");
    const ledger = new Ledger(databaseUrl);
    defer(() => ledger.close());
    const tenant = await provisionTenant(databaseUrl, "hot tenant");
    const service = await startService();
    defer(() => stopService(service));
    const clients = new ProtocolClients(service.url, tenant.key);
    const load = new Load({
      concurrency: creators,
      clients: (w) => clients.forWorker(w),
      customerId: await clients.newCustomer(),
      prng: new Prng(profile.seed),
    });
    await sleep(loadMs);
    const outcomes = await load.stop();
    const orders = await ledger.orders(tenant.tenantId);
    const summary = summarize(outcomes);

    const numbers = orders.map((o) => Number(o.orderNumber)).sort((a, b) => a - b);
    // Each creator's calls run one after another, so the numbers it gets must rise.
    const notIncreasing = Array.from({ length: creators }, (_, w) =>
      outcomes.filter((o) => o.worker === w && o.ok).map((o) => Number(o.orderNumber)),
    ).filter((seq) => seq.some((n, i) => i > 0 && n <= (seq[i - 1] ?? 0))).length;
    const first = numbers[0] ?? 0;
    const last = numbers[numbers.length - 1] ?? 0;
    const deadlockLines = service.logLines.filter((line) => /deadlock|could not serialize|40P01|40001/i.test(line));

    Object.assign(figures, {
      calls: summary.calls,
      failures: summary.failures,
      ordersPerSecond: Math.round(summary.ok / (loadMs / 1000)),
      numbers: `${first}..${last}`,
      duplicates: numbers.length - new Set(numbers).size,
      gaps: last - first + 1 - numbers.length,
      creatorsSeeingDecrease: notIncreasing,
      deadlocksOrSerializationFailures: deadlockLines.length,
      p50Ms: summary.p50Ms,
      p99Ms: summary.p99Ms,
    });

    expect(summary.failures).toBe("none");
    expect(numbers.every((n) => Number.isSafeInteger(n) && n >= 1001)).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(notIncreasing).toBe(0);
    expect(deadlockLines).toEqual([]);
    expect(checkIntegrity(orders, outcomes)).toEqual(INTACT);
    expect(unexpectedErrors(service)).toEqual([]);
  },
  scaled(600_000),
);
