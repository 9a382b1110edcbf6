import { describe, expect, it } from "vitest";
import { PaymentState } from "../../../gen/orders/v1/order_pb.js";
import type { CheckoutPricing } from "../../../src/domain/pricing/checkout.js";
import { initialPayments } from "../../../src/orders/rules/checkout-payments.js";

const now = new Date("2026-12-01T10:00:00Z");
let ids = 0;
const newId = () => `id-${++ids}`;

function pricing(amountDue: string, giftCards: { giftCardId: string; amount: string }[] = []): CheckoutPricing {
  return {
    minorUnits: 2,
    amountDue,
    giftCardPayments: giftCards.map((card, index) => ({ ...card, lastCharacters: "WXYZ", index })),
  } as unknown as CheckoutPricing;
}

describe("initialPayments", () => {
  it("captures what gift cards paid and defaults the payment to what they left", () => {
    const result = initialPayments(
      pricing("60.00", [{ giftCardId: "g1", amount: "40.00" }]),
      { method: "card", gatewayReference: "pi_1", state: PaymentState.UNSPECIFIED } as never,
      now,
      newId,
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        paidTotal: "100.00",
        authorizedTotal: "0.00",
        payments: [
          {
            method: "GIFT_CARD",
            amount: "40.00",
            capturedAmount: "40.00",
            state: "PAYMENT_STATE_CAPTURED",
            giftCardId: "g1",
          },
          {
            method: "card",
            gatewayReference: "pi_1",
            amount: "60.00",
            capturedAmount: "60.00",
            state: "PAYMENT_STATE_CAPTURED",
          },
        ],
      },
    });
  });

  it("authorizes without capturing, and records a part payment", () => {
    const result = initialPayments(
      pricing("60.00"),
      { method: "card", gatewayReference: "pi_2", amount: "25.5", state: PaymentState.AUTHORIZED } as never,
      now,
      newId,
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        paidTotal: "0.00",
        authorizedTotal: "25.50",
        payments: [{ amount: "25.50", capturedAmount: "0.00", state: "PAYMENT_STATE_AUTHORIZED" }],
      },
    });
  });

  it("refuses a payment above the amount due, and records none when nothing is due", () => {
    expect(initialPayments(pricing("10.00"), { method: "card", amount: "10.01" } as never, now, newId)).toMatchObject({
      ok: false,
      violations: [{ field: "payment.amount", reason: "PAYMENT_EXCEEDS_AMOUNT_DUE" }],
    });
    expect(initialPayments(pricing("0.00"), { method: "card" } as never, now, newId)).toMatchObject({
      ok: true,
      value: { payments: [], paidTotal: "0.00" },
    });
  });
});
