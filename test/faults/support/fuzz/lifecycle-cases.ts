import { create, toBinary, toJson, type JsonObject } from "@bufbuild/protobuf";
import { TimestampSchema, type Timestamp } from "@bufbuild/protobuf/wkt";
import { Channel, FulfillmentSchema, OrderStatus, PaymentStatus } from "../../../../gen/orders/v1/order_pb.js";
import {
  CreateOrderRequestSchema,
  DeliverOrderRequestSchema,
  FulfillOrderRequestSchema,
  ListOrdersRequestSchema,
  OrderImportSchema,
  type ListOrdersRequest,
} from "../../../../gen/orders/v1/orders_service_pb.js";
import type { Prng } from "../prng.js";
import {
  caseOf,
  CREATE_ORDER,
  DELIVER_ORDER,
  framed,
  FULFILL_ORDER,
  GET_ORDER,
  JSON_WIRES,
  LIST_ORDERS,
  PROTO_WIRES,
  utf8,
  type FuzzCase,
  type FuzzTarget,
  type Wire,
} from "./framing.js";
import { HOSTILE_TIMESTAMP_LITERALS, HOSTILE_TIMESTAMPS, HOSTILE_TOKEN_TIMES } from "./hostile-values.js";
import { seededUuid, validOrderRequest } from "./requests.js";

/**
 * What the security review found and the fuzzer did not: out-of-range google.protobuf.Timestamp values in
 * binary messages (FulfillOrder.ship_time, DeliverOrder.deliver_time, OrderImport.placed_time, ListOrders'
 * create_time_start/end) and edited ListOrders page tokens. The lifecycle calls change orders created for the
 * fuzzer (FuzzTarget.orderIds), and reads of those orders over JSON follow, so a value stored that no JSON
 * encoder can carry shows up as the INTERNAL answer it causes.
 */

type TimeChoice =
  | { kind: "absent" }
  | { kind: "hostile"; seconds: bigint; nanos: number; note: string }
  | { kind: "recent"; offsetSeconds: number };

/** A time for a binary message: mostly hostile, sometimes absent (the service's default) or a valid recent one. */
function timeChoice(prng: Prng, recentSeconds: [number, number]): TimeChoice {
  const roll = prng.next();
  if (roll < 0.7) return { kind: "hostile", ...prng.pick(HOSTILE_TIMESTAMPS) };
  if (roll < 0.85) return { kind: "absent" };
  return { kind: "recent", offsetSeconds: prng.int(recentSeconds[0], recentSeconds[1]) };
}

/** The Timestamp of a choice; "recent" is relative to now, which never changes what the generator draws. */
function timestampOf(choice: TimeChoice): Timestamp | undefined {
  switch (choice.kind) {
    case "absent":
      return undefined;
    case "hostile":
      return create(TimestampSchema, { seconds: choice.seconds, nanos: choice.nanos });
    case "recent":
      return create(TimestampSchema, { seconds: BigInt(Math.floor(Date.now() / 1000) + choice.offsetSeconds) });
  }
}

function describeTime(field: string, choice: TimeChoice): string {
  switch (choice.kind) {
    case "absent":
      return `no ${field}`;
    case "hostile":
      return `${field} ${choice.seconds}s ${choice.nanos}ns (${choice.note})`;
    case "recent":
      return `${field} now${choice.offsetSeconds >= 0 ? "+" : ""}${choice.offsetSeconds}s`;
  }
}

/** A JSON body in which the string "@@time@@" is replaced by a raw JSON literal (a hostile timestamp). */
function jsonWithLiteral(body: JsonObject, literal: string): Uint8Array {
  return utf8(JSON.stringify(body).replace(JSON.stringify("@@time@@"), literal));
}

/** One of the target's orders, by slot (the slot, not the order, is what the generator draws). */
function targetOrder(prng: Prng, target: FuzzTarget): { slot: number; id: string } {
  const slot = prng.int(0, Math.max(0, target.orderIds.length - 1));
  return { slot, id: target.orderIds[slot] ?? seededUuid(prng) };
}

