import type { PaymentInput } from "../../../gen/orders/v1/orders_service_pb.js";
import { PaymentState } from "../../../gen/orders/v1/order_pb.js";
import type { CheckoutPricing } from "../../domain/pricing/checkout.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";
import { formatAmount, parseAmount, ZERO } from "../../money/money.js";
import type { PaymentRecord } from "../entities/json-types.js";
import { authorizedTotalOf } from "./payments.js";
import { GIFT_CARD_METHOD } from "./checkout-request.js";

/**
 * The payments a new order starts with (issue 12 §5, §6): what its gift cards paid (captured at once, in the order's
 * transaction) and the payment the request gives, authorized or captured, which defaults to what the gift cards left
 * to pay. Pure.
 */
export interface InitialPayments {
  payments: PaymentRecord[];
  /** Σ captured amounts: Order.paid_total. */
  paidTotal: string;
  /** Σ authorized, not yet captured amounts. */
  authorizedTotal: string;
}

export type InitialPaymentsResult = { ok: true; value: InitialPayments } | { ok: false; violations: FieldViolation[] };

export function initialPayments(
  pricing: CheckoutPricing,
  payment: PaymentInput | undefined,
  now: Date,
  newId: () => string,
): InitialPaymentsResult {
  const money = (value: Parameters<typeof formatAmount>[0]) => formatAmount(value, pricing.minorUnits);
  const createTime = now.toISOString();
  const payments: PaymentRecord[] = pricing.giftCardPayments.map((paid) => ({
    id: newId(),
    method: GIFT_CARD_METHOD,
    gatewayReference: "",
    amount: paid.amount,
    capturedAmount: paid.amount,
    state: "PAYMENT_STATE_CAPTURED",
    giftCardId: paid.giftCardId,
    giftCardLastCharacters: paid.lastCharacters,
    createTime,
  }));
  const due = parseAmount(pricing.amountDue);
  if (payment) {
    const amount = payment.amount === undefined ? due : parseAmount(payment.amount);
    if (amount.greaterThan(due)) {
      return {
        ok: false,
        violations: [
          fieldViolation(
            "payment.amount",
            "PAYMENT_EXCEEDS_AMOUNT_DUE",
            `payment.amount ${money(amount)} is more than the amount due after gift cards (${pricing.amountDue})`,
          ),
        ],
      };
    }
    // Nothing left to pay (gift cards or discounts covered the order): there is no payment to record.
    if (!amount.isZero()) {
      const authorized = payment.state === PaymentState.AUTHORIZED;
      payments.push({
        id: newId(),
        method: payment.method,
        gatewayReference: payment.gatewayReference,
        amount: money(amount),
        capturedAmount: money(authorized ? ZERO : amount),
        state: authorized ? "PAYMENT_STATE_AUTHORIZED" : "PAYMENT_STATE_CAPTURED",
        giftCardId: "",
        giftCardLastCharacters: "",
        createTime,
      });
    }
  }
  const sum = (records: readonly PaymentRecord[], pick: (record: PaymentRecord) => string) =>
    records.reduce((total, record) => total.plus(parseAmount(pick(record))), ZERO);
  return {
    ok: true,
    value: {
      payments,
      paidTotal: money(sum(payments, (record) => record.capturedAmount)),
      authorizedTotal: money(authorizedTotalOf(payments)),
    },
  };
}
