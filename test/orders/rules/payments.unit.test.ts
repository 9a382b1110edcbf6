import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAmount, parseAmount, ZERO } from "../../../src/money/money.js";
import {
  paymentStatusFromTotals,
  recordPayment,
  refund,
  type LifecycleResult,
  type LifecycleState,
  type PaymentChange,
} from "../../../src/orders/rules/order-lifecycle.js";
import {
  PAYMENT_STATE,
  authorizedTotalOf,
  capturePayment,
  stateAfter,
  voidAuthorizations,
  voidPayment,
  type PaymentUpdate,
  type PaymentView,
} from "../../../src/orders/rules/payments.js";

interface Payment extends PaymentView {
  method: string;
}

const AUTH_ID = "11111111-1111-4111-8111-111111111111";
const CARD_ID = "22222222-2222-4222-8222-222222222222";

function authorized(id: string, amount: string): Payment {
  return { id, method: "card", state: PAYMENT_STATE.authorized, amount, capturedAmount: "0.00" };
}

function state(overrides: Partial<LifecycleState> = {}): LifecycleState {
  return {
    status: "placed",
    paymentStatus: "authorized",
    total: "10.00",
    paidTotal: "0.00",
    refundedTotal: "0.00",
    authorizedTotal: "10.00",
    minorUnits: 2,
    ...overrides,
  };
}

function updated<T>(result: LifecycleResult<T>): T {
  if (!result.ok) throw new Error(`expected a change, got ${JSON.stringify(result.failure)}`);
  return result.change;
}

describe("paymentStatusFromTotals", () => {
  const status = (total: string, paidTotal: string, authorizedTotal = "0", refundedTotal = "0") =>
    paymentStatusFromTotals({ total, paidTotal, authorizedTotal, refundedTotal });

  it.each([
    ["10.00", "0", "0", "0", "unpaid"],
    ["10.00", "3.00", "0", "0", "partially_paid"],
    ["10.00", "10.00", "0", "0", "paid"],
    ["10.00", "0", "10.00", "0", "authorized"],
    ["10.00", "4.00", "6.00", "0", "authorized"],
    ["10.00", "4.00", "5.99", "0", "partially_paid"],
    ["10.00", "0", "9.99", "0", "unpaid"],
    ["0.00", "0", "0", "0", "paid"],
    ["10.00", "10.00", "0", "2.00", "partially_refunded"],
    ["10.00", "4.00", "6.00", "4.00", "refunded"],
    ["10.00", "10.0000", "0", "10.00", "refunded"],
  ] as const)("total %s, paid %s, authorized %s, refunded %s is %s", (total, paid, auth, refunded, expected) => {
    expect(status(total, paid, auth, refunded)).toBe(expected);
  });

  it("is PAID exactly when nothing is refunded and paid_total reaches the total, in every currency", () => {
    fc.assert(
      fc.property(cents(), cents(), cents(), fc.constantFrom(0, 2, 3), (total, paid, auth, minorUnits) => {
        const text = (value: bigint) => formatAmount(parseAmount(String(value)).div(10 ** minorUnits), minorUnits);
        const result = status(text(total), text(paid), text(auth));
        expect(result === "paid").toBe(paid >= total);
        expect(result === "authorized").toBe(paid < total && paid + auth >= total);
        expect(result === "unpaid").toBe(paid === 0n && auth < total);
      }),
    );
  });
});