function lifecycleCase(prng: Prng, target: FuzzTarget, method: "fulfill" | "deliver"): FuzzCase {
  const { slot, id } = targetOrder(prng, target);
  const requestId = prng.chance(0.4) ? seededUuid(prng) : "";
  const field = method === "fulfill" ? "ship_time" : "deliver_time";
  const path = method === "fulfill" ? FULFILL_ORDER : DELIVER_ORDER;
  // Shipped up to a day ago; delivered now or up to a minute ahead (within the service's clock skew), so a
  // valid delivery is not before its shipment.
  const recent: [number, number] = method === "fulfill" ? [-86_400, -60] : [0, 60];
  const carrier: Record<string, string> = prng.chance(0.5)
    ? { carrier: "UPS", service: "Ground", trackingNumber: `1Z${prng.int(0, 1e9)}` }
    : {};
  if (prng.chance(0.8)) {
    // Binary: nothing between the value and the service.
    const wire = prng.pick(PROTO_WIRES);
    const choice = timeChoice(prng, recent);
    const time = timestampOf(choice);
    const payload =
      method === "fulfill"
        ? toBinary(
            FulfillOrderRequestSchema,
            create(FulfillOrderRequestSchema, { id, requestId, ...carrier, shipTime: time }),
          )
        : toBinary(DeliverOrderRequestSchema, create(DeliverOrderRequestSchema, { id, requestId, deliverTime: time }));
    return {
      ...caseOf(`${method}-time`, `${wire}: ${describeTime(field, choice)}`, framed(prng, wire, payload, path)),
      orderSlot: slot,
      ...(requestId ? { lifecycleRequestId: requestId } : {}),
    };
  }
  // JSON: the response carries the order as stored, so a value stored earlier that JSON cannot carry shows.
  const wire = prng.pick(JSON_WIRES);
  const body: JsonObject = { id, ...(requestId ? { requestId } : {}), ...(method === "fulfill" ? carrier : {}) };
  const jsonField = method === "fulfill" ? "shipTime" : "deliverTime";
  let literal: string | undefined;
  if (prng.chance(0.5)) {
    literal = prng.pick(HOSTILE_TIMESTAMP_LITERALS);
    body[jsonField] = "@@time@@";
  }
  const payload = literal === undefined ? utf8(JSON.stringify(body)) : jsonWithLiteral(body, literal);
  return {
    ...caseOf(
      `${method}-time`,
      `${wire}: ${literal === undefined ? `no ${field}` : `${field} ${literal}`}`,
      framed(prng, wire, payload, path),
    ),
    orderSlot: slot,
    ...(requestId ? { lifecycleRequestId: requestId } : {}),
  };
}

export function fulfillOrder(prng: Prng, target: FuzzTarget): FuzzCase {
  return lifecycleCase(prng, target, "fulfill");
}

export function deliverOrder(prng: Prng, target: FuzzTarget): FuzzCase {
  return lifecycleCase(prng, target, "deliver");
}

const STATUSES = [
  OrderStatus.UNSPECIFIED,
  OrderStatus.PLACED,
  OrderStatus.FULFILLED,
  OrderStatus.DELIVERED,
  OrderStatus.CANCELED,
];

/**
 * ListOrders with out-of-range create_time_start/create_time_end over binary, and reads over JSON of the
 * fulfilled and delivered orders (the target's), which meet whatever FulfillOrder and DeliverOrder stored.
 */
export function listOrders(prng: Prng, target: FuzzTarget): FuzzCase {
  if (prng.chance(0.3)) {
    const wire = prng.pick(JSON_WIRES);
    const status = prng.pick(["ORDER_STATUS_FULFILLED", "ORDER_STATUS_DELIVERED"]);
    const body = { status, customerId: target.customerId, pageSize: prng.pick([10, 50, 500]) };
    return caseOf(
      "list-orders",
      `${wire}: read the ${status} orders`,
      framed(prng, wire, utf8(JSON.stringify(body)), LIST_ORDERS),
    );
  }
  const wire = prng.pick(PROTO_WIRES);
  const start = prng.chance(0.7) ? prng.pick(HOSTILE_TIMESTAMPS) : undefined;
  const end = prng.chance(start ? 0.4 : 1) ? prng.pick(HOSTILE_TIMESTAMPS) : undefined;
  const request = create(ListOrdersRequestSchema, {
    pageSize: prng.pick([0, 1, 50, 500, 501, 2_147_483_647]),
    status: prng.pick(STATUSES),
    createTimeStart: start && create(TimestampSchema, { seconds: start.seconds, nanos: start.nanos }),
    createTimeEnd: end && create(TimestampSchema, { seconds: end.seconds, nanos: end.nanos }),
  });
  const description = [
    start ? `create_time_start ${start.seconds}s ${start.nanos}ns (${start.note})` : "",
    end ? `create_time_end ${end.seconds}s ${end.nanos}ns (${end.note})` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return caseOf(
    "list-orders-time",
    `${wire}: ${description}`,
    framed(prng, wire, toBinary(ListOrdersRequestSchema, request), LIST_ORDERS),
  );
}

/** A page token's fields as the service wrote them (base64url JSON {v,t,i,f}), if it is one it can read. */
function tokenFields(token: string): { fields: Record<string, unknown>; rest: string } | undefined {
  // A signed token may come as "<payload>.<signature>": edit the payload, keep the signature.
  const dot = token.indexOf(".");
  const payload = dot < 0 ? token : token.slice(0, dot);
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    return { fields: parsed as Record<string, unknown>, rest: dot < 0 ? "" : token.slice(dot) };
  } catch {
    return undefined;
  }
}

