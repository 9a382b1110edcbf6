import { gzipSync } from "node:zlib";
import type { Prng } from "../prng.js";
import {
  ENCODINGS,
  HOSTILE_DECIMALS,
  HOSTILE_NUMBER_LITERALS,
  HOSTILE_STRINGS,
  HOSTILE_TIMEOUTS,
  HOSTILE_UUIDS,
  WRONG_CONTENT_TYPES,
} from "./hostile-values.js";
import type { RawRequest } from "./raw-client.js";
import { KEY_PLACEHOLDER, mutateBytes, nestedGroups, orderBinary, orderJson, seededUuid, validOrderRequest } from "./requests.js";

/** One hostile request: what is sent, and in words what was done to it (for the regression file). */
export interface FuzzCase extends RawRequest {
  category: string;
  description: string;
}

export interface FuzzTarget {
  /** A customer of the tenant, so mutated valid orders get as far as the database. */
  customerId: string;
}

type Wire = "connect-json" | "connect-proto" | "grpc-proto" | "grpc-json" | "grpc-web-proto" | "grpc-web-json";
const PROTO_WIRES: readonly Wire[] = ["connect-proto", "grpc-proto", "grpc-web-proto"];
const JSON_WIRES: readonly Wire[] = ["connect-json", "connect-json", "grpc-json", "grpc-web-json"];
const ALL_WIRES: readonly Wire[] = [...PROTO_WIRES, ...JSON_WIRES];

const CREATE_ORDER = "/orders.v1.OrdersService/CreateOrder";
const GET_ORDER = "/orders.v1.OrdersService/GetOrder";

/** Relative weights of the categories; together they cover every item of issue 3 §2.8. */
const CATEGORIES: readonly [number, (prng: Prng, target: FuzzTarget) => FuzzCase][] = [
  [24, protoMutation],
  [8, randomBytes],
  [22, jsonHostileValue],
  [9, jsonStructure],
  [10, envelopeDamage],
  [5, compression],
  [5, wrongContentType],
  [7, hostileHeaders],
  [5, pathsAndMethods],
  [3, getOrder],
  [1.5, abortedBody],
  [0.5, rawSocket],
];
const TOTAL_WEIGHT = CATEGORIES.reduce((sum, [weight]) => sum + weight, 0);

export function generateCase(prng: Prng, target: FuzzTarget): FuzzCase {
  let roll = prng.next() * TOTAL_WEIGHT;
  for (const [weight, generate] of CATEGORIES) {
    roll -= weight;
    if (roll < 0) return generate(prng, target);
  }
  return protoMutation(prng, target);
}

// ---- framing ----

function isJsonWire(wire: Wire): boolean {
  return wire.endsWith("json");
}

/** Wraps a payload the way `wire` carries a unary request, over a transport that protocol is used on. */
function framed(prng: Prng, wire: Wire, payload: Uint8Array, path = CREATE_ORDER): RawRequest {
  const headers: Record<string, string> = { authorization: `Bearer ${KEY_PLACEHOLDER}` };
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
      headers["content-type"] = wire === "grpc-json" ? "application/grpc+json" : prng.pick(["application/grpc", "application/grpc+proto"]);
      headers.te = "trailers";
      body = envelope(0, payload);
      // gRPC runs on HTTP/2; a few go over HTTP/1.1 anyway, as a confused proxy would send them.
      transport = prng.chance(0.95) ? "h2" : "http1";
      break;
    case "grpc-web-proto":
    case "grpc-web-json":
      headers["content-type"] = wire === "grpc-web-json" ? "application/grpc-web+json" : prng.pick(["application/grpc-web", "application/grpc-web+proto"]);
      headers["x-grpc-web"] = "1";
      body = envelope(0, payload);
      break;
  }
  return { transport, method: "POST", path, headers, body };
}

function envelope(flags: number, payload: Uint8Array, declaredLength = payload.byteLength): Buffer {
  const prefix = Buffer.alloc(5);
  prefix[0] = flags;
  prefix.writeUInt32BE(declaredLength >>> 0, 1);
  return Buffer.concat([prefix, payload]);
}

