import { fileURLToPath } from "node:url";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { connectNodeAdapter, createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../../gen/grpc/health/v1/health_pb.js";
import { HealthState, registerHealth } from "../../../src/platform/transport/health.js";
import { createServer, type OrderspineServer } from "../../../src/platform/transport/server.js";

let state: HealthState;
let server: OrderspineServer;
let port: number;
let overHttp1: Client<typeof Health>;
let overGrpc: Client<typeof Health>;

beforeEach(async () => {
  state = new HealthState();
  server = createServer({
    handler: connectNodeAdapter({ routes: (router) => registerHealth(router, state) }),
    logger: pino({ level: "silent" }),
  });
  let url: string;
  ({ url, port } = await server.listen(0, "127.0.0.1"));
  overHttp1 = createClient(Health, createConnectTransport({ baseUrl: url, httpVersion: "1.1" }));
  overGrpc = createClient(Health, createGrpcTransport({ baseUrl: url }));
});
afterEach(() => server.shutdown(0));

describe("Check", () => {
  it("reports the server NOT_SERVING until start-up marks it serving", async () => {
    expect((await overHttp1.check({})).status).toBe(ServingStatus.NOT_SERVING);
    state.setServing("", true);
    expect((await overHttp1.check({})).status).toBe(ServingStatus.SERVING);
    expect((await overGrpc.check({ service: "" })).status).toBe(ServingStatus.SERVING);
  });

  it("reports each registered service by name", async () => {
    state.setServing("orders.v1.OrdersService", true);
    state.setServing("orders.v1.CustomersService", false);
    expect((await overHttp1.check({ service: "orders.v1.OrdersService" })).status).toBe(ServingStatus.SERVING);
    expect((await overHttp1.check({ service: "orders.v1.CustomersService" })).status).toBe(ServingStatus.NOT_SERVING);
  });

  it("fails with NOT_FOUND for a service name it does not know", async () => {
    const error = await overHttp1.check({ service: "no.Such" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error).toMatchObject({ code: Code.NotFound, rawMessage: 'unknown service "no.Such"' });
  });

  it("answers a plain gRPC client that knows only health.proto", async () => {
    const definition = protoLoader.loadSync("grpc/health/v1/health.proto", {
      includeDirs: [fileURLToPath(new URL("../../../.deps/proto", import.meta.url))],
      enums: String,
    });
    const { Health: HealthClient } = (
      grpc.loadPackageDefinition(definition) as unknown as {
        grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
      }
    ).grpc.health.v1;
    const client = new HealthClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const check = (service: string) =>
      new Promise<unknown>((resolve, reject) =>
        (
          client as unknown as { check: (r: object, cb: (e: grpc.ServiceError | null, r: unknown) => void) => void }
        ).check({ service }, (e, r) => (e ? reject(e) : resolve(r))),
      );
    try {
      state.setServing("", true);
      await expect(check("")).resolves.toEqual({ status: "SERVING" });
      await expect(check("no.Such")).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    } finally {
      client.close();
    }
  });
});

describe("Watch", () => {
  it("sends the current status, then each change, and never repeats a status", async () => {
    state.setServing("", true);
    const stream = overGrpc.watch({ service: "" })[Symbol.asyncIterator]();
    expect((await stream.next()).value).toMatchObject({ status: ServingStatus.SERVING });

    state.setServing("", true); // no change
    state.setServing("orders.v1.OrdersService", false); // another service
    state.setServing("", false);
    expect((await stream.next()).value).toMatchObject({ status: ServingStatus.NOT_SERVING });
    state.setServing("", true);
    expect((await stream.next()).value).toMatchObject({ status: ServingStatus.SERVING });
    await stream.return?.();
  });

  it("reports an unknown service as SERVICE_UNKNOWN and keeps watching until it appears", async () => {
    const stream = overHttp1.watch({ service: "orders.v1.OrdersService" })[Symbol.asyncIterator]();
    expect((await stream.next()).value).toMatchObject({ status: ServingStatus.SERVICE_UNKNOWN });
    state.setServing("orders.v1.OrdersService", true);
    expect((await stream.next()).value).toMatchObject({ status: ServingStatus.SERVING });
    await stream.return?.();
  });

  it("tells watchers NOT_SERVING on shutdown and then ends their calls", async () => {
    state.setServing("", true);
    const received: ServingStatus[] = [];
    const watching = (async () => {
      for await (const response of overGrpc.watch({ service: "" })) {
        received.push(response.status);
        if (received.length === 1) state.markShuttingDown();
      }
    })();
    await watching;
    expect(received).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]);

    // A watch that starts during shutdown learns the status and ends at once.
    const late: ServingStatus[] = [];
    for await (const response of overHttp1.watch({ service: "" })) late.push(response.status);
    expect(late).toEqual([ServingStatus.NOT_SERVING]);
  });

  it("ends when the client cancels the call", async () => {
    state.setServing("", true);
    const abort = new AbortController();
    const stream = overGrpc.watch({ service: "" }, { signal: abort.signal })[Symbol.asyncIterator]();
    expect((await stream.next()).value).toMatchObject({ status: ServingStatus.SERVING });
    abort.abort();
    await expect(stream.next()).rejects.toMatchObject({ code: Code.Canceled });

    // The server side finished too: shutdown has no call left to wait for.
    const startedAt = Date.now();
    await server.shutdown(10_000);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });
});

describe("List", () => {
  it("lists every service with its status", async () => {
    state.setServing("", true);
    state.setServing("orders.v1.OrdersService", false);
    const { statuses } = await overHttp1.list({});
    expect(Object.fromEntries(Object.entries(statuses).map(([name, response]) => [name, response.status]))).toEqual({
      "": ServingStatus.SERVING,
      "orders.v1.OrdersService": ServingStatus.NOT_SERVING,
    });
  });
});

describe("HealthState", () => {
  it("marks everything NOT_SERVING on shutdown and ignores later attempts to serve", () => {
    state.setServing("", true);
    state.setServing("orders.v1.OrdersService", true);
    state.markShuttingDown();
    state.setServing("", true);
    expect(state.shuttingDown).toBe(true);
    expect([...state.statuses().values()]).toEqual([ServingStatus.NOT_SERVING, ServingStatus.NOT_SERVING]);
  });

  it("wakes a waiter on a change, on abort, or at once if it already missed a change", async () => {
    const version = state.version;
    const changed = state.changedSince(version, new AbortController().signal);
    state.setServing("x", true);
    await changed;

    await state.changedSince(version, new AbortController().signal); // already stale: resolves at once

    const abort = new AbortController();
    const aborted = state.changedSince(state.version, abort.signal);
    abort.abort();
    await aborted;
    await state.changedSince(state.version, abort.signal); // already aborted
  });
});
