import { create } from "@bufbuild/protobuf";
import {
  AdjustmentKind,
  OrderAdjustmentSchema,
  OrderPaymentSchema,
  PaymentState,
  ShippingLineSchema,
  TaxLineSchema,
  TaxSource,
  type OrderAdjustment,
  type OrderPayment,
  type ShippingLine,
  type TaxLine,
} from "../../gen/orders/v1/order_pb.js";
import {
  MoneyDecimal,
  ZERO,
  formatAmount,
  formatAmountText,
  isZeroAmountText,
  parseAmount,
  type Decimal,
} from "../money/money.js";
import type { AdjustmentRecord, PaymentRecord, ShippingLineRecord, TaxLineRecord } from "./entities/json-types.js";
import { columnToEnum } from "./enum-columns.js";
import { wireTimestamp } from "./timestamps.js";

/**
 * The checkout parts of an order (issue 12) as the contract shows them: tax lines, the shipping line, adjustments
 * and payments, stored as jsonb snapshots in the contract's JSON form (entities/json-types.ts), and the figures
 * derived from payments (amount_due, authorized_total). `amount` re-formats a stored amount to the currency.
 */
type Format = (value: string) => string;

export function taxLinesToMessage(records: readonly TaxLineRecord[], amount: Format): TaxLine[] {
  return records.map((record) =>
    create(TaxLineSchema, {
      displayName: record.displayName,
      rate: record.rate,
      amount: amount(record.amount),
      included: record.included,
    }),
  );
}

export function shippingLineToMessage(
  record: ShippingLineRecord | null | undefined,
  amount: Format,
): ShippingLine | undefined {
  if (record == null) return undefined;
  return create(ShippingLineSchema, {
    shippingMethodId: record.shippingMethodId,
    displayName: record.displayName,
    carrier: record.carrier,
    service: record.service,
    amount: amount(record.amount),
    discountTotal: amount(record.discountTotal),
    taxLines: taxLinesToMessage(record.taxLines, amount),
  });
}

export function adjustmentsToMessage(records: readonly AdjustmentRecord[], amount: Format): OrderAdjustment[] {
  return records.map((record) =>
    create(OrderAdjustmentSchema, {
      promotionId: record.promotionId,
      code: record.code,
      displayName: record.displayName,
      kind: enumFromJsonName(AdjustmentKind, "ADJUSTMENT_KIND_", record.kind),
      amount: amount(record.amount),
      allocations: record.allocations.map((allocation) => ({
        lineIndex: allocation.lineIndex,
        amount: amount(allocation.amount),
      })),
      shippingAmount: amount(record.shippingAmount),
      orderAmount: amount(record.orderAmount),
    }),
  );
}

export function paymentsToMessage(records: readonly PaymentRecord[], amount: Format): OrderPayment[] {
  return records.map((record) =>
    create(OrderPaymentSchema, {
      id: record.id,
      method: record.method,
      gatewayReference: record.gatewayReference,
      amount: amount(record.amount),
      capturedAmount: amount(record.capturedAmount),
      state: paymentState(record.state),
      giftCardId: record.giftCardId,
      giftCardLastCharacters: record.giftCardLastCharacters,
      createTime: wireTimestamp(new Date(record.createTime)),
      refundedAmount: amount(record.refundedAmount ?? "0"),
    }),
  );
}

/** PaymentState from its stored enum name ("PAYMENT_STATE_AUTHORIZED"). */
export function paymentState(name: string): PaymentState {
  return enumFromJsonName(PaymentState, "PAYMENT_STATE_", name);
}

/** An enum value from its protobuf JSON name ("PAYMENT_STATE_CAPTURED"); 0 (UNSPECIFIED) for a name it lacks. */
function enumFromJsonName<V extends number>(
  enumObject: Readonly<Record<string, string | V>>,
  prefix: string,
  name: string,
): V {
  const value = enumObject[name.startsWith(prefix) ? name.slice(prefix.length) : name];
  return (typeof value === "number" ? value : 0) as V;
}

/** The sum of the authorized, not yet captured payments (the rule lives with the other payment rules). */
export { authorizedTotalOf as authorizedTotal } from "./rules/payments.js";

/** What the buyer still owes: total - paid_total, never below zero. */
export function amountDue(total: string, paidTotal: string): Decimal {
  return MoneyDecimal.max(ZERO, parseAmount(total).minus(parseAmount(paidTotal)));
}

/**
 * formatAmount(amountDue(total, paidTotal), minorUnits), without decimal.js for the orders most reads show: nothing
 * paid yet (the total is due), or paid in full (the columns' texts are then equal, both numeric(19,4)).
 */
export function amountDueText(total: string, paidTotal: string, minorUnits: number): string {
  if (isZeroAmountText(paidTotal)) return formatAmountText(total, minorUnits);
  if (total === paidTotal) return formatAmountText("0", minorUnits);
  return formatAmount(amountDue(total, paidTotal), minorUnits);
}

/** Order.tax_source from its column ("client" or "server"). */
export function taxSource(column: string): TaxSource {
  return columnToEnum(TaxSource, column);
}
