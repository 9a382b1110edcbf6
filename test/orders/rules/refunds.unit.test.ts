import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAmount, parseAmount, ZERO, type Decimal } from "../../../src/money/money.js";
import { paymentStatusFromTotals, refund, type LifecycleState } from "../../../src/orders/rules/order-lifecycle.js";
import { PAYMENT_STATE, stateAfter } from "../../../src/orders/rules/payments.js";
import {
  giftCardCredits,
  giveBackGiftCards,
  refundableOf,
  shortCredits,
  splitRefund,
  type RefundablePayment,
} from "../../../src/orders/rules/refunds.js";

interface Payment extends RefundablePayment {
  gatewayReference: string;
}

const CARD_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const CARD_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";

function captured(id: string, amount: string, refundedAmount?: string): Payment {
  return {
    id,
    method: "card",
    gatewayReference: `pi_${id}`,
    state: PAYMENT_STATE.captured,
    amount,
    capturedAmount: amount,
    giftCardId: "",
    ...(refundedAmount === undefined ? {} : { refundedAmount }),
  };
}

function giftCard(id: string, giftCardId: string, amount: string, refundedAmount?: string): Payment {
  return { ...captured(id, amount, refundedAmount), method: "GIFT_CARD", gatewayReference: "", giftCardId };
}

function authorized(id: string, amount: string): Payment {
  return { ...captured(id, amount), state: PAYMENT_STATE.authorized, capturedAmount: "0.00" };
}

/** An order of 100.00 (unless told) with these totals; the status follows from them. */
function state(paidTotal: string, refundedTotal = "0.00", overrides: Partial<LifecycleState> = {}): LifecycleState {
  const base = {
    status: "placed" as const,
    total: "100.00",
    paidTotal,
    refundedTotal,
    authorizedTotal: "0.00",
    minorUnits: 2,
    ...overrides,
  };
  return { ...base, paymentStatus: paymentStatusFromTotals(base) };
}

const amount = (text: string) => parseAmount(text);
const refunded = (payments: readonly Payment[]) => payments.map((p) => p.refundedAmount ?? "-");

describe("refundableOf", () => {
  it("is captured_amount - refunded_amount, 0 for an authorized payment, and reads a missing refunded_amount as 0", () => {
    expect(refundableOf(captured("p", "70.00")).toFixed()).toBe("70");
    expect(refundableOf(captured("p", "70.00", "25.50")).toFixed()).toBe("44.5");
    expect(refundableOf(captured("p", "70.00", "70.00")).toFixed()).toBe("0");
    expect(refundableOf(authorized("p", "70.00")).toFixed()).toBe("0");
  });
});

