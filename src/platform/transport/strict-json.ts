import { ScalarType, type DescField, type DescMessage, type DescMethod } from "@bufbuild/protobuf";
import { isWrapperDesc } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { ServiceError } from "./service-error.js";
import { clip, ERROR_LIMITS, toConnectError } from "./error-details.js";

/**
 * @bufbuild/protobuf 2.10 reads JSON with JSON.parse and Number(), which accepts more than proto3 JSON and loses
 * what a client sent without saying so:
 *
 * - an integer field given as a string is read with Number(): "0x10", "0b11", "0o7", "+5", "08" and "8." become 16,
 *   3, 7, 5, 8 and 8. Proto3 JSON allows a decimal number there, quoted or not, with an exponent or a fraction as
 *   long as the value is integral ("8", "-8", "8.0", "8e0"; not "8.5");
 * - JSON.parse keeps the last of duplicate keys, so `{"quantity":8,"quantity":1}` silently orders 1, and a field
 *   given under both its proto name and its JSON name is read twice. The spec lets a parser keep the last value but
 *   prefers a refusal where it cannot tell the order; the conformance suite and protobuf-es 2.12.1 and later refuse
 *   them, and so does this service, at any depth;
 * - a map<string, …> or Struct key "__proto__" is assigned to a plain object, which sets its prototype instead of
 *   adding an entry: the pair is dropped and the call succeeds. It is refused.
 *
 * Neither protobuf-es nor connect-es has an option for any of this. connect-es does turn each JSON message into text
 * through `jsonOptions.textDecoder` (after decompression and unframing, just before `fromJsonString`) for every
 * protocol — Connect unary and streaming, GET requests, gRPC and gRPC-Web with +json — and reports what it throws as
 * the call's error. `withStrictJson` gives every method its own decoder that decodes the UTF-8 as connect-es does,
 * scans the text once against the method's input descriptor and throws INVALID_ARGUMENT with one
 * google.rpc.BadRequest violation per problem at its field path. The scan is one pass over the text, keeps one small
 * frame per nesting level and refuses nesting deeper than MAX_JSON_DEPTH, so its cost is bounded by the body size
 * (itself bounded by readMaxBytes). Anything it cannot follow (malformed JSON) it leaves to JSON.parse, which
 * reports it as before. Binary protobuf is not affected.
 */
export const STRICT_JSON_REASONS = {
  /** An integer field's string or number that is not a decimal integer in proto3 JSON. */
  integer: "INVALID_JSON_INTEGER",
  /** A float or double field's string that is not a JSON number, "NaN", "Infinity" or "-Infinity". */
  number: "INVALID_JSON_NUMBER",
  /** A key (or a field under two names) given twice in one JSON object. */
  duplicateKey: "DUPLICATE_JSON_KEY",
  /** "__proto__", which a JavaScript object cannot hold as a key. */
  reservedKey: "RESERVED_JSON_KEY",
  /** Objects and arrays nested deeper than MAX_JSON_DEPTH. */
  tooDeep: "JSON_TOO_DEEP",
} as const;

/** protobuf's own parsers stop at 100 levels of nesting too; no request of this contract comes close. */
export const MAX_JSON_DEPTH = 100;

/** The longest client value quoted back in a violation's description. */
const QUOTED_VALUE_CHARS = 40;

/** The problems of one JSON text: the first ERROR_LIMITS.violations of them, and how many there were. */
export interface StrictJsonReport {
  violations: FieldViolation[];
  total: number;
}

/**
 * Checks a JSON text meant to be read as `schema` against the rules above. Returns undefined when there is nothing to
 * refuse, including when the text is not JSON at all (JSON.parse reports that).
 */
export function strictJsonProblems(schema: DescMessage, text: string): StrictJsonReport | undefined {
  const report: StrictJsonReport = { violations: [], total: 0 };
  scan(text, shapeOfMessage(schema), report);
  return report.total === 0 ? undefined : report;
}

