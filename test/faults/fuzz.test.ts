import { create } from "@bufbuild/protobuf";
import { setTimeout as sleep } from "node:timers/promises";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { expect, inject, it } from "vitest";
import { OrderStatus } from "../../gen/orders/v1/order_pb.js";
import { ListOrdersRequestSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { useCleanups } from "./support/cleanups.js";
import { scenarioFigures } from "./support/figures.js";
import { runCampaign, tally } from "./support/fuzz/campaign.js";
import type { FuzzTarget } from "./support/fuzz/framing.js";
import { RawClient } from "./support/fuzz/raw-client.js";
import { saveRegression } from "./support/fuzz/regressions.js";
import { bestWriters, contentFingerprint, findWriters, markersIn, type Writer } from "./support/fuzz/trace.js";
import { HeapSamples } from "./support/heap-samples.js";
import { Ledger, type OrderRow } from "./support/ledger.js";
import { orderRequest } from "./support/load.js";
import { faultProfile } from "./support/profile.js";
import { Prng } from "./support/prng.js";
import { isRunning, loggedCalls, rssMb, startService, stopService, unexpectedErrors } from "./support/services.js";
import { scaled, scaledDeadline } from "./support/slowness.js";
import { issueKey, ProtocolClients, provisionTenant } from "./support/tenant.js";

const profile = faultProfile();
const { requests, concurrency, heapProbe } = profile.fuzz;
/** Regression files saved per run at most. */
const MAX_SAVED_REGRESSIONS = 25;
/**
 * Memory is flat when the service's resident set at the end of the run is within this of the
 * highest it reached between 20% and 50% of the run: the first fifth is warm-up (V8 grows its heap
 * to what megabyte bodies need, once), a leak keeps growing after that.
 */
const FLAT_RSS_GROWTH_MB = 48;
/**
 * The same for the heap used right after a full GC (the long profile samples it): the live set, which
 * neither V8's heap sizing nor the allocator's retained pages blur. A leak of 16 bytes per request is
 * 13 MB over the 800,000 requests after 20% of the long run.
 */
const FLAT_HEAP_GROWTH_MB = 12;
/** Heap samples (0 before the first request, then one per 5%) that also write a heap snapshot: 10%, 50%, 100%. */
const HEAP_SNAPSHOT_SAMPLES = [2, 10, 20];
/** A call the service has not answered after this long is stuck; a gzip bomb under full load takes seconds. */
const CALL_TIMEOUT_MS = scaled(60_000);
/** Orders created for the fuzzer's FulfillOrder and DeliverOrder calls, at any time (a delivered one is replaced). */
const TARGET_ORDERS = 8;
const CREATE_ORDER_METHOD = "orders.v1.OrdersService/CreateOrder";
const LIFECYCLE_METHODS = new Set(["orders.v1.OrdersService/FulfillOrder", "orders.v1.OrdersService/DeliverOrder"]);
const defer = useCleanups();

/** Row counts of everything a request could write, overall and for the fuzzed tenant. */
async function databaseState(ledger: Ledger, tenantId: string): Promise<Record<string, number>> {
  const { rows } = await ledger.query<Record<string, number>>(
    `select (select count(*) from tenants)::int as tenants,
            (select count(*) from api_keys)::int as api_keys,
            (select count(*) from customers)::int as customers,
            (select count(*) from orders where tenant_id = $1)::int as orders,
            (select count(*) from order_lines where tenant_id = $1)::int as order_lines,
            (select count(*) from outbox_events where tenant_id = $1)::int as outbox_events,
            (select count(*) from idempotency_records where tenant_id = $1)::int as idempotency_records`,
    [tenantId],
  );
  return rows[0] ?? {};
}

/** What the database holds of orders the campaign got no answer for: enough to find the input that wrote each. */
async function unansweredOrders(ledger: Ledger, orders: readonly OrderRow[]) {
  const { rows } = await ledger.query<{ id: string; sku: string; name: string; description: string | null }>(
    `select order_id as id, sku, name, description from order_lines
      where order_id = any($1::uuid[]) order by order_id, position`,
    [orders.map((o) => o.id)],
  );
  return orders.map((order) => {
    const lines = rows.filter((r) => r.id === order.id);
    return {
      id: order.id,
      requestId: order.requestId,
      markers: markersIn(lines.flatMap((l) => [l.sku, l.name, l.description])),
      fingerprint: contentFingerprint(lines),
    };
  });
}

function describeWriters(writers: readonly Writer[]): string {
  return writers
    .map((w) => `#${w.index} ${w.category} ${w.description.slice(0, 100)} -> ${w.outcome} (by ${w.via})`)
    .join(" or ");
}

/** An order's origin for the figures' tally: how it came to be in the database. */
function originOf(writers: readonly Writer[]): { origin: string; lost: boolean } {
  if (writers.length === 0) return { origin: "unknown", lost: false };
  // Answer lost on the way: the service accepted a valid order, the stream or connection died before its answer.
  // Not a stream the server refused (REFUSED_STREAM): HTTP/2 promises such a stream was never processed, so an
  // order from one is a bug, as is an order from any input the service answered with an error.
  if (writers.every((w) => w.outcome.startsWith("transport(") && !w.outcome.includes("REFUSED_STREAM")))
    return { origin: `answerLost${writers[0]?.outcome.slice("transport".length) ?? ""}`, lost: true };
  return { origin: `writtenBy[${[...new Set(writers.map((w) => w.outcome))].join("|")}]`, lost: false };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

it(
  `8. Fuzzing: ${requests.toLocaleString("en")} malformed or hostile requests over Connect, gRPC and gRPC-Web: no INTERNAL, no crash, flat memory, database untouched`,
  async () => {
    const figures = scenarioFigures(
      "fuzz",
      `Fuzzing: ${requests.toLocaleString("en")} malformed or hostile requests (seed ${profile.seed})`,
    );
    const databaseUrl = inject("databaseUrl");
    const ledger = new Ledger(databaseUrl);
    defer(() => ledger.close());
    const tenant = await provisionTenant(databaseUrl, "fuzz");
    const adminKey = await issueKey(databaseUrl, tenant.tenantId, "admin");
    const heap = heapProbe ? HeapSamples.inTestResults(HEAP_SNAPSHOT_SAMPLES) : undefined;
    const service = await startService(heap?.serviceOptions.env, { nodeArguments: heap?.serviceOptions.nodeArguments });
    defer(() => stopService(service));
    heap?.attach(service);
    const clients = new ProtocolClients(service.url, tenant.key);
    const customerId = await clients.newCustomer();
    const raw = new RawClient(service.url, CALL_TIMEOUT_MS, 4, scaled(500));
    defer(() => raw.close());

    // Orders for FulfillOrder and DeliverOrder to change, and page tokens the service issued for a few
    // listings, for the fuzzer to edit. A target order is created with a request_id, retried with the same one
    // while the fuzzer keeps the service busy: never two orders for one, never an order nobody knows.
    const fixtureIds = new Set<string>();
    const newTargetOrder = async (): Promise<string> => {
      const request = orderRequest(customerId, crypto.randomUUID(), 2);
      for (let attempt = 1; ; attempt++) {
        try {
          const { order } = await clients
            .forWorker(0)
            .orders.createOrder(request, { timeoutMs: scaledDeadline(30_000) });
          if (!order) throw new Error("CreateOrder of a target order returned no order");
          fixtureIds.add(order.id);
          return order.id;
        } catch (error) {
          if (attempt >= 5) throw error;
          await sleep(scaled(1_000));
        }
      }
    };
    const orderIds: string[] = [];
    for (let i = 0; i < TARGET_ORDERS; i++) orderIds.push(await newTargetOrder());
    const listings = [
      create(ListOrdersRequestSchema, { pageSize: 1 }),
      create(ListOrdersRequestSchema, { pageSize: 1, status: OrderStatus.PLACED }),
      create(ListOrdersRequestSchema, { pageSize: 2, customerId }),
      create(ListOrdersRequestSchema, {
        pageSize: 3,
        createTimeStart: timestampFromDate(new Date(Date.now() - 3_600_000)),
      }),
    ];
    const pages: FuzzTarget["pages"][number][] = [];
    for (const request of listings) {
      const { nextPageToken } = await clients.forWorker(0).orders.listOrders(request);
      if (nextPageToken) pages.push({ request, token: nextPageToken });
    }
    const target: FuzzTarget = { customerId, orderIds, pages };
    const before = await databaseState(ledger, tenant.tenantId);

    const rss: number[] = [rssMb(service)];
    void heap?.sample();
    const result = await runCampaign({
      client: raw,
      requests,
      concurrency,
      prng: new Prng(profile.seed),
      target,
      key: tenant.key,
      adminKey,
      alive: () => isRunning(service),
      onTwentieth: () => {
        if (isRunning(service)) rss.push(rssMb(service));
        void heap?.sample();
      },
      replaceOrder: async (slot) => {
        target.orderIds[slot] = await newTargetOrder();
      },
    });
    await heap?.settled();
    const crashed = !isRunning(service);

    // One saved input per kind of failure (category and answer): a bug tends to fail thousands alike.
    const firstOfKind = new Map<string, (typeof result.failures)[number]>();
    for (const f of result.failures)
      if (!firstOfKind.has(`${f.fuzzCase.category}:${f.verdict.label}`))
        firstOfKind.set(`${f.fuzzCase.category}:${f.verdict.label}`, f);
    const saved = [...firstOfKind.values()].slice(0, MAX_SAVED_REGRESSIONS).map(({ index, fuzzCase, verdict }) => {
      const body = Buffer.from(fuzzCase.body).toString("latin1");
      const named = [...fixtureIds].filter((id) => body.includes(id));
      return saveRegression(fuzzCase, {
        observed: verdict.label,
        seed: profile.seed,
        index,
        customerId,
        ...(named.length > 0 ? { orderIds: named } : {}),
      });
    });

    // Still serving normally afterwards: a valid order goes through.
    const control = crashed
      ? undefined
      : await clients.forWorker(0).orders.createOrder(orderRequest(customerId, crypto.randomUUID(), 2));
    const after = await databaseState(ledger, tenant.tenantId);
    const orders = await ledger.orders(tenant.tenantId);
    const rssAfterWarmUp = Math.max(...rss.slice(4, 11));
    const rssEnd = rss[rss.length - 1] ?? 0;

    // Where every order came from. Orders created for the fuzzer and the control order are known; every
    // other order was created by a fuzz input, answered or not: those without an answer are traced to theirs.
    const fuzzOrders = orders.filter((o) => !fixtureIds.has(o.id));
    const answered = new Set([...result.createdOrderIds, ...(control?.order ? [control.order.id] : [])]);
    const notAnswered = fuzzOrders.filter((o) => !answered.has(o.id));
    const tracingStarted = performance.now();
    const candidates = findWriters(await unansweredOrders(ledger, notAnswered), {
      seed: profile.seed,
      target,
      sent: result.sent,
      categoryOf: result.categoryOf,
      outcomeOf: result.outcomeOf,
    });
    const tracingMs = Math.round(performance.now() - tracingStarted);
    const traced = notAnswered.map((order) => {
      const writers = bestWriters(candidates.get(order.id) ?? []);
      return { order, writers, ...originOf(writers) };
    });
    const answerLost = traced.filter((t) => t.lost).map((t) => t.order);
    const tracedOrigin = new Map(traced.map((t) => [t.order.id, t.origin]));
    const origins = countBy(orders, (o) =>
      fixtureIds.has(o.id)
        ? "fixture"
        : o.id === control?.order?.id
          ? "control"
          : result.createdOrderIds.has(o.id)
            ? "answered"
            : (tracedOrigin.get(o.id) ?? "unknown"),
    );
    const heapSamples = heap?.samples ?? [];
    const heapUsed = heapSamples.map((s) => mb(s.heapUsed));
    const heapAfterWarmUp = Math.max(...heapUsed.slice(4, 11));
    const heapEnd = heapUsed[heapUsed.length - 1] ?? 0;

    Object.assign(figures, {
      requests: result.sent,
      perSecond: Math.round(result.sent / (result.durationMs / 1000)),
      protocols: tally(result.families),
      internal: result.internal,
      hung: result.hung,
      crashed,
      serverLoggedInternal: loggedCalls(service, ["Internal", "Unknown", "DataLoss"]),
      unexpectedErrors: unexpectedErrors(service).length,
      ordersCreatedByValidInputs: result.createdOrderIds.size,
      ordersTraced: `${orders.length - (origins.get("unknown") ?? 0)}/${orders.length}`,
      origins: tally(origins),
      tracedBy:
        tally(countBy(traced, (t) => [...new Set(t.writers.map((w) => w.via))].join("+") || "nothing")) || "none",
      tracingMs,
      targetOrders: `${TARGET_ORDERS}+${result.ordersReplaced} replaced`,
      pageTokensIssued: pages.length,
      rssStartMb: rss[0] ?? 0,
      rssAfterWarmUpMb: rssAfterWarmUp,
      rssPeakMb: Math.max(...rss),
      rssEndMb: rssEnd,
      rssEvery5PercentMb: rss.join("/"),
      ...(heap
        ? {
            heapUsedAfterGcEvery5PercentMb: heapUsed.join("/"),
            rssAfterGcEvery5PercentMb: heapSamples.map((s) => mb(s.rss)).join("/"),
            externalAfterGcEvery5PercentMb: heapSamples.map((s) => mb(s.external)).join("/"),
            heapSnapshotsMb: heapSamples
              .filter((s) => s.snapshot)
              .map((s) => `${s.n * 5}%:${mb(s.snapshot?.bytes ?? 0)}`)
              .join(","),
            heapSnapshotDir: heap.dir,
          }
        : {}),
      regressionsSaved: saved.length,
      failureKinds: tally(result.failureKinds) || "none",
      outcomes: tally(result.labels, 12),
      noResponse: tally(result.transportErrors, 4) || "none",
      validOrdersWhoseAnswerWasLost: answerLost.length,
    });

    expect(crashed).toBe(false);
    expect(result.sent).toBe(requests);
    // Soft: one run reports every kind of failure at once.
    // Every hang, then one example per kind of wrong answer: enough to see each bug, short enough to read.
    const examples = [...result.failures.filter((f) => f.verdict.hung), ...firstOfKind.values()];
    expect
      .soft(
        [...new Set(examples)].map(
          (f) =>
            `#${f.index} ${f.fuzzCase.category} ${f.fuzzCase.description.slice(0, 160)} -> ${f.verdict.label} ${f.verdict.message ?? ""}`,
        ),
      )
      .toEqual([]);
    // The start of each line names the error; the rest is its stack.
    expect
      .soft(
        unexpectedErrors(service)
          .slice(0, 20)
          .map((line) => line.slice(0, 600)),
      )
      .toEqual([]);
    expect.soft(result.undecodable).toBe(0);
    expect.soft(rssEnd - rssAfterWarmUp).toBeLessThan(FLAT_RSS_GROWTH_MB);
    if (heap) {
      expect.soft(heapSamples.length).toBe(21);
      expect.soft(heapEnd - heapAfterWarmUp).toBeLessThan(FLAT_HEAP_GROWTH_MB);
    }
    // The database changed only by the orders that valid inputs created, each complete, and by the
    // lifecycle calls on the orders created for the fuzzer.
    // An order whose writer got no answer at all because its connection went down was still a valid
    // order: the service accepted it. (Node ends an HTTP/2 session that had more than 100 streams
    // rejected — here for oversized headers — and the fuzzer's few long-lived sessions reach that.)
    // Any other order was written by an input the service refused, or abandoned mid-upload, or that
    // got an answer naming another order, or by none: a bug.
    expect
      .soft(
        traced
          .filter((t) => !t.lost)
          .map(
            (t) =>
              `order ${t.order.id} (${t.order.lines} lines) written by ${t.writers.length > 0 ? describeWriters(t.writers) : "an unknown input"}`,
          ),
      )
      .toEqual([]);
    const expectedOrderIds = new Set([...answered, ...answerLost.map((o) => o.id), ...fixtureIds]);
    expect(new Set(orders.map((o) => o.id))).toEqual(expectedOrderIds);
    expect(fuzzOrders.filter((o) => o.lines < 1 || o.events !== 1)).toEqual([]);
    // An order created for the fuzzer has one event per change: created, then fulfilled, then delivered.
    const { rows: sequences } = await ledger.query<{ id: string; sequence: number }>(
      "select id, event_sequence as sequence from orders where id = any($1::uuid[])",
      [[...fixtureIds]],
    );
    const sequenceOf = new Map(sequences.map((r) => [r.id, r.sequence]));
    expect(
      orders
        .filter((o) => fixtureIds.has(o.id))
        .filter((o) => o.lines !== 2 || o.events < 1 || o.events > 3 || o.events !== sequenceOf.get(o.id)),
    ).toEqual([]);
    expect({ ...after, orders: 0, order_lines: 0, outbox_events: 0, idempotency_records: 0 }).toEqual({
      ...before,
      orders: 0,
      order_lines: 0,
      outbox_events: 0,
      idempotency_records: 0,
    });
    expect(after.order_lines).toBe(orders.reduce((sum, o) => sum + o.lines, 0));
    // No event of an order that does not exist.
    expect(after.outbox_events).toBe(orders.reduce((sum, o) => sum + o.events, 0));
    // Idempotency records: one per order created with a request_id, and the lifecycle calls' own.
    const { rows: records } = await ledger.query<{ requestId: string; method: string }>(
      `select request_id as "requestId", method from idempotency_records where tenant_id = $1`,
      [tenant.tenantId],
    );
    const createRecords = records.filter((r) => r.method === CREATE_ORDER_METHOD);
    expect(createRecords.length).toBe(orders.filter((o) => o.requestId !== null).length);
    expect(
      records.filter(
        (r) =>
          r.method !== CREATE_ORDER_METHOD &&
          !(LIFECYCLE_METHODS.has(r.method) && result.lifecycleRequestIds.has(r.requestId)),
      ),
    ).toEqual([]);
  },
  scaled(Math.max(600_000, 300_000 + requests * 5)),
);