describe("splitRefund", () => {
  const payments = [giftCard("g", CARD_A, "30.00"), captured("c", "70.00")];

  it("takes the other payments' money first: 50 of a card payment and gift card order goes to the card payment", () => {
    const split = splitRefund(state("100.00"), payments, amount("50.00"));
    expect(refunded(split.payments)).toEqual(["-", "50.00"]);
    expect(split.shares.map((s) => [s.payment.id, s.amount])).toEqual([["c", "50.00"]]);
    expect(split.sole?.id).toBe("c");
    expect(giftCardCredits(split.shares)).toEqual([]);
  });

  it("gives back to gift cards only what is beyond the others: 90 is 70 to the card payment, 20 to the gift card", () => {
    const split = splitRefund(state("100.00"), payments, amount("90"));
    expect(refunded(split.payments)).toEqual(["20.00", "70.00"]);
    expect(split.shares.map((s) => [s.payment.id, s.amount])).toEqual([
      ["c", "70.00"],
      ["g", "20.00"],
    ]);
    expect(split.sole).toBeUndefined();
    expect(giftCardCredits(split.shares)).toEqual([{ giftCardId: CARD_A, amount: "20.00" }]);
  });

  it("continues where earlier refunds stopped", () => {
    const before = [giftCard("g", CARD_A, "30.00", "5.00"), captured("c", "70.00", "70.00")];
    const split = splitRefund(state("100.00", "75.00"), before, amount("25.00"));
    expect(refunded(split.payments)).toEqual(["30.00", "70.00"]);
    expect(split.sole?.id).toBe("g");
    expect(giftCardCredits(split.shares)).toEqual([{ giftCardId: CARD_A, amount: "25.00" }]);
  });

  it("goes oldest first within each kind, skips authorized and voided payments, and adds up to the refund", () => {
    const many = [
      giftCard("g1", CARD_A, "10.00"),
      authorized("a", "20.00"),
      captured("c1", "15.00"),
      giftCard("g2", CARD_B, "25.00"),
      { ...authorized("v", "5.00"), state: PAYMENT_STATE.voided },
      captured("c2", "30.00"),
    ];
    const split = splitRefund(state("80.00", "0.00", { authorizedTotal: "20.00" }), many, amount("60.00"));
    expect(split.shares.map((s) => [s.payment.id, s.amount])).toEqual([
      ["c1", "15.00"],
      ["c2", "30.00"],
      ["g1", "10.00"],
      ["g2", "5.00"],
    ]);
    expect(refunded(split.payments)).toEqual(["10.00", "-", "15.00", "5.00", "-", "30.00"]);
  });

  it("refunds money no payment lists (paid before payments were listed, imports) with the others, before gift cards", () => {
    const listed = [giftCard("g", CARD_A, "30.00")];
    const beforeGiftCard = splitRefund(state("100.00"), listed, amount("70.00"));
    expect(beforeGiftCard.shares).toEqual([]);
    expect(beforeGiftCard.sole).toBeUndefined();
    expect(beforeGiftCard.payments).toEqual(listed);
    const reaching = splitRefund(state("100.00"), listed, amount("80.00"));
    expect(reaching.shares.map((s) => [s.payment.id, s.amount])).toEqual([["g", "10.00"]]);
    // The gift card took a part only: the history entry names no payment.
    expect(reaching.sole).toBeUndefined();
  });

  it("formats in the currency's minor units (JPY)", () => {
    const yen = [giftCard("g", CARD_A, "300"), captured("c", "700")];
    const split = splitRefund(state("1000", "0", { total: "1000", minorUnits: 0 }), yen, amount("800"));
    expect(refunded(split.payments)).toEqual(["100", "700"]);
  });

  it("throws on more than the order can refund: refund() refuses that first (REFUND_EXCEEDS_PAID)", () => {
    expect(() => splitRefund(state("100.00", "90.00"), payments, amount("10.01"))).toThrow(RangeError);
  });
});

describe("giveBackGiftCards", () => {
  it("gives every gift card all it holds, one refund each from the state the previous left", () => {
    const payments = [
      giftCard("g1", CARD_A, "20.00"),
      captured("c", "50.00"),
      giftCard("g2", CARD_B, "30.00", "10.00"),
    ];
    const start = state("100.00", "10.00");
    const updates = giveBackGiftCards(start, payments);
    expect(
      updates.map((u) => [u.payment.id, u.payment.refundedAmount, u.change.amount, u.change.from, u.change.to]),
    ).toEqual([
      ["g1", "20.00", "20.00", "partially_refunded", "partially_refunded"],
      ["g2", "30.00", "20.00", "partially_refunded", "partially_refunded"],
    ]);
    expect(updates.at(-1)?.change.refundedTotal).toBe("50.00");
    // The card payment stays: refunding it is RefundOrder's.
    expect(refunded(updates.at(-1)?.payments ?? [])).toEqual(["20.00", "-", "30.00"]);
  });

  it("makes an order paid only by gift cards REFUNDED", () => {
    const updates = giveBackGiftCards(state("100.00"), [giftCard("g", CARD_A, "100.00")]);
    expect(updates.map((u) => [u.change.from, u.change.to, u.change.refundedTotal])).toEqual([
      ["paid", "refunded", "100.00"],
    ]);
  });

  it("gives nothing when no card holds anything, and never more than the order can still refund", () => {
    expect(giveBackGiftCards(state("70.00"), [captured("c", "70.00")])).toEqual([]);
    expect(giveBackGiftCards(state("30.00", "30.00"), [giftCard("g", CARD_A, "30.00", "30.00")])).toEqual([]);
    // refunded_total already counts the money (an order refunded before payments kept refunded amounts).
    expect(giveBackGiftCards(state("30.00", "30.00"), [giftCard("g", CARD_A, "30.00")])).toEqual([]);
    const capped = giveBackGiftCards(state("30.00", "20.00"), [giftCard("g", CARD_A, "30.00")]);
    expect(capped.map((u) => u.change.amount)).toEqual(["10.00"]);
  });
});

