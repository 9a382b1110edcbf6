import { gzipSync } from "node:zlib";
import type { Prng } from "../prng.js";
import {
  ALL_WIRES,
  caseOf,
  CREATE_ORDER,
  envelope,
  framed,
  GET_ORDER,
  isJsonWire,
  PROTO_WIRES,
  utf8,
  type FuzzCase,
  type FuzzTarget,
  type Wire,
} from "./framing.js";
import { ENCODINGS, HOSTILE_TIMEOUTS, HOSTILE_UUIDS, WRONG_CONTENT_TYPES } from "./hostile-values.js";
import { jsonHostileValue, jsonStructure } from "./json-cases.js";
import { deliverOrder, fulfillOrder, importOrder, listOrders, pageToken, readTargetOrder } from "./lifecycle-cases.js";
import { rawSocket } from "./raw-socket-cases.js";
import {
  KEY_PLACEHOLDER,
  mutateBytes,
  nestedGroups,
  orderBinary,
  orderJson,
  seededUuid,
  validOrderRequest,
} from "./requests.js";

export type { FuzzCase, FuzzTarget } from "./framing.js";

/**
 * Relative weights of the categories; together they cover every item of issue 3 §2.8, and since issue 9
 * the security review's findings: out-of-range timestamps in binary messages and edited page tokens.
 */
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
  [2.5, fulfillOrder],
  [2, deliverOrder],
  [2, listOrders],
  [2, pageToken],
  [1.5, importOrder],
  [1.5, readTargetOrder],
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

function envelopeDamage(prng: Prng, target: FuzzTarget): FuzzCase {
  const wire = prng.pick<Wire>(["grpc-proto", "grpc-web-proto", "grpc-json", "grpc-web-json"]);
  const request = validOrderRequest(prng, target.customerId);
  const payload = isJsonWire(wire) ? utf8(JSON.stringify(orderJson(request))) : orderBinary(request);
  const base = framed(prng, wire, payload);
  const variants: (() => { description: string; body: Uint8Array; headers?: Record<string, string> })[] = [
    () => ({
      description: "declared length longer than the message",
      body: envelope(0, payload, payload.byteLength + prng.int(1, 1000)),
    }),
    () => ({
      description: "declared length shorter than the message",
      body: envelope(0, payload, prng.int(0, payload.byteLength - 1)),
    }),
    () => ({ description: "prefix cut short", body: envelope(0, payload).subarray(0, prng.int(1, 4)) }),
    () => ({
      description: "message cut short",
      body: envelope(0, payload).subarray(0, prng.int(5, 5 + payload.byteLength - 1)),
    }),
    () => ({ description: "compressed flag without grpc-encoding", body: envelope(1, payload) }),
    () => ({
      description: "compressed flag with gzip declared but plain bytes",
      body: envelope(1, payload),
      headers: { "grpc-encoding": "gzip" },
    }),
    () => {
      const flags = prng.pick([0x02, 0x7f, 0x80, 0x81, 0xff]);
      return { description: `flags 0x${flags.toString(16)}`, body: envelope(flags, payload) };
    },
    () => ({
      description: "two messages in a unary call",
      body: Buffer.concat([envelope(0, payload), envelope(0, payload)]),
    }),
    () => ({ description: "no message", body: new Uint8Array(0) }),
    () => ({ description: "empty message", body: envelope(0, new Uint8Array(0)) }),
    () => {
      const declared = prng.pick([0xffffffff, 0x7fffffff, 0x80000000, 4 * 1024 * 1024 + 1]);
      return { description: `declared length ${declared}`, body: envelope(0, payload, declared) };
    },
    () => ({ description: "10,000 nested unknown groups", body: envelope(0, nestedGroups(10_000)) }),
    () => ({
      description: "garbage after a complete message",
      body: Buffer.concat([envelope(0, payload), Buffer.from([0, 0])]),
    }),
  ];
  const { description, body, headers } = prng.pick(variants)();
  return caseOf("envelope", `${wire}: ${description}`, { ...base, body, headers: { ...base.headers, ...headers } });
}

