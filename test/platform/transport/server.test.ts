import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Health, HealthCheckResponse_ServingStatus } from "../../../gen/grpc/health/v1/health_pb.js";
import { withCors, type CorsOptions } from "../../../src/platform/transport/cors.js";
import { HealthState, registerHealth } from "../../../src/platform/transport/health.js";
import { createServer, type OrderspineServer, type ServerOptions } from "../../../src/platform/transport/server.js";

const logger = pino({ level: "silent" });
const servers: OrderspineServer[] = [];
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await Promise.all(servers.splice(0).map((server) => server.shutdown(0)));
});

async function start(
  routes: (router: ConnectRouter) => void,
  options: Partial<ServerOptions> & { cors?: CorsOptions } = {},
) {
  const handler = withCors(connectNodeAdapter({ routes }), options.cors);
  const server = createServer({ handler, logger, ...options });
  servers.push(server);
  const { url, port } = await server.listen(0, "127.0.0.1");
  return { server, url, port };
}

function servingHealth(router: ConnectRouter) {
  const state = new HealthState();
  state.setServing("", true);
  registerHealth(router, state);
}

// ---- clients -------------------------------------------------------------------------------

interface HttpResult {
  status: number;
  httpVersion: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function http1Request(
  url: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, url),
      { method: options.method ?? "POST", headers: options.headers, agent: options.agent },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, httpVersion: res.httpVersion, headers: res.headers, body }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

function connectJson(url: string, body = "{}", headers: Record<string, string> = {}, agent?: http.Agent) {
  return http1Request(url, "/grpc.health.v1.Health/Check", {
    headers: { "content-type": "application/json", ...headers },
    body,
    agent,
  });
}

function h2Request(session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: string) {
  return new Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const stream = session.request(headers);
    let responseHeaders: http2.IncomingHttpHeaders | undefined;
    let text = "";
    stream.on("response", (h) => (responseHeaders = h));
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (text += chunk));
    stream.on("error", reject);
    stream.on("close", () => {
      if (!responseHeaders) reject(new Error(`stream closed without a response (RST_STREAM code ${stream.rstCode})`));
      else resolve({ status: Number(responseHeaders[":status"]), headers: responseHeaders, body: text });
    });
    stream.end(body);
  });
}

function h2ConnectJson(session: http2.ClientHttp2Session, extra: http2.OutgoingHttpHeaders = {}) {
  return h2Request(
    session,
    { ":method": "POST", ":path": "/grpc.health.v1.Health/Check", "content-type": "application/json", ...extra },
    "{}",
  );
}

const healthProto = protoLoader.loadSync("grpc/health/v1/health.proto", {
  includeDirs: [fileURLToPath(new URL("../../../.deps/proto", import.meta.url))],
  enums: String,
  defaults: true,
});
const HealthClient = (
  grpc.loadPackageDefinition(healthProto) as unknown as {
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
  }
).grpc.health.v1.Health;

type GrpcCheck = (
  request: { service: string },
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, response?: { status: string }) => void,
) => void;

function grpcHealthClient(port: number) {
  const client = new HealthClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  cleanups.push(() => client.close());
  const check = (client as unknown as { check: GrpcCheck }).check.bind(client);
  return (service = "", metadata = new grpc.Metadata()) =>
    new Promise<{ status: string }>((resolve, reject) =>
      check({ service }, metadata, (error, response) => (error ? reject(error) : resolve(response ?? { status: "" }))),
    );
}

function h2Session(url: string) {
  const session = http2.connect(url);
  session.on("error", () => {});
  cleanups.push(() => session.destroy());
  return session;
}

function rawSocket(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  cleanups.push(() => socket.destroy());
  const received: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => received.push(chunk));
  const closed = new Promise<Buffer>((resolve) => socket.once("close", () => resolve(Buffer.concat(received))));
  return { socket, closed, received: () => Buffer.concat(received) };
}

function connectOnce(port: number) {
  return new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve();
    });
    socket.on("error", reject);
  });
}

// ---- tests ---------------------------------------------------------------------------------

