import { Code } from "@connectrpc/connect";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, inject, it } from "vitest";
import { PROTOCOLS } from "../support/clients.js";
import { useCleanups } from "./support/cleanups.js";
import { scenarioFigures } from "./support/figures.js";
import { checkIntegrity, INTACT, Ledger } from "./support/ledger.js";
import { Load, summarize, type CallOutcome } from "./support/load.js";
import { faultProfile } from "./support/profile.js";
import { Prng } from "./support/prng.js";
import { scaled } from "./support/slowness.js";
import { startService, stopService, unexpectedErrors } from "./support/services.js";
import { compareDelivery, readOrderEvents } from "./support/stream-events.js";
import { ProtocolClients, provisionTenant } from "./support/tenant.js";

/**
 * How a call was turned away, when it was turned away unprocessed: UNAVAILABLE (the service's answer
 * while draining, or a refused connection after exit); an HTTP/2 stream past the GOAWAY reset with
 * REFUSED_STREAM (which connect-node's client reports as INTERNAL); or an HTTP/1.1 request written
 * onto a keep-alive connection the service closed as idle at that moment (ECONNRESET / EPIPE, the
 * race RFC 9112 §9.3.1 leaves to clients). That none of them was processed is checked against the
 * database below: the committed orders are exactly the successful calls.
 */
function refusal(outcome: CallOutcome): string | undefined {
  if (outcome.code === Code.Unavailable) return "unavailable";
  if (outcome.message?.includes("REFUSED_STREAM")) return "refused-stream";
  if (/\b(ECONNRESET|EPIPE)\b/.test(outcome.message ?? "")) return "idle-connection-closed";
  return undefined;
}

function tally(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name}×${n}`).join(",") || "none";
}

const profile = faultProfile();
const { concurrency } = profile.sigterm;
/** Load before the SIGTERM: the profile's, for an idle machine, scaled by the run's slowness. */
const loadMs = scaled(profile.sigterm.loadMs);
/** The service's shutdown grace: the profile's, for an idle machine, scaled by the run's slowness. */
const graceMs = scaled(profile.sigterm.graceMs);
const defer = useCleanups();

it(
  `4. SIGTERM under load: in-flight calls complete, new ones are refused cleanly, exit 0 within ${graceMs / 1000} s, outbox consistent`,
  async () => {
    const figures = scenarioFigures(
      "sigterm",
      `SIGTERM under load (${concurrency} callers, grace ${graceMs / 1000} s)`,
    );
    const databaseUrl = inject("databaseUrl");
    const ledger = new Ledger(databaseUrl);
    defer(() => ledger.close());
    const tenant = await provisionTenant(databaseUrl, "sigterm");
    const service = await startService({ SHUTDOWN_GRACE_MS: String(graceMs) });
    defer(() => stopService(service));
    const clients = new ProtocolClients(service.url, tenant.key);
    const load = new Load({
      concurrency,
      clients: (w) => clients.forWorker(w),
      customerId: await clients.newCustomer(),
      prng: new Prng(profile.seed),
    });

    await sleep(loadMs);
    const termAt = performance.now();
    service.kill("SIGTERM");
    const exitCode = await service.exited();
    const exitMs = Math.round(performance.now() - termAt);
    // Keep calling a little after the exit: those calls must be refused too, not hang.
    await sleep(scaled(500));
    const outcomes = await load.stop();
    const pendingAtExit = await ledger.pendingEvents(tenant.tenantId);
    const ordersAtExit = await ledger.orders(tenant.tenantId);

    // What the stopped service left in the outbox goes out with the next instance, exactly once.
    const successor = await startService();
    defer(() => stopService(successor));
    const drainMs = await ledger.waitForDrained(tenant.tenantId, scaled(60_000));
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
      refused: tally(failures.map((f) => refusal(f) ?? `unclean:${Code[f.code ?? Code.Unknown]}`)),
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
    const unclean = failures.filter((f) => refusal(f) === undefined);
    expect(
      unclean.map(
        (f) => `${PROTOCOLS[f.worker % PROTOCOLS.length]}: ${Code[f.code ?? Code.Unknown]} ${f.message ?? ""}`,
      ),
    ).toEqual([]);
    // Exactly the calls that succeeded committed: no call was cut off after its commit.
    expect(ordersAtExit.map((o) => o.id).sort()).toEqual([...succeeded].sort());
    expect(integrity).toEqual(INTACT);
    expect(delivery).toMatchObject({ missing: [], duplicated: [], unknown: [] });
    expect(unexpectedErrors(service)).toEqual([]);
  },
  scaled(600_000),
);