function compression(prng: Prng, target: FuzzTarget): FuzzCase {
  const request = validOrderRequest(prng, target.customerId);
  const grpc = prng.chance(0.5);
  const wire = grpc
    ? prng.pick<Wire>(["grpc-proto", "grpc-web-proto"])
    : prng.pick<Wire>(["connect-proto", "connect-json"]);
  const plain = isJsonWire(wire) ? utf8(JSON.stringify(orderJson(request))) : orderBinary(request);
  const variants: (() => { description: string; data: Uint8Array; encoding: string })[] = [
    () => ({ description: "valid gzip", data: gzipSync(plain), encoding: "gzip" }),
    () => ({ description: "garbage declared as gzip", data: prng.bytes(prng.int(0, 300)), encoding: "gzip" }),
    () => ({ description: "truncated gzip", data: gzipSync(plain).subarray(0, prng.int(1, 20)), encoding: "gzip" }),
    // Rarer than the others: inflating up to the read limit costs connect-node 256 event-loop turns
    // (16 KiB at a time), seconds each under fuzzing load.
    () =>
      prng.chance(0.3)
        ? { description: "gzip bomb (64 MiB of zeros)", data: gzipBomb(), encoding: "gzip" }
        : { description: "valid gzip", data: gzipSync(plain), encoding: "gzip" },
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
      return {
        description: `${count} extra headers`,
        headers: Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-meta-${i}`, "v".repeat(32)])),
      };
    },
    () => ({
      description: "giant authorization",
      headers: { authorization: `Bearer ${"k".repeat(prng.pick([1000, 20_000]))}` },
    }),
    () => {
      const value = prng.pick([
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer osk_test_x",
        `bearer ${KEY_PLACEHOLDER}`,
        `Bearer ${KEY_PLACEHOLDER}x`,
        `Bearer  ${KEY_PLACEHOLDER}`,
        `Bearer ${KEY_PLACEHOLDER} extra`,
        "Bearer \u00ff\u00fe",
        "Bearer ../../etc",
      ]);
      return { description: `authorization ${JSON.stringify(value)}`, headers: { authorization: value } };
    },
    () => {
      const timeout = prng.pick(HOSTILE_TIMEOUTS);
      return { description: `${timeout.header}: ${timeout.value}`, headers: { [timeout.header]: timeout.value } };
    },
    () => {
      const version = prng.pick(["2", "0", "", "1.1", "v1"]);
      return {
        description: `connect-protocol-version ${JSON.stringify(version)}`,
        headers: { "connect-protocol-version": version },
      };
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
  const variants: (() => { description: string; method?: string; path?: string; headers?: Record<string, string> })[] =
    [
      () => {
        const method = prng.pick(["GET", "PUT", "DELETE", "PATCH", "HEAD", "TRACE"]);
        return { description: `${method} on CreateOrder`, method };
      },
      () => {
        const path = prng.pick([
          "/",
          "/orders.v1.OrdersService/",
          "/orders.v1.OrdersService/DeleteOrder",
          `${CREATE_ORDER}/`,
          `/${CREATE_ORDER}`,
          "/orders.v1.OrdersService/createorder",
          "/grpc.health.v1.Health/Check",
          "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
          "/orders.v1.CustomersService/GetCustomer",
          "/%2e%2e/%2e%2e/etc/passwd",
          `/${"a".repeat(8000)}`,
          `${CREATE_ORDER}?x=${"y".repeat(4000)}`,
          `${CREATE_ORDER}%00`,
          "/orders.v1.OrdersService%2FCreateOrder",
        ]);
        return { description: `POST ${path.length > 60 ? `${path.slice(0, 40)}…(${path.length})` : path}`, path };
      },
      () => {
        const query = prng.pick([
          `connect=v1&encoding=json&message=${message}`,
          "connect=v1&encoding=proto&base64=1&message=%%%",
          `connect=v1&encoding=json&compression=gzip&message=${message}`,
          `connect=v2&encoding=json&message=${message}`,
          `encoding=xml&message=${message}`,
          "message=",
        ]);
        return {
          description: `GET GetOrder?${query.slice(0, 60)}`,
          method: "GET",
          path: `${GET_ORDER}?${query}`,
          headers: { "content-type": "" },
        };
      },
      () => ({
        description: "CORS preflight",
        method: "OPTIONS",
        headers: {
          origin: prng.pick(["https://shop.example", "null", "x".repeat(3000)]),
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type, x-evil",
        },
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
  return caseOf(
    "get-order",
    `${wire}: GetOrder ${JSON.stringify(id.slice(0, 40))}`,
    framed(prng, wire, payload, GET_ORDER),
  );
}

function abortedBody(prng: Prng, target: FuzzTarget): FuzzCase {
  const wire = prng.pick(ALL_WIRES);
  const request = validOrderRequest(prng, target.customerId);
  const base = framed(prng, wire, isJsonWire(wire) ? utf8(JSON.stringify(orderJson(request))) : orderBinary(request));
  const abortAfterBytes = prng.int(0, Math.max(0, base.body.byteLength - 1));
  return caseOf("aborted", `${wire}: reset after ${abortAfterBytes} of ${base.body.byteLength} body bytes`, {
    ...base,
    abortAfterBytes,
  });
}