function utf8(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

function caseOf(category: string, description: string, request: RawRequest): FuzzCase {
  return { category, description, ...request };
}

// ---- categories ----

function protoMutation(prng: Prng, target: FuzzTarget): FuzzCase {
  const wire = prng.pick(PROTO_WIRES);
  const { bytes, description } = mutateBytes(prng, orderBinary(validOrderRequest(prng, target.customerId)));
  return caseOf("proto-mutation", `${wire}: ${description}`, framed(prng, wire, bytes));
}

function randomBytes(prng: Prng): FuzzCase {
  const wire = prng.pick(ALL_WIRES);
  const length = prng.chance(0.05) ? prng.int(4096, 65536) : prng.int(0, 512);
  return caseOf("random-bytes", `${wire}: ${length} random bytes`, framed(prng, wire, prng.bytes(length)));
}

/** Where a hostile value can go in a CreateOrder JSON body, and which list it comes from. */
const JSON_TARGETS: readonly { path: string; values: readonly string[]; literal?: boolean }[] = [
  { path: "customerId", values: HOSTILE_UUIDS },
  { path: "requestId", values: HOSTILE_UUIDS },
  { path: "currency", values: ["usd", "XXX", "ZZZ", "US", "USDD", "€", "", "BTC", "USD\u0000"] },
  { path: "channel", values: HOSTILE_NUMBER_LITERALS, literal: true },
  { path: "shippingTotal", values: HOSTILE_DECIMALS },
  { path: "discountTotal", values: HOSTILE_DECIMALS },
  { path: "taxTotal", values: HOSTILE_DECIMALS },
  { path: "orderNumber", values: [...HOSTILE_STRINGS, "-1", "1001", "A".repeat(64), "A".repeat(65), "a b", "a/b"] },
  { path: "propertyId", values: HOSTILE_STRINGS },
  { path: "customerNote", values: HOSTILE_STRINGS },
  { path: "internalNote", values: HOSTILE_STRINGS },
  { path: "metadata.value", values: HOSTILE_STRINGS },
  { path: "metadata.key", values: HOSTILE_STRINGS },
  { path: "items.sku", values: HOSTILE_STRINGS },
  { path: "items.name", values: HOSTILE_STRINGS },
  { path: "items.description", values: HOSTILE_STRINGS },
  { path: "items.quantity", values: HOSTILE_NUMBER_LITERALS, literal: true },
  { path: "items.unitPrice", values: HOSTILE_DECIMALS },
  { path: "items.taxAmount", values: HOSTILE_DECIMALS },
  { path: "items.productId", values: HOSTILE_UUIDS },
  { path: "shippingAddress.line1", values: HOSTILE_STRINGS },
  { path: "shippingAddress.country", values: ["", "de", "XX", "DEU", "D", "\u0000\u0000", "ÖÖ"] },
  { path: "shippingAddress.email", values: [...HOSTILE_STRINGS, "a@b", "@", "a@b.c".repeat(100)] },
  { path: "billingAddress.postalCode", values: HOSTILE_STRINGS },
];

function jsonHostileValue(prng: Prng, target: FuzzTarget): FuzzCase {
  const body = orderJson(validOrderRequest(prng, target.customerId));
  const literals = new Map<string, string>();
  const changed: string[] = [];
  for (let n = prng.int(1, 3); n > 0; n--) {
    const choice = prng.pick(JSON_TARGETS);
    const value = prng.pick(choice.values);
    const sentinel = `@@hostile${literals.size}@@`;
    literals.set(sentinel, choice.literal ? value : JSON.stringify(value));
    place(body, choice.path, sentinel);
    changed.push(`${choice.path}=${JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}…(${value.length})` : value)}`);
  }
  let text = JSON.stringify(body);
  for (const [sentinel, literal] of literals) text = text.replace(JSON.stringify(sentinel), literal);
  const wire = prng.pick(JSON_WIRES);
  return caseOf("json-hostile-value", `${wire}: ${changed.join(" ")}`, framed(prng, wire, utf8(text)));
}

/** Sets a dotted path in a CreateOrder JSON body ("items.sku" means the first item's sku). */
function place(body: Record<string, unknown>, path: string, value: string): void {
  const [head, field] = path.split(".") as [string, string | undefined];
  if (field === undefined) {
    body[head] = value;
  } else if (head === "items") {
    const items = (body.items as Record<string, unknown>[] | undefined) ?? [];
    const first = items[0] ?? {};
    first[field] = value;
    body.items = [first, ...items.slice(1)];
  } else if (head === "metadata") {
    const metadata = (body.metadata as Record<string, unknown> | undefined) ?? {};
    if (field === "key") metadata[value] = "v";
    else metadata.k = value;
    body.metadata = metadata;
  } else {
    body[head] = { ...((body[head] as Record<string, unknown> | undefined) ?? {}), [field]: value };
  }
}

function jsonStructure(prng: Prng, target: FuzzTarget): FuzzCase {
  const request = validOrderRequest(prng, target.customerId);
  const valid = JSON.stringify(orderJson(request));
  const withoutBrace = valid.slice(0, -1);
  const item = '{"sku":"S","name":"N","quantity":1,"unitPrice":"1.00"}';
  const variants: (() => { description: string; text: string | Uint8Array })[] = [
    () => {
      const depth = prng.pick([64, 1000, 10_000, 100_000]);
      return { description: `unknown field nested ${depth} deep`, text: `${withoutBrace},"x":${"[".repeat(depth)}${"]".repeat(depth)}}` };
    },
    () => {
      const depth = prng.pick([64, 1000, 10_000]);
      return { description: `shippingAddress nested ${depth} deep`, text: `${withoutBrace},"shippingAddress":${'{"line1":'.repeat(depth)}"x"${"}".repeat(depth)}}` };
    },
    () => {
      const count = prng.pick([500, 501, 1000, 5000]);
      return { description: `${count} items`, text: `{"customerId":"${target.customerId}","items":[${Array.from({ length: count }, () => item).join(",")}]}` };
    },
    () => {
      const size = prng.pick([300_000, 1_000_000, 3_000_000, 5_000_000]);
      return { description: `customerNote of ${size} chars`, text: `${withoutBrace},"customerNote":"${"x".repeat(size)}"}` };
    },
    () => {
      const bad = prng.pick([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xfe, 0xfe]]);
      const text = Buffer.from(valid, "utf8");
      const at = text.indexOf('"name":"') + 8;
      return { description: `invalid UTF-8 ${Buffer.from(bad).toString("hex")} in items[0].name`, text: Buffer.concat([text.subarray(0, at), Buffer.from(bad), text.subarray(at)]) };
    },
    () => ({ description: "duplicate customerId key", text: `${withoutBrace},"customerId":"${seededUuid(prng)}"}` }),
    () => ({ description: "snake_case and camelCase of one field", text: `${withoutBrace},"customer_id":"${target.customerId}"}` }),
    () => ({ description: "UTF-8 BOM before the body", text: `\ufeff${valid}` }),
    () => ({ description: "trailing garbage", text: `${valid}}}}garbage` }),
    () => ({ description: "truncated JSON", text: valid.slice(0, prng.int(0, valid.length - 1)) }),
    () => ({
      description: "body is not an object",
      text: prng.pick(["", "null", "[]", "1", '"text"', "true", "{", "}", "{}", "[{}]", "{\"items\":{}}", "{\"items\":null}"]),
    }),
    () => ({
      description: "wrong shapes",
      text: prng.pick([
        `${withoutBrace},"metadata":[]}`,
        `${withoutBrace},"metadata":{"k":1}}`,
        `${withoutBrace},"metadata":{"k":null}}`,
        `${withoutBrace},"metadata":{"k":{"nested":"x"}}}`,
        `${withoutBrace},"items":[null]}`,
        `${withoutBrace},"items":[[]]}`,
        `${withoutBrace},"items":"abc"}`,
        `${withoutBrace},"shippingAddress":"abc"}`,
        `${withoutBrace},"shippingAddress":null}`,
        `${withoutBrace},"__proto__":{"polluted":true}}`,
        `${withoutBrace},"constructor":{"prototype":{"polluted":true}}}`,
        `${withoutBrace},"unknownField":1}`,
      ]),
    }),
    () => ({ description: "1000 metadata pairs", text: `${withoutBrace},"metadata":{${Array.from({ length: 1000 }, (_, i) => `"k${i}":"v"`).join(",")}}}` }),
  ];
  const { description, text } = prng.pick(variants)();
  const wire = prng.pick(JSON_WIRES);
  return caseOf("json-structure", `${wire}: ${description}`, framed(prng, wire, typeof text === "string" ? utf8(text) : text));
}

function envelopeDamage(prng: Prng, target: FuzzTarget): FuzzCase {
  const wire = prng.pick<Wire>(["grpc-proto", "grpc-web-proto", "grpc-json", "grpc-web-json"]);
  const request = validOrderRequest(prng, target.customerId);
  const payload = isJsonWire(wire) ? utf8(JSON.stringify(orderJson(request))) : orderBinary(request);
  const base = framed(prng, wire, payload);
  const variants: (() => { description: string; body: Uint8Array; headers?: Record<string, string> })[] = [
    () => ({ description: "declared length longer than the message", body: envelope(0, payload, payload.byteLength + prng.int(1, 1000)) }),
    () => ({ description: "declared length shorter than the message", body: envelope(0, payload, prng.int(0, payload.byteLength - 1)) }),
    () => ({ description: "prefix cut short", body: envelope(0, payload).subarray(0, prng.int(1, 4)) }),
    () => ({ description: "message cut short", body: envelope(0, payload).subarray(0, prng.int(5, 5 + payload.byteLength - 1)) }),
    () => ({ description: "compressed flag without grpc-encoding", body: envelope(1, payload) }),
    () => ({ description: "compressed flag with gzip declared but plain bytes", body: envelope(1, payload), headers: { "grpc-encoding": "gzip" } }),
    () => {
      const flags = prng.pick([0x02, 0x7f, 0x80, 0x81, 0xff]);
      return { description: `flags 0x${flags.toString(16)}`, body: envelope(flags, payload) };
    },
    () => ({ description: "two messages in a unary call", body: Buffer.concat([envelope(0, payload), envelope(0, payload)]) }),
    () => ({ description: "no message", body: new Uint8Array(0) }),
    () => ({ description: "empty message", body: envelope(0, new Uint8Array(0)) }),
    () => {
      const declared = prng.pick([0xffffffff, 0x7fffffff, 0x80000000, 4 * 1024 * 1024 + 1]);
      return { description: `declared length ${declared}`, body: envelope(0, payload, declared) };
    },
    () => ({ description: "10,000 nested unknown groups", body: envelope(0, nestedGroups(10_000)) }),
    () => ({ description: "garbage after a complete message", body: Buffer.concat([envelope(0, payload), Buffer.from([0, 0])]) }),
  ];
  const { description, body, headers } = prng.pick(variants)();
  return caseOf("envelope", `${wire}: ${description}`, { ...base, body, headers: { ...base.headers, ...headers } });
}

function compression(prng: Prng, target: FuzzTarget): FuzzCase {
  const request = validOrderRequest(prng, target.customerId);
  const grpc = prng.chance(0.5);
  const wire = grpc ? prng.pick<Wire>(["grpc-proto", "grpc-web-proto"]) : prng.pick<Wire>(["connect-proto", "connect-json"]);
  const plain = isJsonWire(wire) ? utf8(JSON.stringify(orderJson(request))) : orderBinary(request);
  const variants: (() => { description: string; data: Uint8Array; encoding: string })[] = [
    () => ({ description: "valid gzip", data: gzipSync(plain), encoding: "gzip" }),
    () => ({ description: "garbage declared as gzip", data: prng.bytes(prng.int(0, 300)), encoding: "gzip" }),
    () => ({ description: "truncated gzip", data: gzipSync(plain).subarray(0, prng.int(1, 20)), encoding: "gzip" }),
    // Rarer than the others: inflating up to the read limit costs connect-node 256 event-loop turns
    // (16 KiB at a time), seconds each under fuzzing load.
    () => (prng.chance(0.3) ? { description: "gzip bomb (64 MiB of zeros)", data: gzipBomb(), encoding: "gzip" } : { description: "valid gzip", data: gzipSync(plain), encoding: "gzip" }),
    () => ({ description: "plain bytes declared as br", data: plain, encoding: "br" }),
    () => {
      const encoding = prng.pick(ENCODINGS);
      return { description: `plain bytes declared as ${JSON.stringify(encoding)}`, data: plain, encoding };
    },
  ];
  const { description, data, encoding } = prng.pick(variants)();
  const base = framed(prng, wire, data);
  const headers = { ...base.headers };
  let body = base.body;
  if (grpc) {
    headers["grpc-encoding"] = encoding;
    headers["grpc-accept-encoding"] = prng.pick(ENCODINGS);
    body = envelope(1, data);
  } else {
    headers["content-encoding"] = encoding;
    headers["accept-encoding"] = prng.pick(ENCODINGS);
  }
  return caseOf("compression", `${wire}: ${description}`, { ...base, headers, body });
}

let bomb: Uint8Array | undefined;
/** Compressed once: 64 MiB of zeros shrink to about 64 KiB, far over the 4 MiB read limit once inflated. */
function gzipBomb(): Uint8Array {
  bomb ??= gzipSync(Buffer.alloc(64 * 1024 * 1024));
  return bomb;
}

function wrongContentType(prng: Prng, target: FuzzTarget): FuzzCase {
  const wire = prng.pick(ALL_WIRES);
  const request = validOrderRequest(prng, target.customerId);
  const base = framed(prng, wire, isJsonWire(wire) ? utf8(JSON.stringify(orderJson(request))) : orderBinary(request));
  const contentType = prng.pick(WRONG_CONTENT_TYPES);
  const headers = { ...base.headers, "content-type": contentType };
  if (contentType === "") delete (headers as Record<string, string | undefined>)["content-type"];
  return caseOf("content-type", `${wire} body sent as ${JSON.stringify(contentType)}`, { ...base, headers });
}

function hostileHeaders(prng: Prng, target: FuzzTarget): FuzzCase {
  const wire = prng.pick(ALL_WIRES);
  const request = validOrderRequest(prng, target.customerId);
  const base = framed(prng, wire, isJsonWire(wire) ? utf8(JSON.stringify(orderJson(request))) : orderBinary(request));
  const variants: (() => { description: string; headers: Record<string, string> })[] = [
    () => {
      const size = prng.pick([8_000, 17_000, 64_000, 200_000]);
      return { description: `one ${size}-byte header`, headers: { "x-padding": "p".repeat(size) } };
    },
    () => {
      const count = prng.pick([100, 500, 2000]);
      return { description: `${count} extra headers`, headers: Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-meta-${i}`, "v".repeat(32)])) };
    },
    () => ({ description: "giant authorization", headers: { authorization: `Bearer ${"k".repeat(prng.pick([1000, 20_000]))}` } }),
    () => {
      const value = prng.pick(["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer osk_test_x", `bearer ${KEY_PLACEHOLDER}`, `Bearer ${KEY_PLACEHOLDER}x`, `Bearer  ${KEY_PLACEHOLDER}`, `Bearer ${KEY_PLACEHOLDER} extra`, "Bearer \u00ff\u00fe", "Bearer ../../etc"]);
      return { description: `authorization ${JSON.stringify(value)}`, headers: { authorization: value } };
    },
    () => {
      const timeout = prng.pick(HOSTILE_TIMEOUTS);
      return { description: `${timeout.header}: ${timeout.value}`, headers: { [timeout.header]: timeout.value } };
    },
    () => {
      const version = prng.pick(["2", "0", "", "1.1", "v1"]);
      return { description: `connect-protocol-version ${JSON.stringify(version)}`, headers: { "connect-protocol-version": version } };
    },
    () => ({ description: "te: gzip", headers: { te: "gzip" } }),
    () => ({ description: "binary metadata that is not base64", headers: { "x-trace-bin": "%%%not base64%%%" } }),
  ];
  const { description, headers } = prng.pick(variants)();
  return caseOf("headers", `${wire}: ${description}`, { ...base, headers: { ...base.headers, ...headers } });
}

