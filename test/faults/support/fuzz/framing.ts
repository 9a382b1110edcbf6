import type { ListOrdersRequest } from "../../../../gen/orders/v1/orders_service_pb.js";
import type { Prng } from "../prng.js";
import type { RawRequest } from "./raw-client.js";
import { ADMIN_KEY_PLACEHOLDER, KEY_PLACEHOLDER } from "./requests.js";

/** One hostile request: what is sent, and in words what was done to it (for the regression file). */
export interface FuzzCase extends RawRequest {
  category: string;
  description: string;
  /** For a FulfillOrder or DeliverOrder of one of the target's orders: its slot in FuzzTarget.orderIds. */
  orderSlot?: number;
  /** The request_id a lifecycle call (FulfillOrder, DeliverOrder) carries, if any: it may leave an idempotency record. */
  lifecycleRequestId?: string;
}

export interface FuzzTarget {
  /** A customer of the tenant, so mutated valid orders get as far as the database. */
  customerId: string;
  /**
   * Orders created for the fuzzer (not by it), so that FulfillOrder and DeliverOrder reach the database and
   * reads over JSON meet whatever those calls stored. A fixed number of slots: the campaign puts a new
   * order in a slot whose order was delivered. Cases choose a slot, never depending on its content, so the
   * same seed still gives the same sequence of cases.
   */
  orderIds: string[];
  /** ListOrders requests the service answered with a next_page_token, with that token: the material of edited tokens. */
  pages: readonly { request: ListOrdersRequest; token: string }[];
}

/** How a unary request is carried: protocol and codec. */
export type Wire = "connect-json" | "connect-proto" | "grpc-proto" | "grpc-json" | "grpc-web-proto" | "grpc-web-json";
export const PROTO_WIRES: readonly Wire[] = ["connect-proto", "grpc-proto", "grpc-web-proto"];
export const JSON_WIRES: readonly Wire[] = ["connect-json", "connect-json", "grpc-json", "grpc-web-json"];
export const ALL_WIRES: readonly Wire[] = [...PROTO_WIRES, ...JSON_WIRES];

export const CREATE_ORDER = "/orders.v1.OrdersService/CreateOrder";
export const GET_ORDER = "/orders.v1.OrdersService/GetOrder";
export const LIST_ORDERS = "/orders.v1.OrdersService/ListOrders";
export const FULFILL_ORDER = "/orders.v1.OrdersService/FulfillOrder";
export const DELIVER_ORDER = "/orders.v1.OrdersService/DeliverOrder";

export function isJsonWire(wire: Wire): boolean {
  return wire.endsWith("json");
}

/**
 * Wraps a payload the way `wire` carries a unary request, over a transport that protocol is used on, with
 * the tenant's editor key (or its admin key, for imports).
 */
export function framed(
  prng: Prng,
  wire: Wire,
  payload: Uint8Array,
  path = CREATE_ORDER,
  key: "editor" | "admin" = "editor",
): RawRequest {
  const headers: Record<string, string> = {
    authorization: `Bearer ${key === "admin" ? ADMIN_KEY_PLACEHOLDER : KEY_PLACEHOLDER}`,
  };
  let body = payload;
  let transport: RawRequest["transport"] = prng.chance(0.5) ? "http1" : "h2";
  switch (wire) {
    case "connect-json":
    case "connect-proto":
      headers["content-type"] = wire === "connect-json" ? "application/json" : "application/proto";
      if (prng.chance(0.5)) headers["connect-protocol-version"] = "1";
      break;
    case "grpc-proto":
    case "grpc-json":
      headers["content-type"] =
        wire === "grpc-json" ? "application/grpc+json" : prng.pick(["application/grpc", "application/grpc+proto"]);
      headers.te = "trailers";
      body = envelope(0, payload);
      // gRPC runs on HTTP/2; a few go over HTTP/1.1 anyway, as a confused proxy would send them.
      transport = prng.chance(0.95) ? "h2" : "http1";
      break;
    case "grpc-web-proto":
    case "grpc-web-json":
      headers["content-type"] =
        wire === "grpc-web-json"
          ? "application/grpc-web+json"
          : prng.pick(["application/grpc-web", "application/grpc-web+proto"]);
      headers["x-grpc-web"] = "1";
      body = envelope(0, payload);
      break;
  }
  return { transport, method: "POST", path, headers, body };
}

export function envelope(flags: number, payload: Uint8Array, declaredLength = payload.byteLength): Buffer {
  const prefix = Buffer.alloc(5);
  prefix[0] = flags;
  prefix.writeUInt32BE(declaredLength >>> 0, 1);
  return Buffer.concat([prefix, payload]);
}

export function utf8(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

export function caseOf(category: string, description: string, request: RawRequest): FuzzCase {
  return { category, description, ...request };
}