describe("capturePayment", () => {
  const payments = [authorized(AUTH_ID, "10.00")];

  it("captures the whole authorization by default: CAPTURED, paid_total gains it, PAID", () => {
    const { payments: next, payment, change } = updated(capturePayment(state(), payments, AUTH_ID, undefined));
    expect(payment).toEqual({ ...payments[0], state: PAYMENT_STATE.captured, capturedAmount: "10.00" });
    expect(next).toEqual([payment]);
    expect(change).toEqual({
      from: "authorized",
      to: "paid",
      amount: "10.00",
      paidTotal: "10.00",
      refundedTotal: "0.00",
    });
  });

  it("captures a part and releases the rest: PARTIALLY_PAID, nothing authorized any more", () => {
    const update = updated(capturePayment(state(), payments, AUTH_ID, "6.5"));
    expect(update.payment).toMatchObject({ state: PAYMENT_STATE.captured, amount: "10.00", capturedAmount: "6.50" });
    expect(update.change).toMatchObject({ to: "partially_paid", amount: "6.50", paidTotal: "6.50" });
    expect(authorizedTotalOf(update.payments).isZero()).toBe(true);
  });

  it("leaves other payments as they are and counts their authorization", () => {
    const two = [authorized(AUTH_ID, "4.00"), authorized(CARD_ID, "6.00")];
    const update = updated(capturePayment(state(), two, AUTH_ID, undefined));
    expect(update.payments[1]).toBe(two[1]);
    expect(update.change).toMatchObject({ to: "authorized", paidTotal: "4.00" });
  });

  it("refuses more than was authorized, at the amount field", () => {
    expect(capturePayment(state(), payments, AUTH_ID, "10.01")).toEqual({
      ok: false,
      failure: {
        kind: "invalid_amount",
        violations: [
          {
            field: "amount",
            reason: "CAPTURE_EXCEEDS_AUTHORIZED",
            description: "must be at most the 10.00 authorized",
          },
        ],
      },
    });
  });

  it.each([
    ["0", "AMOUNT_NOT_POSITIVE"],
    ["0.001", "TOO_MANY_FRACTION_DIGITS"],
    ["1,00", "INVALID_DECIMAL"],
  ])("refuses the amount %s (%s)", (amount, reason) => {
    expect(capturePayment(state(), payments, AUTH_ID, amount)).toMatchObject({
      ok: false,
      failure: { kind: "invalid_amount", violations: [{ field: "amount", reason }] },
    });
  });

  it("refuses an unknown payment id", () => {
    expect(capturePayment(state(), payments, CARD_ID, undefined)).toEqual({
      ok: false,
      failure: { kind: "payment_not_found", paymentId: CARD_ID },
    });
  });

  it.each([
    [PAYMENT_STATE.captured, PAYMENT_STATE.captured],
    [PAYMENT_STATE.voided, PAYMENT_STATE.voided],
    ["CAPTURED", PAYMENT_STATE.captured],
  ])("refuses a payment in state %s, naming the state %s", (stored, paymentState) => {
    const done = [{ ...authorized(AUTH_ID, "10.00"), state: stored }];
    expect(capturePayment(state(), done, AUTH_ID, undefined)).toEqual({
      ok: false,
      failure: { kind: "payment_not_authorized", paymentId: AUTH_ID, paymentState },
    });
  });

  it("refuses a canceled order's payment as an invalid transition, whatever its state", () => {
    const voided = [{ ...authorized(AUTH_ID, "10.00"), state: PAYMENT_STATE.voided }];
    expect(capturePayment(state({ status: "canceled" }), voided, AUTH_ID, undefined)).toEqual({
      ok: false,
      failure: { kind: "invalid_transition" },
    });
  });

  it("reads the short state name too (AUTHORIZED)", () => {
    const short = [{ ...authorized(AUTH_ID, "10.00"), state: "AUTHORIZED" }];
    expect(updated(capturePayment(state(), short, AUTH_ID, undefined)).change.to).toBe("paid");
  });

  it("keeps the currency's precision (JPY)", () => {
    const yen = state({ total: "1200", authorizedTotal: "1200", minorUnits: 0 });
    const update = updated(capturePayment(yen, [authorized(AUTH_ID, "1200")], AUTH_ID, "1000"));
    expect(update.change).toMatchObject({ amount: "1000", paidTotal: "1000", to: "partially_paid" });
    expect(capturePayment(yen, [authorized(AUTH_ID, "1200")], AUTH_ID, "0.5")).toMatchObject({
      ok: false,
      failure: { kind: "invalid_amount" },
    });
  });
});

