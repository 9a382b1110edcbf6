import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { PromotionKind as PromotionKindMessage, type Promotion } from "../../../gen/orders/v1/promotion_pb.js";
import type { PromotionKind } from "../../domain/pricing/checkout.js";
import { currencyMinorUnits } from "../../money/currency.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { fractionDigits, isCanonicalAmount, parseAmount } from "../../money/money.js";

/**
 * A promotion as the service stores it, before it is written: what CreatePromotion reads of the request's
 * Promotion, or the stored promotion with UpdatePromotion's masked fields set. Empty strings and undefined
 * mean "none". promotionViolations checks it whole, so the rules that tie fields together (kind, value,
 * currency, items, times) hold after every change.
 */
export interface PromotionDraft {
  displayName: string;
  description: string;
  /** undefined: not given (REQUIRED). */
  kind: PromotionKind | undefined;
  /** Percent or amount as canonical decimal text; "" for none. */
  value: string;
  currency: string;
  skus: string[];
  productIds: string[];
  codes: string[];
  minimumSubtotal: string;
  startTime: Date | undefined;
  endTime: Date | undefined;
  usageLimit: number | undefined;
  perCustomerLimit: number | undefined;
  active: boolean;
}

/** The Promotion fields UpdatePromotion may set, by proto name as they appear in update_mask. */
export const UPDATABLE_PATHS = [
  "display_name",
  "description",
  "kind",
  "value",
  "currency",
  "skus",
  "product_ids",
  "codes",
  "minimum_subtotal",
  "start_time",
  "end_time",
  "usage_limit",
  "per_customer_limit",
  "active",
] as const;
export type UpdatablePath = (typeof UPDATABLE_PATHS)[number];

const PERCENTAGE_KINDS: ReadonlySet<PromotionKind> = new Set(["ORDER_PERCENTAGE", "ITEM_PERCENTAGE"]);
const FIXED_KINDS: ReadonlySet<PromotionKind> = new Set(["ORDER_FIXED_AMOUNT", "ITEM_FIXED_AMOUNT"]);
const ITEM_KINDS: ReadonlySet<PromotionKind> = new Set(["ITEM_PERCENTAGE", "ITEM_FIXED_AMOUNT"]);

export function isPercentageKind(kind: PromotionKind): boolean {
  return PERCENTAGE_KINDS.has(kind);
}

/** The pricing engine's kind for the contract's (the same names without the PROMOTION_KIND_ prefix). */
export function kindOf(kind: PromotionKindMessage): PromotionKind | undefined {
  switch (kind) {
    case PromotionKindMessage.ORDER_PERCENTAGE:
      return "ORDER_PERCENTAGE";
    case PromotionKindMessage.ORDER_FIXED_AMOUNT:
      return "ORDER_FIXED_AMOUNT";
    case PromotionKindMessage.ITEM_PERCENTAGE:
      return "ITEM_PERCENTAGE";
    case PromotionKindMessage.ITEM_FIXED_AMOUNT:
      return "ITEM_FIXED_AMOUNT";
    case PromotionKindMessage.FREE_SHIPPING:
      return "FREE_SHIPPING";
    default:
      return undefined;
  }
}

/** The contract's kind for the engine's. */
export function kindToMessage(kind: PromotionKind): PromotionKindMessage {
  return PromotionKindMessage[kind];
}

/** What CreatePromotion reads of the request's promotion (active unless it says otherwise). */
export function draftOf(promotion: Promotion): PromotionDraft {
  return {
    displayName: promotion.displayName,
    description: promotion.description,
    kind: kindOf(promotion.kind),
    value: promotion.value,
    currency: promotion.currency,
    skus: [...promotion.skus],
    productIds: [...promotion.productIds],
    codes: [...promotion.codes],
    minimumSubtotal: promotion.minimumSubtotal,
    startTime: dateOf(promotion.startTime),
    endTime: dateOf(promotion.endTime),
    usageLimit: promotion.usageLimit,
    perCustomerLimit: promotion.perCustomerLimit,
    active: promotion.active ?? true,
  };
}