describe("shortCredits", () => {
  it("names the cards that got back less than asked, amounts of one card added up", () => {
    const wanted = [
      { giftCardId: CARD_A, amount: "10.00" },
      { giftCardId: CARD_B, amount: "5.00" },
      { giftCardId: CARD_B, amount: "5" },
    ];
    expect(
      shortCredits(wanted, [
        { giftCardId: CARD_B, amount: "10.00" },
        { giftCardId: CARD_A, amount: "10" },
      ]),
    ).toEqual([]);
    expect(shortCredits(wanted, [{ giftCardId: CARD_B, amount: "9.99" }])).toEqual([CARD_A, CARD_B]);
    expect(shortCredits([], [])).toEqual([]);
  });
});

describe("refunds and cancellations over random orders", () => {
  type Step = { kind: "refund"; cents: bigint | undefined } | { kind: "cancel" };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant("refund" as const), cents: fc.option(fc.bigInt(1n, 6000n), { nil: undefined }) }),
    fc.constant({ kind: "cancel" as const }),
  );

  it("give back each payment at most what it captured, the others before gift cards, and add up to refunded_total", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ giftCard: fc.boolean(), cents: fc.bigInt(1n, 3000n) }), { minLength: 1, maxLength: 5 }),
        fc.bigInt(0n, 2000n),
        fc.array(step, { maxLength: 12 }),
        (paid, unlistedCents, steps) => {
          const text = (value: bigint) => formatAmount(parseAmount(String(value)).div(100), 2);
          let payments: Payment[] = paid.map(({ giftCard: isCard, cents }, i) =>
            isCard ? giftCard(`g${i}`, `card-${i}`, text(cents)) : captured(`c${i}`, text(cents)),
          );
          const paidCents = paid.reduce((sum, p) => sum + p.cents, 0n) + unlistedCents;
          let s = state(text(paidCents), "0.00", { total: text(paidCents) });
          const credited = new Map<string, Decimal>();
          const credit = (credits: { giftCardId: string; amount: string }[]) => {
            for (const c of credits) credited.set(c.giftCardId, (credited.get(c.giftCardId) ?? ZERO).plus(c.amount));
          };
          for (const next of steps) {
            if (next.kind === "refund") {
              const result = refund(s, next.cents === undefined ? undefined : text(next.cents));
              if (!result.ok) continue;
              const split = splitRefund(s, payments, parseAmount(result.change.amount));
              const shared = split.shares.reduce((sum, share) => sum.plus(share.amount), ZERO);
              expect(shared.lessThanOrEqualTo(result.change.amount)).toBe(true);
              // A gift card gets money only once the other payments hold none.
              if (giftCardCredits(split.shares).length > 0) {
                const others = split.payments.filter((p) => p.method !== "GIFT_CARD");
                expect(others.every((p) => refundableOf(p).isZero())).toBe(true);
              }
              credit(giftCardCredits(split.shares));
              payments = split.payments;
              s = { ...s, paymentStatus: result.change.to, refundedTotal: result.change.refundedTotal };
            } else {
              const updates = giveBackGiftCards(s, payments);
              for (const update of updates) {
                credit([{ giftCardId: update.payment.giftCardId, amount: update.change.amount }]);
                s = stateAfter(s, update);
                payments = update.payments;
              }
              expect(payments.filter((p) => p.method === "GIFT_CARD").every((p) => refundableOf(p).isZero())).toBe(
                true,
              );
            }
            const refundedSum = payments.reduce((sum, p) => sum.plus(p.refundedAmount ?? "0"), ZERO);
            expect(refundedSum.lessThanOrEqualTo(s.refundedTotal)).toBe(true);
            expect(parseAmount(s.refundedTotal).lessThanOrEqualTo(s.paidTotal)).toBe(true);
            for (const p of payments) {
              expect(parseAmount(p.refundedAmount ?? "0").lessThanOrEqualTo(p.capturedAmount)).toBe(true);
              if (p.method === "GIFT_CARD") {
                expect((credited.get(p.giftCardId) ?? ZERO).equals(p.refundedAmount ?? "0")).toBe(true);
              }
            }
            // What no payment lists is refunded before any gift card: the listed refunds fall short by at most it.
            expect(parseAmount(s.refundedTotal).minus(refundedSum).lessThanOrEqualTo(text(unlistedCents))).toBe(true);
          }
        },
      ),
    );
  });
});