function tokenOf(fields: Record<string, unknown>, rest: string): string {
  return `${Buffer.from(JSON.stringify(fields)).toString("base64url")}${rest}`;
}

/**
 * ListOrders with a page token the service issued (FuzzTarget.pages), edited: its time made an impossible
 * date or moved out of range, its id or fingerprint forged (the fingerprint of another listing, so the token
 * passes for that listing's), its version or shape changed, or its bytes damaged.
 */
export function pageToken(prng: Prng, target: FuzzTarget): FuzzCase {
  const wire = prng.pick<Wire>([...PROTO_WIRES, "connect-json"]);
  const page = target.pages.length > 0 ? prng.pick(target.pages) : undefined;
  const other = target.pages.length > 0 ? prng.pick(target.pages) : undefined;
  let request: ListOrdersRequest = page?.request ?? create(ListOrdersRequestSchema, {});
  const original = page?.token ?? "";
  const decoded = tokenFields(original);
  const edits: (() => { description: string; token: string; request?: ListOrdersRequest })[] = [
    () => {
      const t = prng.pick(HOSTILE_TOKEN_TIMES);
      return {
        description: `t=${JSON.stringify(t)}`,
        token: decoded ? tokenOf({ ...decoded.fields, t }, decoded.rest) : original,
      };
    },
    () => {
      const i = prng.pick(["00000000-0000-0000-0000-000000000000", seededUuid(prng), seededUuid(prng).toUpperCase()]);
      return { description: `i=${i}`, token: decoded ? tokenOf({ ...decoded.fields, i }, decoded.rest) : original };
    },
    () => {
      // Another listing's fingerprint on this token's cursor, sent with that listing's filters.
      const f = other ? tokenFields(other.token)?.fields.f : undefined;
      return {
        description: "f of another listing, with that listing's filters",
        token: decoded ? tokenOf({ ...decoded.fields, f }, decoded.rest) : original,
        request: other?.request,
      };
    },
    () => {
      const f = Buffer.from(prng.bytes(16)).toString("hex");
      return { description: `f=${f}`, token: decoded ? tokenOf({ ...decoded.fields, f }, decoded.rest) : original };
    },
    () => {
      const t = prng.pick(HOSTILE_TOKEN_TIMES);
      const f = other ? tokenFields(other.token)?.fields.f : undefined;
      return {
        description: `t=${JSON.stringify(t)} and f of another listing`,
        token: decoded ? tokenOf({ ...decoded.fields, t, f }, decoded.rest) : original,
        request: other?.request,
      };
    },
    () => {
      const v = prng.pick<unknown>([0, 2, "1", 1.5, null, -1]);
      return {
        description: `v=${JSON.stringify(v)}`,
        token: decoded ? tokenOf({ ...decoded.fields, v }, decoded.rest) : original,
      };
    },
    () => {
      const change = prng.pick<[string, Record<string, unknown>]>([
        ["t a number", { t: 1_700_000_000 }],
        ["t an object", { t: { seconds: 1 } }],
        ["i empty", { i: "" }],
        ["no t", { t: undefined }],
        ["extra field", { x: "y".repeat(100) }],
        ["__proto__ field", JSON.parse('{"__proto__":{"t":"2024-02-30T00:00:00.000000Z"}}') as Record<string, unknown>],
      ]);
      return {
        description: `token ${change[0]}`,
        token: decoded ? tokenOf({ ...decoded.fields, ...change[1] }, decoded.rest) : original,
      };
    },
    () => {
      const damage = prng.pick<[string, (t: string) => string]>([
        ["cut in half", (t) => t.slice(0, Math.floor(t.length / 2))],
        ["last character changed", (t) => `${t.slice(0, -1)}${t.endsWith("A") ? "B" : "A"}`],
        ["base64 instead of base64url", (t) => Buffer.from(t, "base64url").toString("base64")],
        ["padded to 1024", (t) => t.padEnd(1024, "A")],
        ["1025 characters", (t) => t.padEnd(1025, "A")],
        ["doubled", (t) => `${t}${t}`],
        ["not base64", () => "%%%not a token%%%"],
        ["a JSON array", () => Buffer.from("[]").toString("base64url")],
        ["NUL bytes", () => Buffer.from("\u0000\u0000").toString("base64url")],
      ]);
      return { description: `token ${damage[0]}`, token: damage[1](original) };
    },
  ];
  const edit = prng.pick(edits)();
  request = create(ListOrdersRequestSchema, { ...(edit.request ?? request), pageToken: edit.token });
  const payload =
    wire === "connect-json"
      ? utf8(JSON.stringify(toJson(ListOrdersRequestSchema, request)))
      : toBinary(ListOrdersRequestSchema, request);
  return caseOf(
    "page-token",
    `${wire}: ${edit.description}${decoded ? "" : " (token not base64url JSON)"}`,
    framed(prng, wire, payload, LIST_ORDERS),
  );
}