/**
 * The promotion after UpdatePromotion sets the fields `paths` name from `changes` (AIP-134: a field named
 * but left empty is cleared, an optional one absent too; `active` named but absent is false).
 */
export function updatedDraft(
  current: PromotionDraft,
  changes: Promotion,
  paths: readonly UpdatablePath[],
): PromotionDraft {
  const given = draftOf(changes);
  const draft = { ...current };
  for (const path of paths) {
    const key = DRAFT_KEYS[path];
    Object.assign(draft, { [key]: path === "active" ? (changes.active ?? false) : given[key] });
  }
  return draft;
}

const DRAFT_KEYS: Record<UpdatablePath, keyof PromotionDraft> = {
  display_name: "displayName",
  description: "description",
  kind: "kind",
  value: "value",
  currency: "currency",
  skus: "skus",
  product_ids: "productIds",
  codes: "codes",
  minimum_subtotal: "minimumSubtotal",
  start_time: "startTime",
  end_time: "endTime",
  usage_limit: "usageLimit",
  per_customer_limit: "perCustomerLimit",
  active: "active",
};

/**
 * Every rule of a promotion the contract's field rules cannot say, at `${field}.<name>`: a display name,
 * a kind and codes (REQUIRED); a value fitting the kind (REQUIRED, PERCENT_OUT_OF_RANGE,
 * AMOUNT_NOT_POSITIVE, NOT_ALLOWED for free shipping); a currency for the fixed kinds (REQUIRED) that is
 * an ISO 4217 currency (UNKNOWN_CURRENCY) whose minor units the amounts keep (TOO_MANY_FRACTION_DIGITS);
 * SKUs or product ids for the item kinds only (ITEMS_REQUIRED, NOT_ALLOWED); end after start
 * (END_BEFORE_START). Codes given twice are not a field violation but PROMOTION_CODE_TAKEN (codes.ts).
 */
export function promotionViolations(draft: PromotionDraft, field = "promotion"): FieldViolation[] {
  const at = (name: string) => `${field}.${name}`;
  const violations: FieldViolation[] = [];
  if (draft.displayName === "") violations.push(fieldViolation(at("display_name"), "REQUIRED", "is required"));
  if (draft.kind === undefined) {
    violations.push(fieldViolation(at("kind"), "REQUIRED", "is required: what the promotion takes off"));
  }
  const minorUnits = draft.currency === "" ? undefined : currencyMinorUnits(draft.currency);
  if (draft.currency !== "" && minorUnits === undefined) {
    violations.push(
      fieldViolation(at("currency"), "UNKNOWN_CURRENCY", `"${draft.currency}" is not an ISO 4217 currency code`),
    );
  }
  if (draft.kind !== undefined) violations.push(...kindViolations(draft, draft.kind, minorUnits, at));
  violations.push(...amountViolations(at("minimum_subtotal"), draft.minimumSubtotal, draft.currency, minorUnits));
  if (draft.codes.length === 0) {
    violations.push(fieldViolation(at("codes"), "REQUIRED", "a promotion needs at least one code"));
  }
  if (draft.startTime && draft.endTime && draft.endTime.getTime() <= draft.startTime.getTime()) {
    violations.push(fieldViolation(at("end_time"), "END_BEFORE_START", "must be after start_time"));
  }
  return violations;
}

