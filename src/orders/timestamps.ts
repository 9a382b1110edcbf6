import { create, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { TimestampSchema, type Timestamp } from "@bufbuild/protobuf/wkt";
import { fieldViolation, type FieldViolation } from "../money/field-violation.js";

/**
 * The times every encoding of a google.protobuf.Timestamp can carry. Binary protobuf carries any int64
 * seconds and int32 nanos, but RFC 3339 (Connect JSON, the console) only 0001-01-01T00:00:00Z to
 * 9999-12-31T23:59:59.999999999Z with nanos 0..999,999,999, and a JS Date less than binary. A time the
 * service accepts or answers must be one of these (see proto/orders/v1/order.proto, "Times"): the contract
 * enforces the range on every Timestamp field of a request with protovalidate, and this module does what
 * protovalidate cannot (nanos) plus the same checks for use cases called without the interceptor.
 */
export const MIN_SECONDS = -62135596800n; // 0001-01-01T00:00:00Z
export const MAX_SECONDS = 253402300799n; // 9999-12-31T23:59:59Z
export const MAX_NANOS = 999_999_999;

/** The first and the last Timestamp there is. */
export const MIN_TIMESTAMP: Readonly<Timestamp> = create(TimestampSchema, { seconds: MIN_SECONDS, nanos: 0 });
export const MAX_TIMESTAMP: Readonly<Timestamp> = create(TimestampSchema, { seconds: MAX_SECONDS, nanos: MAX_NANOS });

/** The reason protovalidate gives a `timestamp` rule with `gte` and `lte`; the code checks report the same. */
export const OUT_OF_RANGE_REASON = "TIMESTAMP_GTE_LTE";
/** Nanos outside 0..999,999,999: no protovalidate rule can see them, so only code reports this. */
export const INVALID_TIMESTAMP_REASON = "INVALID_TIMESTAMP";

/** A lower bound of timestampViolations: the first second allowed, and how a description writes it. */
export interface EarliestTime {
  seconds: bigint;
  text: string;
}

/**
 * Violations of `time` as a Timestamp: nanos out of range, or before `earliest` (default the first
 * time there is) or after the last. At most one: a time that is not one has no other problems.
 */
export function timestampViolations(
  field: string,
  time: Timestamp | undefined,
  earliest: EarliestTime = { seconds: MIN_SECONDS, text: "0001-01-01T00:00:00Z" },
): FieldViolation[] {
  if (!time) return [];
  if (!Number.isInteger(time.nanos) || time.nanos < 0 || time.nanos > MAX_NANOS) {
    return [fieldViolation(field, INVALID_TIMESTAMP_REASON, `nanos must be from 0 to ${MAX_NANOS}`)];
  }
  if (time.seconds < earliest.seconds || time.seconds > MAX_SECONDS) {
    const range = `${earliest.text} and 9999-12-31T23:59:59.999999999Z`;
    return [fieldViolation(field, OUT_OF_RANGE_REASON, `must be between ${range}`)];
  }
  return [];
}

/**
 * Every Timestamp anywhere in a request (nested messages, lists, maps) that is not one every encoding
 * can carry, with its field path as protovalidate writes it. The request's own rules (earliest times,
 * future) are the use case's; this is the floor under all of them, including fields a method ignores
 * (UpdateOrderRequest.order.create_time) but still hashes for idempotency.
 */
export function unencodableTimestamps(schema: DescMessage, message: object): FieldViolation[] {
  const violations: FieldViolation[] = [];
  visit(schema, message, "", violations);
  return violations;
}

function visit(schema: DescMessage, message: object, path: string, out: FieldViolation[]): void {
  if (schema.typeName === TimestampSchema.typeName) {
    out.push(...timestampViolations(path, message as Timestamp));
    return;
  }
  for (const field of schema.fields) {
    const value = fieldValue(field, message);
    if (value === undefined || value === null) continue;
    const at = path === "" ? field.name : `${path}.${field.name}`;
    if (field.fieldKind === "message") {
      visit(field.message, value, at, out);
    } else if (field.fieldKind === "list" && field.listKind === "message") {
      (value as object[]).forEach((item, index) => visit(field.message, item, `${at}[${index}]`, out));
    } else if (field.fieldKind === "map" && field.mapKind === "message") {
      for (const [key, item] of Object.entries(value as Record<string, object>)) {
        visit(field.message, item, `${at}[${JSON.stringify(key)}]`, out);
      }
    }
  }
}

/** The value of a field on a protobuf-es message object, including members of a oneof. */
function fieldValue(field: DescField, message: object): unknown {
  if (field.oneof === undefined) return Reflect.get(message, field.localName);
  const oneof: unknown = Reflect.get(message, field.oneof.localName);
  if (typeof oneof !== "object" || oneof === null) return undefined;
  return Reflect.get(oneof, "case") === field.localName ? Reflect.get(oneof, "value") : undefined;
}

/**
 * A stored time as the contract may answer it: clamped into the range every encoding can carry. Only
 * rows written before the contract bounded times (a year-0 ship time from the security review) are
 * outside it; clamping keeps them readable in every encoding instead of failing every read of the
 * order — and every listing page that holds it — with INTERNAL.
 */
export function wireTimestamp(date: Date): Timestamp {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new Error(`stored time is not a time: ${String(date)}`);
  if (ms < MIN_MS) return create(TimestampSchema, MIN_TIMESTAMP);
  if (ms > MAX_MS) return create(TimestampSchema, MAX_TIMESTAMP);
  // timestampFromDate's own arithmetic, as a literal instead of create(): an order has three times, and a
  // listing page hundreds of orders.
  const seconds = Math.floor(ms / 1000);
  return { $typeName: "google.protobuf.Timestamp", seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

const MIN_MS = Number(MIN_SECONDS) * 1000;
const MAX_MS = Number(MAX_SECONDS) * 1000 + 999;

/**
 * A Timestamp as PostgreSQL timestamptz text, rounded up to the microsecond PostgreSQL keeps (so
 * `created_at >= t` and `created_at < t` select exactly the rows the Timestamp does). Exact where a JS
 * Date is not: timestampDate rounds to the millisecond, and the last nanosecond of 9999 to year 10000.
 * Expects a time timestampViolations accepts.
 */
export function timestampToSql(time: Timestamp): string {
  let seconds = time.seconds;
  let micros = Math.ceil(time.nanos / 1000);
  if (micros === 1_000_000) {
    seconds += 1n;
    micros = 0;
  }
  const date = new Date(Number(seconds) * 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${String(date.getUTCFullYear()).padStart(4, "0")}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}` +
    `T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}` +
    `.${String(micros).padStart(6, "0")}Z`
  );
}
