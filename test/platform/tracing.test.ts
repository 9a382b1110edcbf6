import { randomBytes } from "node:crypto";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { createTenant, issueApiKey } from "../../src/admin/tenants.js";
import { createOrm } from "../../src/database.js";
import { clientsOver, PROTOCOLS, transportFor, type Clients, type Protocol } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { seedOrderRequest } from "../support/fixtures.js";
import { OtlpReceiver, type ReceivedSpan } from "../support/otlp-receiver.js";
import { ServiceProcess } from "../support/service-process.js";
import { readStored } from "../support/stream-reader.js";
import { waitFor } from "../support/wait-for.js";
import { Receiver } from "../webhooks/support/receiver.js";

const HOOK_PATH = "/hooks";
let receiver: OtlpReceiver;
let partner: Receiver;
let service: ServiceProcess;
let tenantId: string;
let key: string;
let adminKey: string;

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  partner = await Receiver.start();
  const orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 1 });
  try {
    const em = orm.em.fork();
    const tenant = await createTenant(em, "tracing test");
    tenantId = tenant.id;
    key = (await issueApiKey(em, tenant.id, { role: "editor" })).key;
    adminKey = (await issueApiKey(em, tenant.id, { role: "admin" })).key;
  } finally {
    await orm.close();
  }
  service = await ServiceProcess.start({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    // Spans leave in batches every 100 ms instead of every 5 s.
    OTEL_BSP_SCHEDULE_DELAY: "100",
    // Webhooks to a loopback partner, read through consumers of this file's own (test/support/service.ts explains).
    WEBHOOK_DISPATCHER: "true",
    WEBHOOK_ALLOW_HTTP: "true",
    WEBHOOK_ALLOW_PRIVATE: "true",
    WEBHOOK_CONSUMER: `tracing-test-${tenantId}`,
    WEBHOOK_CONSUMER_LOOKBACK_MS: "60000",
    WEBHOOK_CONSUMER_INACTIVE_MS: "300000",
  });
});
afterAll(async () => {
  await service.stop();
  await partner.down();
  await receiver.stop();
});