/** The rules of value, currency and items that depend on the kind. */
function kindViolations(
  draft: PromotionDraft,
  kind: PromotionKind,
  minorUnits: number | undefined,
  at: (name: string) => string,
): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (kind === "FREE_SHIPPING" && draft.value !== "") {
    violations.push(fieldViolation(at("value"), "NOT_ALLOWED", "free shipping takes no value; leave it empty"));
  } else if (kind !== "FREE_SHIPPING" && draft.value === "") {
    const what = PERCENTAGE_KINDS.has(kind) ? "the percent to take off" : "the amount to take off";
    violations.push(fieldViolation(at("value"), "REQUIRED", `is required: ${what}`));
  } else if (PERCENTAGE_KINDS.has(kind)) {
    violations.push(...percentViolations(at("value"), draft.value));
  } else if (FIXED_KINDS.has(kind)) {
    const amount = amountViolations(at("value"), draft.value, draft.currency, minorUnits);
    if (amount.length === 0 && parseAmount(draft.value).isZero()) {
      amount.push(fieldViolation(at("value"), "AMOUNT_NOT_POSITIVE", "must be more than 0"));
    }
    violations.push(...amount);
  }
  if (FIXED_KINDS.has(kind) && draft.currency === "") {
    violations.push(
      fieldViolation(at("currency"), "REQUIRED", "is required for a fixed amount: the currency of value"),
    );
  }
  if (ITEM_KINDS.has(kind) && draft.skus.length === 0 && draft.productIds.length === 0) {
    violations.push(
      fieldViolation(at("skus"), "ITEMS_REQUIRED", "name the SKUs or product ids (product_ids) the discount is for"),
    );
  }
  if (!ITEM_KINDS.has(kind)) {
    for (const [name, list] of [
      ["skus", draft.skus],
      ["product_ids", draft.productIds],
    ] as const) {
      if (list.length > 0) {
        violations.push(fieldViolation(at(name), "NOT_ALLOWED", "only item promotions (ITEM_...) name items"));
      }
    }
  }
  return violations;
}

/** A percent: more than 0 and at most 100. */
function percentViolations(field: string, value: string): FieldViolation[] {
  if (!isCanonicalAmount(value)) return [invalidDecimal(field)];
  const percent = parseAmount(value);
  return percent.isZero() || percent.greaterThan(100)
    ? [fieldViolation(field, "PERCENT_OUT_OF_RANGE", "must be a percent more than 0 and at most 100, like 15 or 12.5")]
    : [];
}

/** An amount in `currency` (its minor units, when the currency is known); "" is none. */
function amountViolations(
  field: string,
  amount: string,
  currency: string,
  minorUnits: number | undefined,
): FieldViolation[] {
  if (amount === "") return [];
  if (!isCanonicalAmount(amount)) return [invalidDecimal(field)];
  if (minorUnits !== undefined && fractionDigits(amount) > minorUnits) {
    return [
      fieldViolation(
        field,
        "TOO_MANY_FRACTION_DIGITS",
        `has ${fractionDigits(amount)} decimals; at most ${minorUnits} in ${currency}`,
      ),
    ];
  }
  return [];
}

function invalidDecimal(field: string): FieldViolation {
  return fieldViolation(
    field,
    "INVALID_DECIMAL",
    "must be a number written like 15 or 12.50: not negative, at most 4 decimals, no spaces or thousands separators",
  );
}

/**
 * Times of a request's promotion whose nanos are outside 0..999,999,999 (INVALID_TIMESTAMP): no protovalidate
 * rule sees them, and no encoding can carry them, so the request could not even be fingerprinted for its
 * request_id. Checked before anything else, in the fields a method ignores too.
 */
export function timestampNanosViolations(promotion: Promotion, field = "promotion"): FieldViolation[] {
  const times: [string, Timestamp | undefined][] = [
    ["start_time", promotion.startTime],
    ["end_time", promotion.endTime],
    ["create_time", promotion.createTime],
    ["update_time", promotion.updateTime],
  ];
  return times.flatMap(([name, time]) =>
    time && (!Number.isInteger(time.nanos) || time.nanos < 0 || time.nanos > 999_999_999)
      ? [fieldViolation(`${field}.${name}`, "INVALID_TIMESTAMP", "nanos must be from 0 to 999999999")]
      : [],
  );
}

function dateOf(time: Timestamp | undefined): Date | undefined {
  return time ? timestampDate(time) : undefined;
}
