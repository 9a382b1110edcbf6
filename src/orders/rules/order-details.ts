import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { CreateOrderRequest } from "../../../gen/orders/v1/orders_service_pb.js";
import type { Date as CalendarDate } from "../../../gen/google/type/date_pb.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { canonicalLocale } from "../../money/locale.js";

/** Bounds of CreateOrderRequest.custom_fields, as the contract documents them. */
export const CUSTOM_FIELDS_LIMITS = { topLevelFields: 50, depth: 5, jsonBytes: 8 * 1024 } as const;

/**
 * What CreateOrder stores about the buyer and the seeds' order fields (PO number, dates, custom fields, locale...),
 * checked and normalised: the rules protovalidate cannot express. Dates are "YYYY-MM-DD" (a `date` column);
 * `locale` is the canonical BCP 47 tag.
 */
export interface OrderDetails {
  email: string | null;
  poNumber: string | null;
  customerReference: string | null;
  requestedShipDate: string | null;
  holdUntilDate: string | null;
  shipByDate: string | null;
  requestedShippingService: string | null;
  customFields: JsonObject | null;
  locale: string | null;
  privateMetadata: Record<string, string>;
}

/**
 * Pure: the request's details, or the violations that make them unusable. A cart's draft (`buyerRequired` false)
 * may have no buyer yet; an order needs one.
 */
export function orderDetails(
  request: CreateOrderRequest,
  options: { buyerRequired: boolean } = { buyerRequired: true },
): { ok: true; details: OrderDetails } | { ok: false; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  if (options.buyerRequired && !request.customerId && !request.email) {
    violations.push(
      fieldViolation("customer_id", "CUSTOMER_OR_EMAIL_REQUIRED", "give customer_id, or email for a guest order"),
    );
  }
  const requestedShipDate = calendarDay("requested_ship_date", request.requestedShipDate, violations);
  const holdUntilDate = calendarDay("hold_until_date", request.holdUntilDate, violations);
  const shipByDate = calendarDay("ship_by_date", request.shipByDate, violations);
  // "YYYY-MM-DD" strings compare as the days they name
  const earliest = [requestedShipDate, holdUntilDate].filter((day) => day !== null).sort();
  const latestStart = earliest[earliest.length - 1];
  if (shipByDate !== null && latestStart !== undefined && shipByDate < latestStart) {
    violations.push(
      fieldViolation(
        "ship_by_date",
        "SHIP_BY_TOO_EARLY",
        `must not be before requested_ship_date or hold_until_date (${latestStart})`,
      ),
    );
  }
  const customFields = request.customFields ?? null;
  if (customFields !== null) violations.push(...customFieldsViolations(customFields));
  const locale = orderLocale(request.locale, violations);
  if (violations.length > 0) return { ok: false, violations };
  return {
    ok: true,
    details: {
      email: request.email || null,
      poNumber: request.poNumber || null,
      customerReference: request.customerReference || null,
      requestedShipDate,
      holdUntilDate,
      shipByDate,
      requestedShippingService: request.requestedShippingService || null,
      customFields: customFields && Object.keys(customFields).length > 0 ? customFields : null,
      locale,
      privateMetadata: { ...request.privateMetadata },
    },
  };
}

/** A google.type.Date that names one whole calendar day (no year-only or month-only dates), as "YYYY-MM-DD". */
function calendarDay(field: string, date: CalendarDate | undefined, violations: FieldViolation[]): string | null {
  if (date === undefined) return null;
  const { year, month, day } = date;
  const valid = year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  if (!valid) {
    violations.push(
      fieldViolation(field, "INVALID_DATE", "must be a calendar day: year 1-9999, month 1-12, a day of that month"),
    );
    return null;
  }
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function daysInMonth(year: number, month: number): number {
  // Date.UTC's day 0 of the next month is the last day of this one; years 1-99 need setUTCFullYear
  const date = new Date(Date.UTC(2000, month, 0));
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

function customFieldsViolations(fields: JsonObject): FieldViolation[] {
  const { topLevelFields, depth, jsonBytes } = CUSTOM_FIELDS_LIMITS;
  const problems: string[] = [];
  if (Object.keys(fields).length > topLevelFields) problems.push(`at most ${topLevelFields} top-level fields`);
  if (depthOf(fields) > depth) problems.push(`nested at most ${depth} deep`);
  if (Buffer.byteLength(JSON.stringify(fields)) > jsonBytes) problems.push(`at most ${jsonBytes} bytes as JSON`);
  return problems.length === 0
    ? []
    : [fieldViolation("custom_fields", "CUSTOM_FIELDS_TOO_LARGE", `custom fields may have ${problems.join(", ")}`)];
}

/** 1 for an object of scalars, one more per level of objects or lists inside it. */
function depthOf(value: JsonValue): number {
  if (value === null || typeof value !== "object") return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  let deepest = 0;
  for (const child of children) deepest = Math.max(deepest, depthOf(child));
  return 1 + deepest;
}

/** The canonical form of a BCP 47 tag CLDR knows (money/locale.ts, as markets check theirs); null when none is given. */
function orderLocale(tag: string, violations: FieldViolation[]): string | null {
  if (tag === "") return null;
  const canonical = canonicalLocale(tag);
  if (canonical !== undefined) return canonical;
  violations.push(
    fieldViolation("locale", "INVALID_LOCALE", 'must be a BCP 47 language tag such as "en-US" or "de-DE"'),
  );
  return null;
}
