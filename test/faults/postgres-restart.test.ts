import { Code } from "@connectrpc/connect";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, inject, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { useCleanups } from "./support/cleanups.js";
import { scenarioFigures } from "./support/figures.js";
import { checkIntegrity, INTACT, Ledger } from "./support/ledger.js";
import { Load, summarize } from "./support/load.js";
import { faultProfile } from "./support/profile.js";
import { Prng } from "./support/prng.js";
import { scaled } from "./support/slowness.js";
import { RestartablePostgres } from "./support/restartable-postgres.js";
import { errorLogLines, isRunning, startService, stopService, unexpectedErrors } from "./support/services.js";
import { compareDelivery, readOrderEvents } from "./support/stream-events.js";
import { ProtocolClients, provisionTenant } from "./support/tenant.js";

const profile = faultProfile();
const { concurrency, beforeMs, outageMs, afterMs, restarts } = profile.postgresRestart;
const defer = useCleanups();

it(
  `2. PostgreSQL restarted under load (${restarts.join(", ")}): UNAVAILABLE meanwhile, recovery without a restart, nothing half-written`,
  async () => {
    const figures = scenarioFigures(
      "postgres-restart",
      `PostgreSQL restarted under load (${restarts.join(" + ")} shutdown, ${outageMs / 1000} s down each)`,
    );
    const postgres = await RestartablePostgres.start();
    defer(() => postgres.dispose());
    const databaseUrl = postgres.databaseUrl;
    const service = await startService({ DATABASE_URL: databaseUrl });
    defer(() => stopService(service));
    const ledger = new Ledger(databaseUrl);
    defer(() => ledger.close());
    const tenant = await provisionTenant(databaseUrl, "postgres restart");
    const clients = new ProtocolClients(service.url, tenant.key);
    const load = new Load({
      concurrency,
      clients: (w) => clients.forWorker(w),
      customerId: await clients.newCustomer(),
      prng: new Prng(profile.seed),
    });

    const recoveries: number[] = [];
    let recoveredAt = 0;
    for (const mode of restarts) {
      await sleep(scaled(beforeMs));
      await postgres.stop(mode);
      await sleep(outageMs);
      await postgres.startAgain();
      const backAt = performance.now();
      await waitFor(
        "a CreateOrder to succeed after PostgreSQL came back",
        () => load.okSince(backAt) > 0,
        scaled(60_000),
      );
      recoveredAt = performance.now();
      recoveries.push(Math.round(recoveredAt - backAt));
    }
    await sleep(scaled(afterMs));
    const outcomes = await load.stop();

    const drainMs = await ledger.waitForDrained(tenant.tenantId, scaled(120_000));
    const orders = await ledger.orders(tenant.tenantId);
    const delivery = compareDelivery(orders, await readOrderEvents(inject("natsUrl"), tenant.tenantId));
    const integrity = checkIntegrity(orders, outcomes);
    const summary = summarize(outcomes);
    const failures = outcomes.filter((o) => !o.ok);
    // Once a call got through after the last restart, the service is back: nothing after it may fail.
    const failedAfterRecovery = failures.filter((o) => o.startedAt > recoveredAt);
    const committedWithoutAnswer = orders.filter(
      (o) => o.requestId !== null && !outcomes.some((c) => c.ok && c.requestId === o.requestId),
    );

    Object.assign(figures, {
      calls: summary.calls,
      ok: summary.ok,
      failures: summary.failures,
      internal: failures.filter((o) => o.code === Code.Internal || o.code === Code.Unknown).length,
      recoveryMs: recoveries.join("/"),
      failedAfterRecovery: failedAfterRecovery.length,
      committed: orders.length,
      committedButAnswerLost: committedWithoutAnswer.length,
      halfWritten:
        integrity.halfWritten.length + integrity.withoutOneEvent.length + integrity.withoutIdempotencyRecord.length,
      eventsMissing: delivery.missing.length,
      eventsDuplicated: delivery.duplicated.length,
      drainAfterLoadMs: drainMs,
      serviceErrorLogLines: errorLogLines(service),
      unexpectedErrors: unexpectedErrors(service).length,
    });

    expect(isRunning(service)).toBe(true);
    for (const failure of failures) {
      // UNAVAILABLE with the service's own reason: it answered, and told the client to retry.
      expect({ code: Code[failure.code ?? Code.Unknown], reason: failure.reason }).toEqual({
        code: "Unavailable",
        reason: "DATABASE_UNAVAILABLE",
      });
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(failedAfterRecovery).toEqual([]);
    expect(integrity).toEqual(INTACT);
    expect(delivery).toMatchObject({ missing: [], duplicated: [], unknown: [] });
    expect(unexpectedErrors(service)).toEqual([]);
  },
  scaled(600_000),
);
