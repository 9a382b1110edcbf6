import { fromBinary } from "@bufbuild/protobuf";
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { CreateOrderRequestSchema } from "../../../../gen/orders/v1/orders_service_pb.js";
import { Prng } from "../prng.js";
import { generateCase, type FuzzTarget } from "./cases.js";
import { CREATE_ORDER } from "./framing.js";
import type { RawRequest } from "./raw-client.js";
import { ORDER_MARKER } from "./requests.js";
import { splitEnvelopes } from "./verdict.js";

/**
 * Which fuzz input wrote an order: every generated CreateOrder body carries a marker in each line's sku,
 * name and description (see validOrderRequest), most carry a request_id, and what the service stored can be
 * compared with what a body decodes to. Bodies are searched after every decompression the service could
 * have applied (gzip, deflate, br; of the whole body for Connect, of each message for gRPC and gRPC-Web),
 * whatever their size.
 */

/** More than the service inflates (its read limit is 4 MiB): a bomb stops here instead of filling memory. */
const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

/**
 * `bytes` decompressed by each coding the request declares (Content-Encoding for Connect, grpc-encoding for
 * gRPC; the service applies no other), and by gzip when it starts like gzip.
 */
function inflations(bytes: Buffer, declared: string): Buffer[] {
  const out: Buffer[] = [];
  const options = { maxOutputLength: MAX_INFLATED_BYTES };
  const attempts: (() => Buffer)[] = [];
  if (declared.includes("gzip") || (bytes[0] === 0x1f && bytes[1] === 0x8b))
    attempts.push(() => gunzipSync(bytes, options));
  if (declared.includes("deflate"))
    attempts.push(
      () => inflateSync(bytes, options),
      () => inflateRawSync(bytes, options),
    );
  if (declared.includes("br")) attempts.push(() => brotliDecompressSync(bytes, options));
  for (const attempt of attempts) {
    try {
      out.push(attempt());
    } catch {
      // Not this coding, or not a whole stream (the fuzzer breaks many): nothing to find in it.
    }
  }
  return out;
}

/**
 * What a request body may carry as its message: the body itself, its gRPC messages, and each of them
 * decompressed. `searchable` is what to search for keys (the body holds its uncompressed messages
 * already), `decodable` what to decode as a CreateOrderRequest.
 */
export function messagesIn(request: RawRequest): { searchable: Buffer[]; decodable: Buffer[] } {
  const body = Buffer.from(request.body);
  const declared =
    `${request.headers["content-encoding"] ?? ""},${request.headers["grpc-encoding"] ?? ""}`.toLowerCase();
  const grpc = (request.headers["content-type"] ?? "").startsWith("application/grpc") && body.length >= 5;
  const messages: Buffer[] = grpc ? splitEnvelopes(body).map((e) => e.data) : [body];
  // A message whose declared length is wrong: what follows the prefix, as the service may read it.
  if (grpc && (messages[0]?.length ?? 0) !== body.length - 5) messages.push(body.subarray(5));
  const inflated = messages.flatMap((m) => inflations(m, declared));
  return { searchable: [body, ...inflated], decodable: [...messages, ...inflated] };
}

/**
 * Which of `keys` (request ids, markers) occur in the messages. A plain substring search: PostgreSQL returns
 * request ids in lower case, so their upper-case spelling is among the keys too.
 */
export function keysFound(messages: readonly Buffer[], keys: readonly string[]): string[] {
  const texts = messages.map((m) => m.toString("latin1"));
  return keys.filter((key) => texts.some((text) => text.includes(key)));
}

/** The markers in an order's stored text (every line's sku, name and description). */
export function markersIn(texts: readonly (string | null)[]): string[] {
  return [...new Set(texts.flatMap((t) => [...(t ?? "").matchAll(ORDER_MARKER)].map((m) => m[1] ?? "")))];
}

/** What an order's lines are, as a string to compare: each line's sku and name, in order. */
export function contentFingerprint(lines: readonly { sku: string; name: string }[]): string {
  return JSON.stringify(lines.map((l) => [l.sku, l.name]));
}

/** A JSON value as text: "" for none, a string as is, anything else as JSON (the service reads only strings). */
function jsonText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The content fingerprints of whatever CreateOrderRequest the messages decode to, as JSON or as binary. */
export function requestFingerprints(messages: readonly Buffer[]): Set<string> {
  const out = new Set<string>();
  for (const message of messages) {
    const text = message.toString("utf8").replace(/^\ufeff/, "");
    if (text.trimStart().startsWith("{")) {
      try {
        const parsed = JSON.parse(text) as { items?: unknown };
        if (Array.isArray(parsed.items)) {
          const lines = parsed.items.map((item) => {
            const line = (item ?? {}) as { sku?: unknown; name?: unknown };
            return { sku: jsonText(line.sku), name: jsonText(line.name) };
          });
          out.add(contentFingerprint(lines));
        }
      } catch {
        // Not JSON the service could read either.
      }
      continue;
    }
    try {
      const request = fromBinary(CreateOrderRequestSchema, message);
      if (request.items.length > 0) out.add(contentFingerprint(request.items));
    } catch {
      // Not a message the service could read either.
    }
  }
  return out;
}

