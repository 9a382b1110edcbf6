import { describe, expect, it } from "vitest";
import type { GiftCardCandidate, GiftCardInput } from "../../../src/domain/pricing/checkout.js";
import { NOW, checkout, line, priced, violations } from "./support/checkout.js";

const card = (overrides: Partial<GiftCardCandidate> = {}): GiftCardCandidate => ({
  id: "gc-1",
  lastCharacters: "7Q2K",
  currency: "USD",
  balance: "25.00",
  disabled: false,
  ...overrides,
});
const given = (candidate?: GiftCardCandidate): GiftCardInput =>
  candidate === undefined ? { text: "WRONG-CODE" } : { text: "GIFT-CODE", card: candidate };

const lines = [line(1, "40.00")];

describe("gift cards pay what they can of the total", () => {
  it("pays min(balance, what is left) in the order given; amount_due is the rest", () => {
    const result = priced(
      checkout({
        lines,
        giftCards: [
          given(card({ id: "a", balance: "25.00" })),
          given(card({ id: "b", lastCharacters: "ZZZZ", balance: "100.00" })),
        ],
      }),
    );
    expect(result.giftCardPayments).toEqual([
      { giftCardId: "a", lastCharacters: "7Q2K", amount: "25.00", index: 0 },
      { giftCardId: "b", lastCharacters: "ZZZZ", amount: "15.00", index: 1 },
    ]);
    expect(result).toMatchObject({ total: "40.00", giftCardTotal: "40.00", amountDue: "0.00" });
  });

  it("leaves out a card that pays nothing (the total was already paid, or its balance is 0)", () => {
    const result = priced(
      checkout({
        lines,
        giftCards: [
          given(card({ id: "a", balance: "0" })),
          given(card({ id: "b", balance: "50" })),
          given(card({ id: "c" })),
        ],
      }),
    );
    expect(result.giftCardPayments.map((p) => [p.giftCardId, p.amount, p.index])).toEqual([["b", "40.00", 1]]);
  });

  it("never pays more than the balance: a balance finer than the currency is rounded down", () => {
    const result = priced(checkout({ lines, giftCards: [given(card({ balance: "10.0099" }))] }));
    expect(result).toMatchObject({ giftCardTotal: "10.00", amountDue: "30.00" });
  });

  it("pays a total of zero with nothing", () => {
    const result = priced(checkout({ lines, manualDiscount: "40", giftCards: [given(card())] }));
    expect(result).toMatchObject({ giftCardPayments: [], giftCardTotal: "0.00", amountDue: "0.00" });
  });
});

describe("a card that cannot pay is a violation at its field (the buyer meant to pay with it)", () => {
  it.each([
    ["GIFT_CARD_NOT_FOUND", undefined],
    ["GIFT_CARD_DISABLED", card({ disabled: true })],
    ["GIFT_CARD_EXPIRED", card({ expireTime: NOW })],
    ["GIFT_CARD_CURRENCY_MISMATCH", card({ currency: "EUR" })],
  ] as const)("%s", (reason, candidate) => {
    expect(violations(checkout({ lines, giftCards: [given(card({ id: "ok" })), given(candidate)] }))).toEqual([
      { field: "gift_card_codes[1]", reason },
    ]);
  });

  it("GIFT_CARD_DUPLICATE: the same card twice", () => {
    expect(violations(checkout({ lines, giftCards: [given(card()), given(card())] }))).toEqual([
      { field: "gift_card_codes[1]", reason: "GIFT_CARD_DUPLICATE" },
    ]);
  });

  it("accepts a card expiring after now", () => {
    const later = card({ expireTime: new Date(NOW.getTime() + 1) });
    expect(priced(checkout({ lines, giftCards: [given(later)] })).giftCardTotal).toBe("25.00");
  });

  it("reports every card's problem, after the other fields", () => {
    expect(
      violations(
        checkout({
          lines: [line(1, "1.00001")],
          giftCards: [given(), given(card({ disabled: true, currency: "EUR" }))],
        }),
      ),
    ).toEqual([
      { field: "items[0].unit_price", reason: "INVALID_DECIMAL" },
      { field: "gift_card_codes[0]", reason: "GIFT_CARD_NOT_FOUND" },
      { field: "gift_card_codes[1]", reason: "GIFT_CARD_DISABLED" },
    ]);
  });
});