describe("one port for HTTP/1.1 and cleartext HTTP/2", () => {
  it("answers a Connect JSON call over HTTP/1.1 and a gRPC call over h2c on the same port", async () => {
    const { url, port } = await start(servingHealth);

    const viaHttp1 = await connectJson(url);
    expect(viaHttp1).toMatchObject({ status: 200, httpVersion: "1.1", body: '{"status":"SERVING"}' });

    const viaGrpc = await grpcHealthClient(port)();
    expect(viaGrpc).toEqual({ status: "SERVING" });
  });

  it("recognises the HTTP/2 preface when it arrives in pieces", async () => {
    const { port } = await start(servingHealth);
    const { socket, received } = rawSocket(port);
    await new Promise((resolve) => socket.once("connect", resolve));

    socket.write("PRI * HTTP/2.0\r\n");
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The rest of the preface, then an empty SETTINGS frame (length 0, type 4, flags 0, stream 0).
    socket.write(Buffer.concat([Buffer.from("\r\nSM\r\n\r\n"), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]));

    // An HTTP/2 server's first frame is its SETTINGS frame.
    await vi.waitFor(() => expect(received().length).toBeGreaterThanOrEqual(9));
    expect(received()[3]).toBe(4);
  });

  it("serves HTTP/1.1 whose first packet is shorter than the preface", async () => {
    const { port } = await start(servingHealth);
    const { socket, closed } = rawSocket(port);
    await new Promise((resolve) => socket.once("connect", resolve));

    socket.write("P");
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write(
      "OST /grpc.health.v1.Health/Check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    );

    const response = (await closed).toString("latin1");
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(response).toMatch(/\{"status":"SERVING"\}$/);
  });

  it("closes a connection that sends nothing within the preface timeout", async () => {
    const { port } = await start(servingHealth, { tuning: { prefaceTimeoutMs: 100 } });
    const silent = rawSocket(port);
    const partial = rawSocket(port);
    partial.socket.write("PRI * HT");

    const startedAt = Date.now();
    await Promise.all([silent.closed, partial.closed]);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it("drops a connection that ends before it said which protocol it speaks", async () => {
    const { server, port } = await start(servingHealth);
    const { socket, closed } = rawSocket(port);
    socket.end("PRI * HT");
    expect((await closed).length).toBe(0);

    // Nothing of that connection is left over for shutdown to wait for.
    const startedAt = Date.now();
    await server.shutdown(10_000);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  it("reports a port that is already taken", async () => {
    const { port } = await start(servingHealth);
    const second = createServer({ handler: connectNodeAdapter({ routes: servingHealth }), logger });
    await expect(second.listen(port, "127.0.0.1")).rejects.toMatchObject({ code: "EADDRINUSE" });
  });

  it("advertises its HTTP/2 limits and flow-control windows", async () => {
    const { url } = await start(servingHealth, { maxHeaderBytes: 12_345 });
    const session = h2Session(url);
    await h2ConnectJson(session);
    expect(session.remoteSettings).toMatchObject({
      maxHeaderListSize: 12_345,
      maxConcurrentStreams: 256,
      initialWindowSize: 1024 * 1024,
    });
    // The connection-level window is raised with WINDOW_UPDATE rather than SETTINGS.
    expect(session.state.remoteWindowSize).toBeGreaterThan(8 * 1024 * 1024 - 1024); // less the request body sent
  });
});

describe("request headers over the limit", () => {
  const big = "a".repeat(20_000);

  it("are refused with 431 on HTTP/1.1", async () => {
    const { url } = await start(servingHealth);
    const response = await connectJson(url, "{}", { "x-big": big });
    expect(response.status).toBe(431);
  });

  it("are refused for that one call on HTTP/2 while the connection keeps serving", async () => {
    const { url, port } = await start(servingHealth);

    // A new connection's first requests go out before the client acknowledged our SETTINGS, when
    // only nghttp2's 64 KiB default holds; the server checks those itself and answers cleanly.
    const session = h2Session(url);
    const early = await h2ConnectJson(session, { "x-big": big });
    expect(early.status).toBe(431);
    expect(JSON.parse(early.body)).toEqual({
      code: "resource_exhausted",
      message: "request headers exceed the 16384-byte limit",
    });
    // After the acknowledgement, Node resets just that stream.
    await expect(h2ConnectJson(session, { "x-big": big })).rejects.toMatchObject({ code: "ERR_HTTP2_STREAM_ERROR" });
    await expect(h2ConnectJson(session)).resolves.toMatchObject({ status: 200, body: '{"status":"SERVING"}' });

    const check = grpcHealthClient(port);
    const metadata = new grpc.Metadata();
    metadata.set("x-big", big);
    await expect(check("", metadata)).rejects.toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED });
    await expect(check("", metadata)).rejects.toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED });
    await expect(check()).resolves.toEqual({ status: "SERVING" });
  });

  it("are refused with a gRPC status before the client acknowledged the limit", async () => {
    const { url } = await start(servingHealth);
    const session = h2Session(url);
    // An empty gRPC frame (flag 0, length 0) encodes the default HealthCheckRequest.
    const response = await h2Request(
      session,
      {
        ":method": "POST",
        ":path": "/grpc.health.v1.Health/Check",
        "content-type": "application/grpc",
        te: "trailers",
        "x-big": big,
      },
      "\0\0\0\0\0",
    );
    expect(response.status).toBe(200);
    expect(response.headers["grpc-status"]).toBe(String(grpc.status.RESOURCE_EXHAUSTED));
    expect(decodeURIComponent(String(response.headers["grpc-message"]))).toBe(
      "request headers exceed the 16384-byte limit",
    );
  });

  it("honour a configured limit", async () => {
    const { url } = await start(servingHealth, { maxHeaderBytes: 4_096 });
    expect((await connectJson(url, "{}", { "x-medium": "a".repeat(5_000) })).status).toBe(431);
    expect((await connectJson(url, "{}", { "x-small": "a".repeat(1_000) })).status).toBe(200);
  });
});

describe("CORS", () => {
  const preflightHeaders = {
    origin: "https://shop.example",
    "access-control-request-method": "POST",
    "access-control-request-headers": "content-type,connect-protocol-version,authorization,x-grpc-web,grpc-timeout",
  };

  it("answers a preflight with the protocol's headers, Authorization and a cache lifetime", async () => {
    const { url } = await start(servingHealth, { cors: { origins: ["https://shop.example"] } });
    const response = await http1Request(url, "/grpc.health.v1.Health/Check", {
      method: "OPTIONS",
      headers: preflightHeaders,
    });

    expect(response.status).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe("https://shop.example");
    expect(response.headers["access-control-allow-methods"]).toBe("POST,GET");
    const allowed = String(response.headers["access-control-allow-headers"]).toLowerCase().split(",");
    expect(allowed).toEqual(
      expect.arrayContaining([
        "content-type",
        "connect-protocol-version",
        "connect-timeout-ms",
        "authorization",
        "x-grpc-web",
        "grpc-timeout",
      ]),
    );
    expect(response.headers["access-control-max-age"]).toBe("7200");
  });

  it("answers a preflight over HTTP/2 too", async () => {
    const { url } = await start(servingHealth, { cors: { origins: ["https://shop.example"], maxAgeSeconds: 600 } });
    const session = h2Session(url);
    const response = await h2Request(session, {
      ":method": "OPTIONS",
      ":path": "/grpc.health.v1.Health/Check",
      ...preflightHeaders,
    });
    expect(response.status).toBe(204);
    expect(response.headers["access-control-max-age"]).toBe("600");
  });

  it("lets scripts read the gRPC status headers of a real call, from any origin when told to", async () => {
    const { url } = await start(servingHealth, { cors: { origins: "*" } });
    const response = await connectJson(url, "{}", { origin: "https://shop.example" });
    expect(response.status).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    const exposed = String(response.headers["access-control-expose-headers"]).toLowerCase().split(",");
    expect(exposed).toEqual(expect.arrayContaining(["grpc-status", "grpc-message", "grpc-status-details-bin"]));
  });

  it("adds nothing to a call without an Origin (not a browser's), beyond Vary when origins are limited", async () => {
    const open = await start(servingHealth, { cors: { origins: "*" } });
    const plain = await connectJson(open.url, "{}");
    expect(plain.status).toBe(200);
    expect(Object.keys(plain.headers).filter((name) => name.startsWith("access-control-"))).toEqual([]);
    const limited = await start(servingHealth, { cors: { origins: ["https://shop.example"] } });
    const varied = await connectJson(limited.url, "{}");
    expect(Object.keys(varied.headers).filter((name) => name.startsWith("access-control-"))).toEqual([]);
    expect(varied.headers.vary).toMatch(/Origin/);
  });

  it("allows only the configured origins", async () => {
    const { url } = await start(servingHealth, { cors: { origins: ["https://shop.example"] } });
    const allowed = await http1Request(url, "/", { method: "OPTIONS", headers: preflightHeaders });
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://shop.example");
    expect(allowed.headers.vary).toMatch(/Origin/);

    const other = await http1Request(url, "/", {
      method: "OPTIONS",
      headers: { ...preflightHeaders, origin: "https://evil.example" },
    });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("allows no other origin by default, and still answers calls from the service's own pages", async () => {
    const { url } = await start(servingHealth);
    const preflight = await http1Request(url, "/grpc.health.v1.Health/Check", {
      method: "OPTIONS",
      headers: preflightHeaders,
    });
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    const crossOrigin = await connectJson(url, "{}", { origin: "https://shop.example" });
    expect(crossOrigin.headers["access-control-allow-origin"]).toBeUndefined();
    // A browser sends Origin on a same-origin POST too; it needs no CORS headers, only an answer.
    const sameOrigin = await connectJson(url, "{}", { origin: url });
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.body).toBe(`{"status":"SERVING"}`);
  });
});

describe("graceful shutdown", () => {
  /** A health service whose Check waits until the test releases it. */
  function slowHealth() {
    const held: (() => void)[] = [];
    const started = { count: 0 };
    const routes = (router: ConnectRouter) =>
      router.service(Health, {
        async check(_request, context) {
          started.count++;
          await new Promise<void>((resolve, reject) => {
            held.push(resolve);
            context.signal.addEventListener("abort", () => reject(new ConnectError("cancelled", Code.Canceled)));
          });
          return { status: HealthCheckResponse_ServingStatus.SERVING };
        },
        async *watch() {
          started.count++;
          yield { status: HealthCheckResponse_ServingStatus.SERVING };
          await new Promise<void>((resolve) => held.push(resolve));
        },
        list: () => ({ statuses: {} }),
      });
    return { routes, started, release: () => held.splice(0).forEach((resolve) => resolve()) };
  }

  it("finishes in-flight calls on both protocols, sends GOAWAY and refuses new connections", async () => {
    const slow = slowHealth();
    const { server, url, port } = await start(slow.routes);

    // An idle keep-alive connection, to see it closed as soon as shutdown starts.
    const idleAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => idleAgent.destroy());
    const idleSocket = new Promise<net.Socket>((resolve) =>
      http
        .request(new URL("/grpc.health.v1.Health/List", url), {
          method: "POST",
          agent: idleAgent,
          headers: { "content-type": "application/json" },
        })
        .on("socket", resolve)
        .end("{}"),
    );
    const idleClosed = idleSocket.then((socket) => new Promise((resolve) => socket.once("close", resolve)));
    await vi.waitFor(() => expect(idleAgent.freeSockets).not.toEqual({}));

    const session = h2Session(url);
    const goaway = new Promise<number>((resolve) => session.once("goaway", (code: number) => resolve(code)));
    const viaHttp2 = h2ConnectJson(session);
    const viaHttp1 = connectJson(url);
    const viaGrpc = grpcHealthClient(port)();
    await vi.waitFor(() => expect(slow.started.count).toBe(3));

    const startedAt = Date.now();
    const stopped = server.shutdown(10_000);

    expect(await goaway).toBe(http2.constants.NGHTTP2_NO_ERROR);
    await idleClosed;
    await expect(connectOnce(port)).rejects.toMatchObject({ code: "ECONNREFUSED" });

    slow.release();
    await expect(viaHttp2).resolves.toMatchObject({ status: 200, body: '{"status":"SERVING"}' });
    const http1Response = await viaHttp1;
    expect(http1Response).toMatchObject({ status: 200, body: '{"status":"SERVING"}' });
    // The busy HTTP/1.1 connection is told to go away with its response.
    expect(http1Response.headers.connection).toBe("close");
    await expect(viaGrpc).resolves.toEqual({ status: "SERVING" });

    await stopped;
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it("closes an HTTP/1.1 connection whose streaming response had begun once the call ends", async () => {
    const slow = slowHealth();
    const { server, url } = await start(slow.routes);
    const agent = new http.Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    // A Connect server-streaming call: its response headers go out with the first message, before
    // shutdown could ask for "Connection: close".
    const watching = http1Request(url, "/grpc.health.v1.Health/Watch", {
      headers: { "content-type": "application/connect+json" },
      body: "\0\0\0\0\x02{}",
      agent,
    });
    await vi.waitFor(() => expect(slow.started.count).toBe(1));

    const stopped = server.shutdown(10_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const releasedAt = Date.now();
    slow.release();

    const response = await watching;
    expect(response.status).toBe(200);
    expect(response.headers.connection).toBe("keep-alive");
    expect(response.body).toContain('{"status":"SERVING"}');
    await stopped;
    expect(Date.now() - releasedAt).toBeLessThan(2_000);
  });

  it("destroys calls still running when the grace period ends", async () => {
    const slow = slowHealth();
    const { server, url, port } = await start(slow.routes);
    const session = h2Session(url);
    const viaHttp2 = h2ConnectJson(session);
    const viaHttp1 = connectJson(url);
    const viaGrpc = grpcHealthClient(port)();
    await vi.waitFor(() => expect(slow.started.count).toBe(3));

    const startedAt = Date.now();
    await server.shutdown(200);
    const took = Date.now() - startedAt;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(3_000);

    const [http2Result, http1Result, grpcResult] = await Promise.allSettled([viaHttp2, viaHttp1, viaGrpc]);
    expect(http2Result).toMatchObject({
      status: "rejected",
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any
      reason: { message: expect.stringMatching(/without a response/) },
    });
    expect(http1Result).toMatchObject({ status: "rejected", reason: { code: "ECONNRESET" } });
    expect(grpcResult).toMatchObject({ status: "rejected", reason: { code: grpc.status.UNAVAILABLE } });
  });

  it("returns the same promise when asked twice, and stops a server that never listened", async () => {
    const { server } = await start(servingHealth);
    const first = server.shutdown(1_000);
    expect(server.shutdown(1_000)).toBe(first);
    await first;

    const idle = createServer({ handler: connectNodeAdapter({ routes: servingHealth }), logger });
    await expect(idle.shutdown(100)).resolves.toBeUndefined();
  });
});

describe("HTTP/2 sessions and streams do not outlive their use", () => {
  /** A session on a server whose keep-alive timeout is 200 ms, one health call started on it, and its close. */
  async function healthCallOnShortLivedSession() {
    const { url } = await start(servingHealth, { tuning: { keepAliveTimeoutMs: 200 } });
    const session = http2.connect(url);
    session.on("error", () => undefined);
    cleanups.push(() => session.destroy());
    const closed = new Promise<void>((resolve) => session.once("close", () => resolve()));
    const stream = session.request({
      ":method": "POST",
      ":path": "/grpc.health.v1.Health/Check",
      "content-type": "application/json",
    });
    stream.on("error", () => undefined);
    return { stream, closed };
  }

  it("closes an idle HTTP/2 session after the keep-alive timeout, as HTTP/1.1 does", async () => {
    const { stream, closed } = await healthCallOnShortLivedSession();
    stream.end("{}");
    stream.resume();
    await new Promise((resolve) => stream.once("close", resolve));

    const idleSince = Date.now();
    await closed;
    expect(Date.now() - idleSince).toBeLessThan(5_000);
  });

  it("ends a session whose stream stalls mid-body instead of holding its buffered bytes for ever", async () => {
    const { stream, closed } = await healthCallOnShortLivedSession();
    // Half a message, then silence: the handler waits for the rest, which never comes.
    stream.write('{"service":');

    const stalledSince = Date.now();
    await closed;
    expect(Date.now() - stalledSince).toBeLessThan(5_000);
  });
});