/**
 * CreateOrder with channel CHANNEL_IMPORT (the admin key) and hostile times in import_details: placed_time,
 * and the shipment's ship_time and deliver_time of an order imported as fulfilled or delivered.
 */
export function importOrder(prng: Prng, target: FuzzTarget): FuzzCase {
  const request = validOrderRequest(prng, target.customerId);
  const status = prng.pick([OrderStatus.PLACED, OrderStatus.FULFILLED, OrderStatus.DELIVERED]);
  const placed = timeChoice(prng, [-86_400 * 30, -86_400]);
  const shipped = timeChoice(prng, [-86_400, -3_600]);
  const delivered = timeChoice(prng, [-3_000, -60]);
  const hasShipment = status !== OrderStatus.PLACED;
  const description = [
    `import as ${OrderStatus[status]}`,
    describeTime("placed_time", placed),
    ...(hasShipment ? [describeTime("ship_time", shipped)] : []),
    ...(status === OrderStatus.DELIVERED ? [describeTime("deliver_time", delivered)] : []),
  ].join(", ");
  if (prng.chance(0.8)) {
    const wire = prng.pick(PROTO_WIRES);
    const message = create(CreateOrderRequestSchema, {
      ...request,
      channel: Channel.IMPORT,
      importDetails: create(OrderImportSchema, {
        placedTime: timestampOf(placed),
        status,
        paymentStatus: PaymentStatus.UNPAID,
        ...(hasShipment
          ? {
              fulfillment: create(FulfillmentSchema, {
                carrier: "DHL",
                shipTime: timestampOf(shipped),
                deliverTime: status === OrderStatus.DELIVERED ? timestampOf(delivered) : undefined,
              }),
            }
          : {}),
      }),
    });
    return caseOf(
      "import-time",
      `${wire}: ${description}`,
      framed(prng, wire, toBinary(CreateOrderRequestSchema, message), CREATE_ORDER, "admin"),
    );
  }
  const wire = prng.pick(JSON_WIRES);
  const literal = prng.pick(HOSTILE_TIMESTAMP_LITERALS);
  const body = toJson(
    CreateOrderRequestSchema,
    create(CreateOrderRequestSchema, { ...request, channel: Channel.IMPORT }),
  ) as JsonObject;
  body.importDetails = { placedTime: "@@time@@", status: `ORDER_STATUS_${OrderStatus[status]}` };
  return caseOf(
    "import-time",
    `${wire}: import as ${OrderStatus[status]}, placed_time ${literal}`,
    framed(prng, wire, jsonWithLiteral(body, literal), CREATE_ORDER, "admin"),
  );
}

/** GetOrder of one of the target's orders over JSON: meets whatever FulfillOrder and DeliverOrder stored. */
export function readTargetOrder(prng: Prng, target: FuzzTarget): FuzzCase {
  const wire = prng.pick(JSON_WIRES);
  const { id } = targetOrder(prng, target);
  return caseOf(
    "read-target",
    `${wire}: GetOrder of a target order`,
    framed(prng, wire, utf8(JSON.stringify({ id })), GET_ORDER),
  );
}
