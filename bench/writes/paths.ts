import { createClient, type Client } from "@connectrpc/connect";
import { OrdersService, type CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import { transportFor, type Protocol } from "../../test/support/clients.js";
import { wireCaller, type WireCaller } from "./wire-client.js";

/** The wire paths the bench measures, each a protocol over the HTTP version its clients use. */
export const PATHS = {
  grpc: { label: "gRPC (HTTP/2, binary)", protocol: "grpc-http2" },
  "connect-json": { label: "Connect JSON (HTTP/1.1)", protocol: "connect-json-http1" },
  "connect-binary": { label: "Connect binary (HTTP/2)", protocol: "connect-binary-http2" },
} as const satisfies Record<string, { label: string; protocol: Protocol }>;

export type PathName = keyof typeof PATHS;

export function isPathName(name: string): name is PathName {
  return Object.hasOwn(PATHS, name);
}

/**
 * A fresh client per cell: gRPC and Connect binary multiplex every call over one HTTP/2 session,
 * as their clients do; Connect JSON opens HTTP/1.1 keep-alive connections as needed (one per call
 * in flight).
 */
export function ordersClient(path: PathName, serviceUrl: string): Client<typeof OrdersService> {
  return createClient(OrdersService, transportFor(PATHS[path].protocol, serviceUrl));
}

/** Which client drives the load: pre-encoded bytes on the wire (default), or the Connect client library. */
export type ClientKind = "wire" | "connect";

/** A caller that sends the prepared CreateOrder requests in turn over one path. */
export function orderCaller(
  client: ClientKind,
  path: PathName,
  serviceUrl: string,
  key: string,
  requests: readonly CreateOrderRequest[],
  concurrency: number,
): WireCaller {
  if (client === "wire") return wireCaller(path, serviceUrl, key, requests, concurrency);
  const orders = ordersClient(path, serviceUrl);
  const options = { headers: { authorization: `Bearer ${key}` } };
  let next = 0;
  return {
    call: async () => {
      const request = requests[next++ % requests.length];
      if (!request) throw new Error("no order request prepared");
      await orders.createOrder(request, options);
    },
    close: () => undefined,
  };
}