/** The error a client gets for a report of strictJsonProblems. */
export function strictJsonError(report: StrictJsonReport): ConnectError {
  const summary = report.violations.map((v) => `${v.field}: ${v.description}`).join("; ");
  const omitted = report.total - report.violations.length;
  return toConnectError(
    new ServiceError(
      "invalid_argument",
      "INVALID_ARGUMENT",
      `invalid request: ${summary}`,
      report.violations,
      omitted > 0 ? { omittedViolations: String(omitted) } : {},
    ),
  );
}

/** A connect-es JSON text decoder for messages of `schema` that refuses what strictJsonProblems finds. */
export function strictJsonDecoder(schema: DescMessage): { decode(input?: Uint8Array): string } {
  // connect-es' own default: replaces invalid UTF-8, drops a byte order mark.
  const utf8 = new TextDecoder();
  return {
    decode(input) {
      const text = utf8.decode(input);
      const report = strictJsonProblems(schema, text);
      if (report !== undefined) throw strictJsonError(report);
      return text;
    },
  };
}

/**
 * Wraps a `routes` callback of connectNodeAdapter so that every method it registers reads JSON through
 * strictJsonDecoder of its input message. A service is registered method by method (router.rpc), the way
 * router.service would, because connect-es takes handler options per registration and the decoder must know the
 * method. A `jsonOptions` given to connectNodeAdapter itself is replaced: pass it here, per registration, instead.
 */
export function withStrictJson(register: (router: ConnectRouter) => void): (router: ConnectRouter) => void {
  return (router) => register(strictRouter(router));
}

type HandlerOptions = NonNullable<Parameters<ConnectRouter["rpc"]>[2]>;
type AnyMethodImpl = Parameters<ConnectRouter["rpc"]>[1];

function strictRouter(router: ConnectRouter): ConnectRouter {
  const strict: ConnectRouter = {
    get handlers() {
      return router.handlers;
    },
    service(service, implementation, options) {
      for (const method of service.methods) {
        const impl: unknown = Reflect.get(implementation as object, method.localName);
        router.rpc(
          method,
          (typeof impl === "function" ? impl.bind(implementation) : unimplemented(method)) as AnyMethodImpl,
          strictOptions(method, options),
        );
      }
      return strict;
    },
    rpc(method, impl, options) {
      router.rpc(method, impl, strictOptions(method, options));
      return strict;
    },
  };
  return strict;
}

function strictOptions(method: DescMethod, options: HandlerOptions | undefined): HandlerOptions {
  // textDecoder is read by connect-es' JSON serialization but not declared on UniversalHandlerOptions.
  const jsonOptions = { ...options?.jsonOptions, textDecoder: strictJsonDecoder(method.input) };
  return { ...options, jsonOptions };
}

/** What router.service registers for a method the implementation leaves out. */
function unimplemented(method: DescMethod): () => never {
  const message = `${method.parent.typeName}.${method.name} is not implemented`;
  return () => {
    throw new ConnectError(message, Code.Unimplemented);
  };
}

// ---- what each JSON value is expected to be ------------------------------------------------------------------

type Shape =
  | { kind: "message"; desc: DescMessage }
  | { kind: "map"; integerKeys: boolean; value: () => Shape }
  | { kind: "list"; element: () => Shape }
  | { kind: "integer" }
  | { kind: "float" }
  /** Strings, bools, enums, well-known types read from strings, Struct and Value, unknown fields. */
  | { kind: "other" };

const INTEGER: Shape = { kind: "integer" };
const FLOAT: Shape = { kind: "float" };
const OTHER: Shape = { kind: "other" };

/** Well-known types that protobuf-es reads from a JSON form of their own (wrappers are handled apart). */
const WKT_WITH_OWN_JSON = new Set([
  "google.protobuf.Any",
  "google.protobuf.Timestamp",
  "google.protobuf.Duration",
  "google.protobuf.FieldMask",
  "google.protobuf.Struct",
  "google.protobuf.Value",
  "google.protobuf.ListValue",
]);