/** A caller's span context: the traceparent a client in another service would send. */
function callerContext(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

function clients(protocol: Protocol, traceparent?: string, bearer = key): Clients {
  const headers: Interceptor = (next) => (req) => {
    req.header.set("Authorization", `Bearer ${bearer}`);
    if (traceparent !== undefined) req.header.set("traceparent", traceparent);
    return next(req);
  };
  return clientsOver(transportFor(protocol, service.url, [headers]));
}

/** Waits until the trace has a span matching `find`, and returns the trace's spans. */
async function traceWith(traceId: string, what: string, find: (span: ReceivedSpan) => boolean) {
  await waitFor(what, () => receiver.trace(traceId).some(find));
  return receiver.trace(traceId);
}

function named(spans: readonly ReceivedSpan[], name: string): ReceivedSpan {
  const span = spans.find((candidate) => candidate.name === name);
  if (span === undefined) throw new Error(`no span ${name} among ${spans.map((s) => s.name).join(", ")}`);
  return span;
}

describe("traces over OTLP", () => {
  it.each(PROTOCOLS)(
    "%s: a call with a traceparent is a server span of the caller's trace, with the RPC attributes and its database spans under it",
    async (protocol) => {
      const caller = callerContext();
      await clients(protocol, caller.traceparent).customers.createCustomer({
        email: `trace-${caller.spanId}@example.com`,
        name: "Trace Buyer",
      });
      const spans = await traceWith(caller.traceId, "the CreateCustomer server span", (span) =>
        span.name.endsWith("/CreateCustomer"),
      );
      const server = named(spans, "orders.v1.CustomersService/CreateCustomer");
      const grpc = protocol.startsWith("grpc");
      expect(server).toMatchObject({
        parentSpanId: caller.spanId,
        kind: "SPAN_KIND_SERVER",
        status: "STATUS_CODE_UNSET",
        serviceName: "orderspine",
        attributes: {
          "rpc.system.name": grpc ? "grpc" : "connectrpc",
          "rpc.method": "orders.v1.CustomersService/CreateCustomer",
          "rpc.system": grpc ? "grpc" : "connect_rpc",
          "rpc.service": "orders.v1.CustomersService",
        },
      });
      if (grpc) expect(server.attributes).toMatchObject({ "rpc.status_code": "OK", "rpc.grpc.status_code": 0 });
      // The insert reached PostgreSQL inside the call's span (the pg instrumentation).
      await traceWith(caller.traceId, "a pg query span", (span) => span.attributes["db.system.name"] === "postgresql");
      const queries = receiver
        .trace(caller.traceId)
        .filter((span) => span.scope === "@opentelemetry/instrumentation-pg" && span.kind === "SPAN_KIND_CLIENT");
      expect(queries.length).toBeGreaterThan(0);
      const ancestors = ancestorsOf(receiver.trace(caller.traceId));
      for (const query of queries) expect(ancestors(query)).toContain(server.spanId);
    },
  );

  it("a refused call's span carries its code, and a call without a traceparent starts a trace of its own", async () => {
    const caller = callerContext();
    await expect(
      clients("grpc-http2", caller.traceparent).orders.getOrder({ id: crypto.randomUUID() }),
    ).rejects.toThrow();
    const spans = await traceWith(caller.traceId, "the GetOrder span", (span) => span.name.endsWith("/GetOrder"));
    expect(named(spans, "orders.v1.OrdersService/GetOrder")).toMatchObject({
      // NOT_FOUND is the caller's answer, not a server fault: the status stays unset.
      status: "STATUS_CODE_UNSET",
      attributes: { "rpc.status_code": "NOT_FOUND", "rpc.grpc.status_code": 5, "error.type": "NOT_FOUND" },
    });

    const before = new Set(receiver.spans.map((span) => span.traceId));
    await expect(clients("connect-json-http1").orders.getOrder({ id: crypto.randomUUID() })).rejects.toThrow();
    await waitFor("an untraced call's span", () =>
      receiver.spans.some((span) => span.name.endsWith("/GetOrder") && !before.has(span.traceId)),
    );
    const own = receiver.spans.find((span) => span.name.endsWith("/GetOrder") && !before.has(span.traceId));
    expect(own).toMatchObject({
      parentSpanId: "",
      attributes: { "rpc.status_code": "not_found", "rpc.connect_rpc.error_code": "not_found" },
    });
  });

  it("a streamed call's span ends when its stream does", async () => {
    const caller = callerContext();
    const abort = new AbortController();
    const headers: Interceptor = (next) => (req) => {
      req.header.set("traceparent", caller.traceparent);
      return next(req);
    };
    const health = createClient(Health, transportFor("grpc-http2", service.url, [headers]));
    const stream = health.watch({ service: "" }, { signal: abort.signal })[Symbol.asyncIterator]();
    expect((await stream.next()).done).toBe(false);
    abort.abort();
    await expect(stream.next()).rejects.toThrow();
    const spans = await traceWith(
      caller.traceId,
      "the Watch span",
      (span) => span.name === "grpc.health.v1.Health/Watch",
    );
    expect(named(spans, "grpc.health.v1.Health/Watch")).toMatchObject({
      parentSpanId: caller.spanId,
      kind: "SPAN_KIND_SERVER",
      attributes: { "rpc.system.name": "grpc", "rpc.method": "grpc.health.v1.Health/Watch" },
    });
  });

  it("CreateOrder's preparation, pricing and write are spans of its trace, and its log lines carry the trace", async () => {
    const caller = callerContext();
    const grpc = clients("grpc-http2", caller.traceparent);
    const untraced = clients("grpc-http2");
    const { customer } = await untraced.customers.createCustomer({
      email: `order-${caller.spanId}@example.com`,
      name: "Trace Buyer",
    });
    await grpc.orders.createOrder(seedOrderRequest(customer?.id ?? ""));
    const spans = await traceWith(caller.traceId, "the orders.write span", (span) => span.name === "orders.write");
    const server = named(spans, "orders.v1.OrdersService/CreateOrder");
    const prepare = named(spans, "orders.prepare");
    const price = named(spans, "orders.price");
    const write = named(spans, "orders.write");
    expect(prepare.parentSpanId).toBe(server.spanId);
    expect(price.parentSpanId).toBe(prepare.spanId);
    expect(write.parentSpanId).toBe(server.spanId);
    // The order's one insert statement runs inside orders.write.
    await traceWith(
      caller.traceId,
      "the insert under orders.write",
      (span) => span.parentSpanId === write.spanId && span.scope === "@opentelemetry/instrumentation-pg",
    );

    const rpcLine = service.logLines
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === "rpc" && line.trace_id === caller.traceId);
    expect(rpcLine).toMatchObject({ procedure: "orders.v1.OrdersService/CreateOrder", span_id: server.spanId });
  });
});