describe("voidPayment", () => {
  it("voids an authorization: VOIDED, nothing captured, back to UNPAID, the amount released recorded", () => {
    const update = updated(voidPayment(state(), [authorized(AUTH_ID, "10.00")], AUTH_ID));
    expect(update.payment).toMatchObject({ state: PAYMENT_STATE.voided, capturedAmount: "0.00" });
    expect(update.change).toEqual({
      from: "authorized",
      to: "unpaid",
      amount: "10.00",
      paidTotal: "0.00",
      refundedTotal: "0.00",
    });
  });

  it("goes back to PARTIALLY_PAID when a gift card paid part", () => {
    const card = {
      id: CARD_ID,
      method: "GIFT_CARD",
      state: PAYMENT_STATE.captured,
      amount: "4.00",
      capturedAmount: "4.00",
    };
    const s = state({ paidTotal: "4.00", authorizedTotal: "6.00" });
    expect(updated(voidPayment(s, [card, authorized(AUTH_ID, "6.00")], AUTH_ID)).change.to).toBe("partially_paid");
    expect(voidPayment(s, [card], CARD_ID)).toEqual({
      ok: false,
      failure: { kind: "payment_not_authorized", paymentId: CARD_ID, paymentState: PAYMENT_STATE.captured },
    });
  });

  it("refuses an unknown payment id", () => {
    expect(voidPayment(state(), [], AUTH_ID)).toEqual({
      ok: false,
      failure: { kind: "payment_not_found", paymentId: AUTH_ID },
    });
  });
});

describe("voidAuthorizations", () => {
  it("voids each authorization in turn, each change starting where the previous ended", () => {
    const card = {
      id: CARD_ID,
      method: "GIFT_CARD",
      state: PAYMENT_STATE.captured,
      amount: "2.00",
      capturedAmount: "2.00",
    };
    const a = authorized(AUTH_ID, "5.00");
    const b = authorized("33333333-3333-4333-8333-333333333333", "3.00");
    const updates = voidAuthorizations(state({ paidTotal: "2.00", authorizedTotal: "8.00" }), [card, a, b]);
    expect(updates.map((u) => [u.change.from, u.change.to, u.change.amount])).toEqual([
      ["authorized", "partially_paid", "5.00"],
      ["partially_paid", "partially_paid", "3.00"],
    ]);
    expect(updates.at(-1)?.payments.map((p) => p.state)).toEqual([
      PAYMENT_STATE.captured,
      PAYMENT_STATE.voided,
      PAYMENT_STATE.voided,
    ]);
  });

  it("changes nothing when nothing is authorized", () => {
    expect(voidAuthorizations(state({ authorizedTotal: "0.00", paymentStatus: "unpaid" }), [])).toEqual([]);
  });
});

describe("record and refund with authorizations", () => {
  it("an authorization holds its part of the balance: RecordPayment may pay only the rest", () => {
    const s = state({ paymentStatus: "unpaid", authorizedTotal: "4.00" });
    expect(recordPayment(s, "6.01")).toEqual({
      ok: false,
      failure: { kind: "payment_exceeds_balance", balance: "6.00" },
    });
    expect(updated(recordPayment(s, "6.00")).to).toBe("authorized");
  });

  it("an AUTHORIZED order takes no payment", () => {
    expect(recordPayment(state(), "0.01")).toEqual({ ok: false, failure: { kind: "invalid_transition" } });
  });

  it("an AUTHORIZED order refunds what was captured, and refuses when nothing was", () => {
    expect(updated(refund(state({ paidTotal: "4.00", authorizedTotal: "6.00" }), undefined))).toMatchObject({
      from: "authorized",
      to: "refunded",
      amount: "4.00",
    });
    expect(refund(state(), undefined)).toEqual({ ok: false, failure: { kind: "invalid_transition" } });
  });
});