/** Paths are unary or bidi methods only: a valid Health/Watch call rightly streams forever. */
function pathsAndMethods(prng: Prng, target: FuzzTarget): FuzzCase {
  const wire = prng.pick<Wire>(["connect-json", "connect-proto", "grpc-proto", "grpc-web-proto"]);
  const request = validOrderRequest(prng, target.customerId);
  const base = framed(prng, wire, isJsonWire(wire) ? utf8(JSON.stringify(orderJson(request))) : orderBinary(request));
  const message = encodeURIComponent(JSON.stringify({ id: seededUuid(prng) }));
  const variants: (() => { description: string; method?: string; path?: string; headers?: Record<string, string> })[] = [
    () => {
      const method = prng.pick(["GET", "PUT", "DELETE", "PATCH", "HEAD", "TRACE"]);
      return { description: `${method} on CreateOrder`, method };
    },
    () => {
      const path = prng.pick([
        "/", "/orders.v1.OrdersService/", "/orders.v1.OrdersService/DeleteOrder", `${CREATE_ORDER}/`, `/${CREATE_ORDER}`,
        "/orders.v1.OrdersService/createorder", "/grpc.health.v1.Health/Check",
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", "/orders.v1.CustomersService/GetCustomer",
        "/%2e%2e/%2e%2e/etc/passwd", `/${"a".repeat(8000)}`, `${CREATE_ORDER}?x=${"y".repeat(4000)}`, `${CREATE_ORDER}%00`,
        "/orders.v1.OrdersService%2FCreateOrder",
      ]);
      return { description: `POST ${path.length > 60 ? `${path.slice(0, 40)}…(${path.length})` : path}`, path };
    },
    () => {
      const query = prng.pick([
        `connect=v1&encoding=json&message=${message}`,
        `connect=v1&encoding=proto&base64=1&message=${"%%%"}`,
        `connect=v1&encoding=json&compression=gzip&message=${message}`,
        `connect=v2&encoding=json&message=${message}`,
        `encoding=xml&message=${message}`,
        "message=",
      ]);
      return { description: `GET GetOrder?${query.slice(0, 60)}`, method: "GET", path: `${GET_ORDER}?${query}`, headers: { "content-type": "" } };
    },
    () => ({
      description: "CORS preflight",
      method: "OPTIONS",
      headers: { origin: prng.pick(["https://shop.example", "null", "x".repeat(3000)]), "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, x-evil" },
    }),
  ];
  const variant = prng.pick(variants)();
  const headers = { ...base.headers, ...variant.headers };
  if (headers["content-type"] === "") delete (headers as Record<string, string | undefined>)["content-type"];
  return caseOf("path-method", `${wire}: ${variant.description}`, {
    ...base,
    method: variant.method ?? base.method,
    path: variant.path ?? base.path,
    headers,
    body: variant.method === "GET" || variant.method === "HEAD" ? new Uint8Array(0) : base.body,
  });
}