describe("one trace through the outbox", () => {
  it("shows the order placed, its event published and its webhook delivered, and carries the trace on NATS and to the partner", async () => {
    await clients("connect-json-http1", undefined, adminKey).webhooks.createWebhookEndpoint({
      webhookEndpoint: { url: partner.url(HOOK_PATH), eventTypes: ["order.created"] },
    });
    const caller = callerContext();
    const { customer } = await clients("grpc-http2").customers.createCustomer({
      email: `outbox-${caller.spanId}@example.com`,
      name: "Trace Buyer",
    });
    const { order } = await clients("grpc-http2", caller.traceparent).orders.createOrder(
      seedOrderRequest(customer?.id ?? ""),
    );
    const orderId = order?.id ?? "";

    const spans = await traceWith(caller.traceId, "the webhook attempt's span", (span) =>
      span.name.startsWith("webhook "),
    );
    const server = named(spans, "orders.v1.OrdersService/CreateOrder");
    const write = named(spans, "orders.write");
    const publish = named(spans, "publish order.created");
    const delivery = named(spans, "webhook order.created");
    // The row's traceparent was taken in orders.write; the publish continues it, the delivery the publish.
    expect(write.parentSpanId).toBe(server.spanId);
    expect(publish).toMatchObject({
      parentSpanId: write.spanId,
      kind: "SPAN_KIND_PRODUCER",
      attributes: {
        "messaging.system": "nats",
        "messaging.operation.name": "publish",
        "messaging.destination.name": `orders.${tenantId}.created`,
        "cloudevents.event_type": "order.created",
      },
    });
    expect(delivery).toMatchObject({
      parentSpanId: publish.spanId,
      kind: "SPAN_KIND_CLIENT",
      status: "STATUS_CODE_UNSET",
      attributes: {
        "http.request.method": "POST",
        "http.response.status_code": 204,
        "server.address": "127.0.0.1",
        "cloudevents.event_type": "order.created",
        "orderspine.webhook.attempt": 1,
      },
    });

    // The stream's message carries the publish span as its traceparent, as a NATS header and a CloudEvents extension.
    const nc = await connect({ servers: inject("natsUrl") });
    try {
      const stored = (await readStored(nc, `orders.${tenantId}.created`)).find(
        (message) => message.headers["ce-subject"] === orderId,
      );
      const published = `00-${caller.traceId}-${publish.spanId}-01`;
      expect(stored?.headers).toMatchObject({ traceparent: published, "ce-traceparent": published });
    } finally {
      await nc.close();
    }
    // The partner got the attempt's span as its traceparent, to continue the trace on its side.
    const hook = partner.at(HOOK_PATH).find((request) => request.body.includes(orderId));
    expect(hook?.headers.traceparent).toBe(`00-${caller.traceId}-${delivery.spanId}-01`);
  });
});

/** The span ids above a span, nearest first. */
function ancestorsOf(spans: readonly ReceivedSpan[]): (span: ReceivedSpan) => string[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  return (span) => {
    const ids: string[] = [];
    for (let parent = byId.get(span.parentSpanId); parent !== undefined; parent = byId.get(parent.parentSpanId))
      ids.push(parent.spanId);
    return ids;
  };
}
