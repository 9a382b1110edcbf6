import type { DescMessage } from "@bufbuild/protobuf";
import { fieldsByJsonKey, OTHER, shapeOfField, shapeOfMessage, type Shape } from "./strict-json-shapes.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { clip, ERROR_LIMITS } from "./error-details.js";

// The scan behind strict-json.ts (which says why it exists): one pass over a JSON text against the message
// descriptor it is meant for, reporting what protobuf-es would read differently from what the client sent.

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