function getOrder(prng: Prng): FuzzCase {
  const wire = prng.pick(ALL_WIRES);
  const id = prng.chance(0.5) ? seededUuid(prng) : prng.pick(HOSTILE_UUIDS);
  const payload = isJsonWire(wire)
    ? utf8(JSON.stringify({ id }))
    : Buffer.concat([Buffer.from([0x0a, Math.min(Buffer.byteLength(id), 127)]), Buffer.from(id).subarray(0, 127)]);
  return caseOf("get-order", `${wire}: GetOrder ${JSON.stringify(id.slice(0, 40))}`, framed(prng, wire, payload, GET_ORDER));
}

function abortedBody(prng: Prng, target: FuzzTarget): FuzzCase {
  const wire = prng.pick(ALL_WIRES);
  const request = validOrderRequest(prng, target.customerId);
  const base = framed(prng, wire, isJsonWire(wire) ? utf8(JSON.stringify(orderJson(request))) : orderBinary(request));
  const abortAfterBytes = prng.int(0, Math.max(0, base.body.byteLength - 1));
  return caseOf("aborted", `${wire}: reset after ${abortAfterBytes} of ${base.body.byteLength} body bytes`, { ...base, abortAfterBytes });
}

const HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

function rawSocket(prng: Prng): FuzzCase {
  const frame = (type: number, flags: number, stream: number, payload: Uint8Array, declared = payload.byteLength): Buffer => {
    const head = Buffer.alloc(9);
    head.writeUIntBE(declared & 0xffffff, 0, 3);
    head[3] = type;
    head[4] = flags;
    head.writeUInt32BE(stream >>> 0, 5);
    return Buffer.concat([head, payload]);
  };
  const variants: (() => { description: string; bytes: Uint8Array })[] = [
    () => ({ description: "random bytes", bytes: prng.bytes(prng.int(1, 2048)) }),
    () => ({ description: "h2 preface then random bytes", bytes: Buffer.concat([Buffer.from(HTTP2_PREFACE), prng.bytes(prng.int(1, 512))]) }),
    () => ({ description: "h2 HEADERS with garbage HPACK", bytes: Buffer.concat([Buffer.from(HTTP2_PREFACE), frame(4, 0, 0, new Uint8Array(0)), frame(1, 0x4 | 0x1, 1, prng.bytes(prng.int(1, 64)))]) }),
    () => ({ description: "h2 DATA on stream 0", bytes: Buffer.concat([Buffer.from(HTTP2_PREFACE), frame(4, 0, 0, new Uint8Array(0)), frame(0, 0, 0, prng.bytes(16))]) }),
    () => ({ description: "h2 frame declaring 16 MiB", bytes: Buffer.concat([Buffer.from(HTTP2_PREFACE), frame(4, 0, 0, new Uint8Array(0)), frame(0, 0, 1, prng.bytes(16), 0xffffff)]) }),
    () => ({ description: "h2 SETTINGS with invalid values", bytes: Buffer.concat([Buffer.from(HTTP2_PREFACE), frame(4, 0, 0, Buffer.from([0, 4, 0xff, 0xff, 0xff, 0xff, 0, 2, 0, 0, 0, 7]))]) }),
    () => ({ description: "HTTP/1.1 Content-Length and Transfer-Encoding both", bytes: utf8(`POST ${CREATE_ORDER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n`) }),
    () => ({ description: "HTTP/1.1 bad chunk size", bytes: utf8(`POST ${CREATE_ORDER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`) }),
    () => ({ description: "HTTP/1.1 header without colon", bytes: utf8(`POST ${CREATE_ORDER} HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n`) }),
    () => ({ description: "HTTP/1.1 100 KB request line", bytes: utf8(`GET /${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`) }),
    () => ({ description: "HTTP/9.9 request", bytes: utf8(`POST ${CREATE_ORDER} HTTP/9.9\r\nHost: x\r\n\r\n`) }),
    () => ({ description: "NUL bytes in the request line", bytes: utf8(`POST /orders.v1\u0000OrdersService/CreateOrder HTTP/1.1\r\nHost: x\r\n\r\n`) }),
  ];
  const { description, bytes } = prng.pick(variants)();
  return caseOf("raw-socket", description, { transport: "tcp", method: "", path: "", headers: {}, body: bytes });
}