function scalarShape(scalar: ScalarType): Shape {
  switch (scalar) {
    case ScalarType.INT32:
    case ScalarType.UINT32:
    case ScalarType.SINT32:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return INTEGER;
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      return FLOAT;
    default:
      return OTHER;
  }
}

const messageShapes = new WeakMap<DescMessage, Shape>();

function shapeOfMessage(desc: DescMessage): Shape {
  let shape = messageShapes.get(desc);
  if (shape === undefined) {
    if (isWrapperDesc(desc)) shape = scalarShape(desc.fields[0].scalar);
    else if (WKT_WITH_OWN_JSON.has(desc.typeName)) shape = OTHER;
    else shape = { kind: "message", desc };
    messageShapes.set(desc, shape);
  }
  return shape;
}

const fieldShapes = new WeakMap<DescField, Shape>();

function shapeOfField(field: DescField): Shape {
  let shape = fieldShapes.get(field);
  if (shape === undefined) {
    switch (field.fieldKind) {
      case "scalar":
        shape = scalarShape(field.scalar);
        break;
      case "enum":
        shape = OTHER;
        break;
      case "message":
        shape = shapeOfMessage(field.message);
        break;
      case "list": {
        const element =
          field.listKind === "message"
            ? () => shapeOfMessage(field.message)
            : field.listKind === "scalar"
              ? () => scalarShape(field.scalar)
              : () => OTHER;
        shape = { kind: "list", element };
        break;
      }
      case "map": {
        const value =
          field.mapKind === "message"
            ? () => shapeOfMessage(field.message)
            : field.mapKind === "scalar"
              ? () => scalarShape(field.scalar)
              : () => OTHER;
        shape = { kind: "map", integerKeys: scalarShape(field.mapKey) === INTEGER, value };
        break;
      }
    }
    fieldShapes.set(field, shape);
  }
  return shape;
}

const jsonKeys = new WeakMap<DescMessage, Map<string, DescField>>();

/** A message's fields by every key proto3 JSON reads them under: the JSON name and the proto name. */
function fieldsByJsonKey(desc: DescMessage): Map<string, DescField> {
  let keys = jsonKeys.get(desc);
  if (keys === undefined) {
    keys = new Map();
    for (const field of desc.fields) keys.set(field.name, field).set(field.jsonName, field);
    jsonKeys.set(desc, keys);
  }
  return keys;
}

// ---- the scan ----------------------------------------------------------------------------------------------------

interface ObjectFrame {
  array: false;
  shape: Shape;
  /** Keys seen so far: field numbers for known fields (any spelling), the key text otherwise. */
  seen: Set<number | string>;
  /** The member being read: its path segment and expected shape. */
  childSegment: string;
  childShape: Shape;
}

interface ArrayFrame {
  array: true;
  element: Shape;
  index: number;
}

type Frame = ObjectFrame | ArrayFrame;