/** An order the campaign got no answer for, as the database holds it. */
export interface UnansweredOrder {
  id: string;
  requestId: string | null;
  /** Markers found in its lines' skus, names and descriptions. */
  markers: string[];
  fingerprint: string;
}

/** One input that may have written an order, and by what it was recognised. */
export interface Writer {
  index: number;
  outcome: string;
  category: string;
  description: string;
  via: "marker" | "request id" | "content";
}

export interface TraceOptions {
  seed: number;
  target: FuzzTarget;
  /** How many cases the campaign sent (they are regenerated from the seed, in index order). */
  sent: number;
  /** The category of each case the campaign sent, to check that the regenerated sequence is the same. */
  categoryOf: (index: number) => string;
  /** What each case got (a verdict label, "transport(...)" for an answer lost on the way). */
  outcomeOf: (index: number) => string;
}

/**
 * Finds the writers of `orders` by generating the campaign's inputs again from its seed (the campaign keeps
 * no bodies: a million inputs would not fit) and searching every CreateOrder body for their request ids,
 * markers and, for orders whose lines kept no marker or whose marker no body had, their decoded content.
 */
export function findWriters(orders: readonly UnansweredOrder[], options: TraceOptions): Map<string, Writer[]> {
  const writers = new Map<string, Writer[]>(orders.map((o) => [o.id, []]));
  if (orders.length === 0) return writers;
  const byRequestId = new Map(orders.filter((o) => o.requestId).map((o) => [o.requestId as string, o]));
  const byMarker = new Map(orders.flatMap((o) => o.markers.map((m) => [m, o] as const)));
  const add = (order: UnansweredOrder, writer: Writer): void => {
    const list = writers.get(order.id) ?? [];
    if (!list.some((w) => w.index === writer.index && w.via === writer.via)) list.push(writer);
    writers.set(order.id, list);
  };
  const pass = (byFingerprint: Map<string, UnansweredOrder[]>): void => {
    const keys = [...byRequestId.keys(), ...[...byRequestId.keys()].map((k) => k.toUpperCase()), ...byMarker.keys()];
    const prng = new Prng(options.seed);
    for (let index = 0; index < options.sent; index++) {
      const fuzzCase = generateCase(prng, options.target);
      if (fuzzCase.category !== options.categoryOf(index))
        throw new Error(
          `regenerating the campaign from seed ${options.seed} went out of step at #${index}: ` +
            `${fuzzCase.category} instead of ${options.categoryOf(index)}`,
        );
      if (fuzzCase.path.split("?")[0] !== CREATE_ORDER) continue;
      const writer = (via: Writer["via"]): Writer => ({
        index,
        outcome: options.outcomeOf(index),
        category: fuzzCase.category,
        description: fuzzCase.description,
        via,
      });
      const messages = messagesIn(fuzzCase);
      if (keys.length > 0) {
        for (const key of keysFound(messages.searchable, keys)) {
          const byId = byRequestId.get(key.toLowerCase());
          if (byId) add(byId, writer("request id"));
          const byKey = byMarker.get(key);
          if (byKey) add(byKey, writer("marker"));
        }
      }
      if (byFingerprint.size > 0)
        for (const fingerprint of requestFingerprints(messages.decodable))
          for (const order of byFingerprint.get(fingerprint) ?? []) add(order, writer("content"));
    }
  };
  const fingerprintsOf = (list: readonly UnansweredOrder[]): Map<string, UnansweredOrder[]> => {
    const map = new Map<string, UnansweredOrder[]>();
    for (const order of list) map.set(order.fingerprint, [...(map.get(order.fingerprint) ?? []), order]);
    return map;
  };
  pass(fingerprintsOf(orders.filter((o) => o.markers.length === 0)));
  // Last resort, in a second pass: the content of orders that neither marker nor request id explained.
  const unexplained = orders.filter((o) => o.markers.length > 0 && (writers.get(o.id) ?? []).length === 0);
  if (unexplained.length > 0) {
    byRequestId.clear();
    byMarker.clear();
    pass(fingerprintsOf(unexplained));
  }
  return writers;
}

/**
 * The writer that explains an order: the one its marker names (markers are unique to an input), else the one
 * whose content matches, else the one with its request id (fixed hostile request ids repeat across inputs).
 * Several at the same rank stay ambiguous: all are returned.
 */
export function bestWriters(candidates: readonly Writer[]): Writer[] {
  for (const via of ["marker", "content", "request id"] as const) {
    const found = candidates.filter((w) => w.via === via);
    if (found.length > 0) return found;
  }
  return [];
}
