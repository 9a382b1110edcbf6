import { Code } from "@connectrpc/connect";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, inject, it } from "vitest";
import { useCleanups } from "./support/cleanups.js";
import { scenarioFigures } from "./support/figures.js";
import { checkIntegrity, Ledger } from "./support/ledger.js";
import { Load, summarize } from "./support/load.js";
import { faultProfile } from "./support/profile.js";
import { Prng } from "./support/prng.js";
import { startService, stopService, unexpectedErrors } from "./support/services.js";
import { compareDelivery, readOrderEvents } from "./support/stream-events.js";
import { ProtocolClients, provisionTenant } from "./support/tenant.js";

const profile = faultProfile();
const { concurrency, loadMs, graceMs } = profile.sigterm;
const defer = useCleanups();

it(`4. SIGTERM under load: in-flight calls complete, new ones are refused cleanly, exit 0 within ${graceMs / 1000} s, outbox consistent`, async () => {
  const figures = scenarioFigures("sigterm", `SIGTERM under load (${concurrency} callers, grace ${graceMs / 1000} s)`);
  const databaseUrl = inject("databaseUrl");
  const ledger = new Ledger(databaseUrl);
  defer(() => ledger.close());
  const tenant = await provisionTenant(databaseUrl, "sigterm");
  const service = await startService({ SHUTDOWN_GRACE_MS: String(graceMs) });
  defer(() => stopService(service));
  const clients = new ProtocolClients(service.url, tenant.key);
  const load = new Load({ concurrency, clients: (w) => clients.forWorker(w), customerId: await clients.newCustomer(), prng: new Prng(profile.seed) });

  await sleep(loadMs);
  const termAt = performance.now();
  service.kill("SIGTERM");
  const exitCode = await service.exited();
  const exitMs = Math.round(performance.now() - termAt);
  // Keep calling a little after the exit: those calls must be refused too, not hang.
  await sleep(500);
  const outcomes = await load.stop();
  const pendingAtExit = await ledger.pendingEvents(tenant.tenantId);
  const ordersAtExit = await ledger.orders(tenant.tenantId);

  // What the stopped service left in the outbox goes out with the next instance, exactly once.
  const successor = await startService();
  defer(() => stopService(successor));
  const drainMs = await ledger.waitForDrained(tenant.tenantId, 60_000);
  const delivery = compareDelivery(ordersAtExit, await readOrderEvents(inject("natsUrl"), tenant.tenantId));
  const integrity = checkIntegrity(ordersAtExit, outcomes);
  const summary = summarize(outcomes);
  const inFlight = outcomes.filter((o) => o.startedAt < termAt && o.endedAt > termAt);
  const failures = outcomes.filter((o) => !o.ok);
  const succeeded = new Set(outcomes.filter((o) => o.ok).map((o) => o.orderId));

  Object.assign(figures, {
    calls: summary.calls,
    exitCode: String(exitCode),
    exitMs,
    inFlightAtSigterm: inFlight.length,
    inFlightCompleted: inFlight.filter((o) => o.ok).length,
    refused: summary.failures,
    committed: ordersAtExit.length,
    committedButRefused: ordersAtExit.filter((o) => !succeeded.has(o.id)).length,
    eventsLeftInOutbox: pendingAtExit,
    successorDrainMs: drainMs,
    eventsMissing: delivery.missing.length,
    eventsDuplicated: delivery.duplicated.length,
  });

  expect(exitCode).toBe(0);
  expect(exitMs).toBeLessThan(graceMs);
  expect(inFlight.length).toBeGreaterThan(0);
  // Refused cleanly: the client is told to retry elsewhere (UNAVAILABLE), nothing failed half-way.
  for (const failure of failures) expect(Code[failure.code ?? Code.Unknown]).toBe("Unavailable");
  // Exactly the calls that succeeded committed: no call was cut off after its commit.
  expect(ordersAtExit.map((o) => o.id).sort()).toEqual([...succeeded].sort());
  expect(integrity).toEqual({ halfWritten: [], withoutOneEvent: [], withoutIdempotencyRecord: [], unexplained: [], lostSuccesses: [] });
  expect(delivery).toMatchObject({ missing: [], duplicated: [], unknown: [] });
  expect(unexpectedErrors(service)).toEqual([]);
});