describe("invariants over random sequences of payments, captures, voids and refunds", () => {
  type Step =
    | { kind: "record"; cents: bigint }
    | { kind: "capture"; index: number; cents: bigint | undefined }
    | { kind: "void"; index: number }
    | { kind: "refund"; cents: bigint | undefined }
    | { kind: "cancel" };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant("record" as const), cents: fc.bigInt(1n, 3000n) }),
    fc.record({
      kind: fc.constant("capture" as const),
      index: fc.nat(3),
      cents: fc.option(fc.bigInt(1n, 3000n), { nil: undefined }),
    }),
    fc.record({ kind: fc.constant("void" as const), index: fc.nat(3) }),
    fc.record({ kind: fc.constant("refund" as const), cents: fc.option(fc.bigInt(1n, 3000n), { nil: undefined }) }),
    fc.constant({ kind: "cancel" as const }),
  );

  it("keep 0 <= refunded <= paid <= total, paid + authorized <= total, the status from the totals, and paid = captured", () => {
    fc.assert(
      fc.property(
        fc.bigInt(0n, 5000n),
        fc.array(fc.bigInt(1n, 2000n), { maxLength: 3 }),
        fc.array(step, { maxLength: 25 }),
        (totalCents, authCents, steps) => {
          const text = (value: bigint) => formatAmount(parseAmount(String(value)).div(100), 2);
          // Authorizations as CreateOrder writes them: never more than the total between them.
          let room = totalCents;
          const payments: Payment[] = [];
          for (const [i, value] of authCents.entries()) {
            if (value > room) break;
            room -= value;
            payments.push(authorized(`00000000-0000-4000-8000-00000000000${i}`, text(value)));
          }
          let s = state({ total: text(totalCents), authorizedTotal: text(totalCents - room) });
          s = { ...s, paymentStatus: paymentStatusFromTotals(s) };
          let current = payments;
          const apply = (update: PaymentUpdate<Payment>) => {
            s = stateAfter(s, update);
            current = update.payments;
          };
          const applyChange = (change: PaymentChange) => {
            s = { ...s, paymentStatus: change.to, paidTotal: change.paidTotal, refundedTotal: change.refundedTotal };
          };
          for (const next of steps) {
            const id = current[next.kind === "capture" || next.kind === "void" ? next.index : 0]?.id ?? AUTH_ID;
            if (next.kind === "record") {
              const result = recordPayment(s, text(next.cents));
              if (result.ok) applyChange(result.change);
              if (result.ok)
                current = [
                  ...current,
                  {
                    ...authorized(`r${current.length}`, result.change.amount),
                    state: PAYMENT_STATE.captured,
                    capturedAmount: result.change.amount,
                  },
                ];
            } else if (next.kind === "capture") {
              const result = capturePayment(s, current, id, next.cents === undefined ? undefined : text(next.cents));
              if (result.ok) apply(result.change);
            } else if (next.kind === "void") {
              const result = voidPayment(s, current, id);
              if (result.ok) apply(result.change);
            } else if (next.kind === "refund") {
              const result = refund(s, next.cents === undefined ? undefined : text(next.cents));
              if (result.ok) applyChange(result.change);
            } else if (s.status === "placed") {
              for (const update of voidAuthorizations(s, current)) apply(update);
              s = { ...s, status: "canceled" };
            }
            const [total, paid, refunded] = [
              parseAmount(s.total),
              parseAmount(s.paidTotal),
              parseAmount(s.refundedTotal),
            ];
            const authorizedNow = authorizedTotalOf(current);
            expect(refunded.greaterThanOrEqualTo(ZERO) && refunded.lessThanOrEqualTo(paid)).toBe(true);
            expect(paid.plus(authorizedNow).lessThanOrEqualTo(total)).toBe(true);
            expect(paid.equals(current.reduce((sum, p) => sum.plus(parseAmount(p.capturedAmount)), ZERO))).toBe(true);
            expect(s.paymentStatus).toBe(
              paymentStatusFromTotals({ ...s, authorizedTotal: formatAmount(authorizedNow, 2) }),
            );
            if (s.status === "canceled") expect(authorizedNow.isZero()).toBe(true);
          }
        },
      ),
    );
  });
});

/** Non-negative amounts in minor units, small and large. */
function cents(): fc.Arbitrary<bigint> {
  return fc.oneof(fc.bigInt(0n, 10_000n), fc.bigInt(0n, 99_999_999_999_999n));
}
