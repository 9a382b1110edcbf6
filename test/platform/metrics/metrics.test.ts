import { createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Health } from "../../../gen/grpc/health/v1/health_pb.js";
import { Channel } from "../../../gen/orders/v1/order_pb.js";
import { clientsFor, transportFor, type Protocol } from "../../support/clients.js";
import { rejectionOf, Code } from "../../support/errors.js";
import { createCustomerId, seedOrderRequest } from "../../support/fixtures.js";
import { scrape } from "../../support/metrics.js";
import { startTestService, type TestService, type TestTenant } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";
import { waitFor } from "../../support/wait-for.js";

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
});
afterAll(() => ifSetUp(service)?.shutdown());

const CREATE_ORDER = { grpc_type: "unary", grpc_service: "orders.v1.OrdersService", grpc_method: "CreateOrder" };
const WIRE: readonly [Protocol, string][] = [
  ["grpc-http2", "grpc"],
  ["grpc-web-http1", "grpc-web"],
  ["connect-json-http1", "connect"],
];

describe("GET /metrics on the API port", () => {
  it("counts every call with go-grpc-prometheus' names, its protocol and its final code", async () => {
    const before = await scrape(service.metricsUrl);
    for (const [wire] of WIRE) {
      const clients = clientsFor(wire, service.url, tenant.key);
      await clients.orders.createOrder(seedOrderRequest(await createCustomerId(clients)));
      const missing = await rejectionOf(clients.orders.getOrder({ id: crypto.randomUUID() }));
      expect(missing.code).toBe(Code.NotFound);
    }
    const invalid = await rejectionOf(
      clientsFor("grpc-http2", service.url, "sk_live_not-a-key").orders.getOrder({ id: crypto.randomUUID() }),
    );
    expect(invalid.code).toBe(Code.Unauthenticated);

    const after = await scrape(service.metricsUrl);
    const delta = (name: string, labels: Record<string, string>) =>
      (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);
    for (const [, protocol] of WIRE) {
      expect(delta("grpc_server_started_total", { ...CREATE_ORDER, protocol })).toBe(1);
      expect(delta("grpc_server_handled_total", { ...CREATE_ORDER, protocol, grpc_code: "OK" })).toBe(1);
      const getOrder = { ...CREATE_ORDER, grpc_method: "GetOrder", protocol };
      expect(delta("grpc_server_handled_total", { ...getOrder, grpc_code: "NotFound" })).toBe(1);
      // The histogram has Prometheus' default buckets, and each call lands in +Inf.
      for (const le of ["0.005", "0.1", "1", "10", "+Inf"])
        expect(after.value("grpc_server_handling_seconds_bucket", { ...CREATE_ORDER, protocol, le })).toBeDefined();
      expect(delta("grpc_server_handling_seconds_bucket", { ...CREATE_ORDER, protocol, le: "+Inf" })).toBe(1);
      expect(delta("grpc_server_handling_seconds_count", { ...CREATE_ORDER, protocol })).toBe(1);
    }
    const unauthenticated = {
      ...CREATE_ORDER,
      grpc_method: "GetOrder",
      protocol: "grpc",
      grpc_code: "Unauthenticated",
    };
    expect(delta("grpc_server_handled_total", unauthenticated)).toBe(1);
    expect(delta("orderspine_auth_failures_total", { reason: "INVALID_API_KEY" })).toBe(1);
    expect(after.types.get("grpc_server_handling_seconds")).toBe("histogram");
  });

  it("counts orders created by channel and mode, and replays apart from them", async () => {
    const testKey = await tenant.issueKey({ role: "editor", mode: "test" });
    const live = clientsFor("connect-json-http1", service.url, tenant.key);
    const test = clientsFor("connect-json-http1", service.url, testKey.key);
    const before = await scrape(service.metricsUrl);
    const request = { ...seedOrderRequest(await createCustomerId(live)), requestId: crypto.randomUUID() };
    await live.orders.createOrder(request);
    await live.orders.createOrder(request);
    await test.orders.createOrder({ ...seedOrderRequest(await createCustomerId(test)), channel: Channel.STOREFRONT });

    const after = await scrape(service.metricsUrl);
    const delta = (name: string, labels: Record<string, string>) =>
      (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);
    const created = "orderspine_orders_created_total";
    expect(delta(created, { channel: "CHANNEL_B2B_PORTAL", mode: "live" })).toBe(1);
    expect(delta(created, { channel: "CHANNEL_STOREFRONT", mode: "test" })).toBe(1);
    const replays = { procedure: "orders.v1.OrdersService/CreateOrder" };
    expect(delta("orderspine_idempotency_replays_total", replays)).toBe(1);
    // No tenant id reaches a label.
    expect(after.samples.some((s) => Object.values(s.labels).includes(tenant.tenantId))).toBe(false);
  });

  it("shows the relay's publishes and the events' lag, the outbox's backlog, the pool and Node's runtime", async () => {
    const clients = clientsFor("grpc-http2", service.url, tenant.key);
    const before = await scrape(service.metricsUrl);
    await clients.orders.createOrder(seedOrderRequest(await createCustomerId(clients)));
    const published = { stream: "ORDERS" };
    let after = before;
    await waitFor("the order's event published", async () => {
      after = await scrape(service.metricsUrl);
      const count = (s: typeof after) => s.value("orderspine_outbox_published_total", published) ?? 0;
      return count(after) > count(before);
    });
    expect(after.value("orderspine_event_lag_seconds_count", published)).toBeGreaterThan(0);
    expect(after.value("orderspine_event_lag_seconds_bucket", { ...published, le: "+Inf" })).toBeGreaterThan(0);
    expect(after.value("orderspine_outbox_backlog")).toBeGreaterThanOrEqual(0);
    expect(after.value("orderspine_outbox_oldest_unpublished_age_seconds")).toBeGreaterThanOrEqual(0);
    expect(after.value("orderspine_db_pool_connections", { state: "in_use" })).toBeGreaterThanOrEqual(0);
    expect(after.value("orderspine_db_pool_connections", { state: "idle" })).toBeGreaterThanOrEqual(0);
    expect(after.value("orderspine_db_pool_max_connections")).toBe(service.config.databasePoolMax);
    expect(after.value("orderspine_db_pool_waiting")).toBe(0);
    expect(after.value("orderspine_webhook_deliveries_pending", { state: "due" })).toBeGreaterThanOrEqual(0);
    expect(after.value("nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(after.value("nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    expect(after.types.get("nodejs_gc_duration_seconds")).toBe("histogram");
  });

  it("counts a streamed call when its stream ends, here cancelled by the client", async () => {
    const watch = { grpc_type: "server_stream", grpc_service: "grpc.health.v1.Health", grpc_method: "Watch" };
    const cancelled = { ...watch, protocol: "grpc", grpc_code: "Canceled" };
    const before = await scrape(service.metricsUrl);
    const health = createClient(Health, transportFor("grpc-http2", service.url));
    const abort = new AbortController();
    const stream = health.watch({ service: "" }, { signal: abort.signal })[Symbol.asyncIterator]();
    await stream.next();
    abort.abort();
    await stream.next().catch(() => undefined);
    let after = before;
    await waitFor("the watch counted as handled", async () => {
      after = await scrape(service.metricsUrl);
      return after.value("grpc_server_handled_total", cancelled) !== undefined;
    });
    const delta = (name: string, labels: Record<string, string>) =>
      (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);
    expect(delta("grpc_server_started_total", { ...watch, protocol: "grpc" })).toBe(1);
    expect(delta("grpc_server_handled_total", cancelled)).toBe(1);
  });

  it("answers HEAD, and leaves every other path to the API and the console", async () => {
    const head = await fetch(service.metricsUrl, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const post = await fetch(service.metricsUrl, { method: "POST" });
    expect(post.status).not.toBe(200);
  });
});

describe("METRICS_PORT", () => {
  let separate: TestService;
  beforeAll(async () => {
    separate = await startTestService({ metricsPort: 0 });
  });
  afterAll(() => ifSetUp(separate)?.shutdown());

  it("serves /metrics on a listener of its own and no longer on the API port", async () => {
    expect(new URL(separate.metricsUrl).port).not.toBe(String(separate.port));
    const metrics = await scrape(separate.metricsUrl);
    expect(metrics.types.get("grpc_server_started_total")).toBe("counter");
    expect(metrics.types.get("orderspine_outbox_backlog")).toBe("gauge");
    const onApiPort = await fetch(`${separate.url}/metrics`);
    expect(onApiPort.headers.get("content-type") ?? "").not.toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await fetch(new URL("/", separate.metricsUrl))).status).toBe(404);
  });
});
