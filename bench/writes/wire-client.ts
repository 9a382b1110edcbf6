import { toBinary, toJsonString } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import http from "node:http";
import http2 from "node:http2";
import { CreateOrderRequestSchema, type CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import type { PathName } from "./paths.js";

const PROCEDURE = "/orders.v1.OrdersService/CreateOrder";

/** Calls CreateOrder with pre-encoded requests in turn; rejects with the call's status on failure. */
export interface WireCaller {
  /** A function property, not a method: the load loop calls it on its own. */
  readonly call: () => Promise<void>;
  close(): void;
}

/**
 * A load generator's client, like h2load or ghz: every request body is encoded once up front and
 * each call only writes bytes and checks the status (HTTP status, and grpc-status for gRPC), without
 * decoding the answer. On a 2-core machine that the service and PostgreSQL share, a full RPC client
 * library spends CPU the service would otherwise get (see --client connect for that comparison).
 */
export function wireCaller(
  path: PathName,
  baseUrl: string,
  key: string,
  requests: readonly CreateOrderRequest[],
  concurrency: number,
): WireCaller {
  switch (path) {
    case "grpc":
      return http2Caller(
        baseUrl,
        key,
        { "content-type": "application/grpc+proto", te: "trailers" },
        requests.map(grpcFrame),
        grpcOutcome,
      );
    case "connect-binary": {
      const bodies = requests.map((r) => Buffer.from(toBinary(CreateOrderRequestSchema, r)));
      return http2Caller(
        baseUrl,
        key,
        { "content-type": "application/proto", "connect-protocol-version": "1" },
        bodies,
        connectOutcome,
      );
    }
    case "connect-json":
      return http1JsonCaller(baseUrl, key, requests, concurrency);
  }
}

/** gRPC's length-prefixed message: a 0 compression flag, the 4-byte big-endian length, the bytes. */
function grpcFrame(request: CreateOrderRequest): Buffer {
  const message = toBinary(CreateOrderRequestSchema, request);
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

type Outcome = (
  headers: http2.IncomingHttpHeaders,
  trailers: http2.IncomingHttpHeaders | undefined,
) => string | undefined;

/** gRPC: HTTP 200 and grpc-status 0, in the trailers or (trailers-only errors) in the headers. */
const grpcOutcome: Outcome = (headers, trailers) => {
  if (Number(headers[":status"]) !== 200) return `HTTP ${String(headers[":status"])}`;
  const status = Number(trailers?.["grpc-status"] ?? headers["grpc-status"] ?? Number.NaN);
  return status === 0 ? undefined : (Code[status] ?? `grpc-status ${status}`);
};

/** Connect unary: HTTP 200 is success; errors are JSON bodies whose code the status already implies. */
const connectOutcome: Outcome = (headers) =>
  Number(headers[":status"]) === 200 ? undefined : `HTTP ${String(headers[":status"])}`;

function http2Caller(
  baseUrl: string,
  key: string,
  protocolHeaders: http2.OutgoingHttpHeaders,
  bodies: Buffer[],
  outcome: Outcome,
): WireCaller {
  // The service closes an HTTP/2 session that stays idle for its keep-alive timeout (65 s) with GOAWAY, as it
  // does an idle HTTP/1.1 connection, and a cell's caller sits idle while the other cells run: like any HTTP/2
  // client (and like the HTTP/1.1 agent below), the caller connects again once its session has gone away,
  // instead of failing every later call with "The session has been destroyed".
  const goneAway = new WeakSet<http2.ClientHttp2Session>();
  const open = (): http2.ClientHttp2Session => {
    const fresh = http2.connect(baseUrl);
    fresh.on("error", () => undefined);
    fresh.once("goaway", () => goneAway.add(fresh));
    return fresh;
  };
  let session = open();
  let next = 0;
  const headers = { ":method": "POST", ":path": PROCEDURE, ...protocolHeaders, authorization: `Bearer ${key}` };
  return {
    call: () =>
      new Promise<void>((resolve, reject) => {
        const body = bodies[next++ % bodies.length];
        if (session.closed || session.destroyed || goneAway.has(session)) {
          session.close();
          session = open();
        }
        const stream = session.request(headers);
        let response: http2.IncomingHttpHeaders = {};
        let trailers: http2.IncomingHttpHeaders | undefined;
        stream.on("response", (h) => (response = h));
        stream.on("trailers", (t: http2.IncomingHttpHeaders) => (trailers = t));
        stream.on("data", () => undefined);
        stream.on("error", reject);
        stream.on("close", () => {
          const failure = stream.rstCode ? `RST_STREAM ${stream.rstCode}` : outcome(response, trailers);
          if (failure) reject(new Error(failure));
          else resolve();
        });
        stream.end(body);
      }),
    close: () => session.close(),
  };
}

function http1JsonCaller(
  baseUrl: string,
  key: string,
  requests: readonly CreateOrderRequest[],
  concurrency: number,
): WireCaller {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const bodies = requests.map((r) => Buffer.from(toJsonString(CreateOrderRequestSchema, r)));
  const url = new URL(PROCEDURE, baseUrl);
  let next = 0;
  return {
    call: () =>
      new Promise<void>((resolve, reject) => {
        const body = bodies[next++ % bodies.length] ?? Buffer.alloc(0);
        const request = http.request(url, {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": body.length,
            "connect-protocol-version": "1",
            authorization: `Bearer ${key}`,
          },
        });
        request.on("response", (response) => {
          response.on("data", () => undefined);
          response.on("end", () =>
            response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`)),
          );
          response.on("error", reject);
        });
        request.on("error", reject);
        request.end(body);
      }),
    close: () => agent.destroy(),
  };
}