const enum Want {
  Value,
  ValueOrClose,
  Key,
  KeyOrClose,
  Colon,
  CommaOrClose,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** A JSON number as the JSON grammar has it: no "+", no leading zeros, no hex, digits on both sides of a dot. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
/** A map key of an integer type: proto3 JSON writes it as a plain decimal string. */
const DECIMAL_KEY = /^(?:0|-?[1-9]\d*)$/;

function scan(text: string, root: Shape, report: StrictJsonReport): void {
  const frames: Frame[] = [];
  const length = text.length;
  let i = 0;
  let want = Want.Value;

  const path = (): string => {
    let joined = "";
    for (const frame of frames) joined += frame.array ? `[${frame.index}]` : frame.childSegment;
    // A key can hold half of a surrogate pair ("\ud800"); grpc-message, which quotes the path, cannot.
    return wellFormed(joined.startsWith(".") ? joined.slice(1) : joined);
  };
  const problem = (reason: string, description: string): void => {
    report.total += 1;
    if (report.violations.length < ERROR_LIMITS.violations)
      report.violations.push(fieldViolation(path(), reason, description));
  };
  const shapeHere = (): Shape => {
    const top = frames.at(-1);
    if (top === undefined) return root;
    return top.array ? top.element : top.childShape;
  };

  for (;;) {
    while (i < length && isWhitespace(text.charCodeAt(i))) i++;
    // Truncated input: JSON.parse reports it.
    if (i >= length) return;
    const c = text.charCodeAt(i);
    const top = frames.at(-1);

    if (want === Want.Value || want === Want.ValueOrClose) {
      if (want === Want.ValueOrClose && c === CLOSE_BRACKET) {
        frames.pop();
        i++;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (frames.length >= MAX_JSON_DEPTH) {
          problem(STRICT_JSON_REASONS.tooDeep, `nested more than ${MAX_JSON_DEPTH} levels deep`);
          return;
        }
        const shape = shapeHere();
        if (c === OPEN_BRACE) {
          frames.push({ array: false, shape, seen: new Set(), childSegment: "", childShape: OTHER });
          want = Want.KeyOrClose;
        } else {
          frames.push({ array: true, element: shape.kind === "list" ? shape.element() : OTHER, index: 0 });
          want = Want.ValueOrClose;
        }
        i++;
        continue;
      } else if (c === QUOTE) {
        const end = stringEnd(text, i);
        if (end < 0) return;
        const shape = shapeHere();
        if (shape.kind === "integer" || shape.kind === "float") {
          const value = stringValue(text, i, end);
          if (value === undefined) return;
          checkNumber(shape.kind, value, problem);
        }
        i = end + 1;
      } else {
        const end = literalEnd(text, i);
        // Not the start of any JSON value: a syntax error for JSON.parse.
        if (end === i) return;
        // Unquoted numbers pass JSON.parse's grammar; an integer field still needs an integral one.
        if (shapeHere().kind === "integer") {
          const literal = text.slice(i, end);
          if (JSON_NUMBER.test(literal) && !isIntegral(literal))
            problem(STRICT_JSON_REASONS.integer, integerDescription(literal));
        }
        i = end;
      }
      // A value ended (or an empty array closed).
      if (frames.length === 0) return;
      want = Want.CommaOrClose;
      continue;
    }

    if (top === undefined) return;

    if (want === Want.Key || want === Want.KeyOrClose) {
      if (want === Want.KeyOrClose && c === CLOSE_BRACE) {
        frames.pop();
        i++;
        if (frames.length === 0) return;
        want = Want.CommaOrClose;
        continue;
      }
      if (c !== QUOTE || top.array) return;
      const end = stringEnd(text, i);
      if (end < 0) return;
      const key = stringValue(text, i, end);
      if (key === undefined) return;
      i = end + 1;
      readKey(top, key, problem);
      want = Want.Colon;
      continue;
    }

    if (want === Want.Colon) {
      if (c !== COLON) return;
      i++;
      want = Want.Value;
      continue;
    }

    // Want.CommaOrClose
    if (c === COMMA) {
      i++;
      if (top.array) {
        top.index += 1;
        want = Want.Value;
      } else want = Want.Key;
      continue;
    }
    if (c !== (top.array ? CLOSE_BRACKET : CLOSE_BRACE)) return;
    frames.pop();
    i++;
    if (frames.length === 0) return;
    want = Want.CommaOrClose;
  }
}

/** Sets the frame's current member from its key, and reports a reserved or repeated key at that member's path. */
function readKey(frame: ObjectFrame, key: string, problem: (reason: string, description: string) => void): void {
  const shape = frame.shape;
  let identity: number | string = key;
  if (shape.kind === "message") {
    const field = fieldsByJsonKey(shape.desc).get(key);
    if (field !== undefined) {
      identity = field.number;
      frame.childSegment = `.${field.name}`;
      frame.childShape = shapeOfField(field);
    } else {
      frame.childSegment = `.${key}`;
      frame.childShape = OTHER;
    }
  } else if (shape.kind === "map") {
    frame.childSegment = `[${JSON.stringify(key)}]`;
    frame.childShape = shape.value();
    if (shape.integerKeys && !DECIMAL_KEY.test(key))
      problem(STRICT_JSON_REASONS.integer, `map key ${integerDescription(key)}`);
  } else {
    frame.childSegment = `.${key}`;
    frame.childShape = OTHER;
  }
  if (key === "__proto__") {
    problem(
      STRICT_JSON_REASONS.reservedKey,
      `"__proto__" is not accepted as a JSON key: it cannot be kept as an entry, so it would be lost`,
    );
  }
  if (frame.seen.has(identity)) {
    problem(
      STRICT_JSON_REASONS.duplicateKey,
      typeof identity === "number"
        ? "is given more than once in its JSON object (by one key repeated, or by both its JSON and its proto name)"
        : "is given more than once in its JSON object",
    );
  } else frame.seen.add(identity);
}

function checkNumber(
  kind: "integer" | "float",
  value: string,
  problem: (reason: string, description: string) => void,
): void {
  if (kind === "integer") {
    if (!(JSON_NUMBER.test(value) && isIntegral(value)))
      problem(STRICT_JSON_REASONS.integer, integerDescription(value));
    return;
  }
  if (value === "NaN" || value === "Infinity" || value === "-Infinity" || JSON_NUMBER.test(value)) return;
  problem(
    STRICT_JSON_REASONS.number,
    `must be a JSON number, "NaN", "Infinity" or "-Infinity" (proto3 JSON), got ${quoted(value)}`,
  );
}

function integerDescription(value: string): string {
  return `must be a decimal integer (proto3 JSON: an optional "-" and digits, an integral fraction or exponent allowed), got ${quoted(value)}`;
}

function quoted(value: string): string {
  return JSON.stringify(clip(value, QUOTED_VALUE_CHARS));
}

/**
 * Whether a text matching JSON_NUMBER has an integral value, decided on its digits (Number() would round
 * "1.0000000000000001" to 1): the digits left after dropping trailing zeros must all sit before the decimal point
 * once the exponent has moved it.
 */
function isIntegral(number: string): boolean {
  const match = JSON_NUMBER.exec(number);
  if (match === null) return false;
  const whole = match[1] ?? "";
  const fraction = match[2] ?? "";
  const exponent = match[3] === undefined ? 0 : Number(match[3]);
  const significant = (whole + fraction).replace(/0+$/, "");
  return significant.length <= whole.length + exponent;
}

/** The text with every unpaired surrogate replaced by U+FFFD (String.prototype.toWellFormed, ES2024). */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The index of the quote that closes the string opening at `start`, or -1. Linear: each backslash is looked at once. */
function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslash = quote - 1;
    while (backslash > start && text.charCodeAt(backslash) === BACKSLASH) backslash--;
    if ((quote - 1 - backslash) % 2 === 0) return quote;
    from = quote + 1;
  }
}

/** The decoded value of the JSON string text[start..end] (quotes included), or undefined if its escapes are invalid. */
function stringValue(text: string, start: number, end: number): string | undefined {
  for (let j = start + 1; j < end; j++) {
    if (text.charCodeAt(j) === BACKSLASH) {
      try {
        return JSON.parse(text.slice(start, end + 1)) as string;
      } catch {
        return undefined;
      }
    }
  }
  return text.slice(start + 1, end);
}

/** Where a number, true, false or null starting at `start` ends: at whitespace or the next structural character. */
function literalEnd(text: string, start: number): number {
  let j = start;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (
      isWhitespace(c) ||
      c === COMMA ||
      c === COLON ||
      c === CLOSE_BRACE ||
      c === CLOSE_BRACKET ||
      c === OPEN_BRACE ||
      c === OPEN_BRACKET ||
      c === QUOTE
    )
      break;
    j++;
  }
  return j;
}
