import { create, type MessageInitShape } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShippingRateKind, ShippingRateSchema } from "../../../gen/orders/v1/shipping_pb.js";
import { MoneyDecimal } from "../../../src/money/money.js";
import { checkRates, RATE_KINDS, rateKindMessage } from "../../../src/shipping/rules/shipping-rates.js";

const rate = (init: MessageInitShape<typeof ShippingRateSchema>) => create(ShippingRateSchema, init);
const reasons = (result: ReturnType<typeof checkRates>) =>
  result.ok ? [] : result.violations.map((v) => [v.field, v.reason]);

describe("checkRates", () => {
  it("gives the engine's rates with every amount in its currency's minor units, and grams as given", () => {
    expect(
      checkRates("rates", [
        rate({ currency: "USD", kind: ShippingRateKind.FLAT, amount: "5", freeAbove: "49.9" }),
        rate({
          currency: "KWD",
          kind: ShippingRateKind.SUBTOTAL_TIERS,
          tiers: [
            { from: "0", amount: "1.25" },
            { from: "10.5", amount: "0" },
          ],
        }),
        rate({ currency: "JPY", kind: ShippingRateKind.WEIGHT_TIERS, tiers: [{ from: "500", amount: "800" }] }),
      ]),
    ).toEqual({
      ok: true,
      rates: [
        { currency: "USD", kind: "FLAT", amount: "5.00", tiers: [], freeAbove: "49.90" },
        {
          currency: "KWD",
          kind: "SUBTOTAL_TIERS",
          amount: "",
          tiers: [
            { from: "0.000", amount: "1.250" },
            { from: "10.500", amount: "0.000" },
          ],
        },
        { currency: "JPY", kind: "WEIGHT_TIERS", amount: "", tiers: [{ from: "500", amount: "800" }] },
      ],
    });
  });

  it("needs a rate", () => {
    expect(reasons(checkRates("rates", []))).toEqual([["rates", "REQUIRED"]]);
  });

  it("refuses currencies that are not ones to price in, and a second rate of a currency", () => {
    const flat = (currency: string) => rate({ currency, kind: ShippingRateKind.FLAT, amount: "1" });
    expect(
      reasons(checkRates("r", [flat("XAU"), flat("XAU"), flat("usd"), flat(""), flat("EUR"), flat("EUR")])),
    ).toEqual([
      ["r[0].currency", "UNKNOWN_CURRENCY"],
      ["r[1].currency", "UNKNOWN_CURRENCY"],
      ["r[2].currency", "UNKNOWN_CURRENCY"],
      ["r[3].currency", "UNKNOWN_CURRENCY"],
      ["r[5].currency", "DUPLICATE_CURRENCY"],
    ]);
  });

  it("refuses more fraction digits than the currency has, wherever an amount is", () => {
    expect(
      reasons(
        checkRates("r", [
          rate({ currency: "JPY", kind: ShippingRateKind.FLAT, amount: "1.5", freeAbove: "1000.0" }),
          rate({ currency: "USD", kind: ShippingRateKind.SUBTOTAL_TIERS, tiers: [{ from: "0.001", amount: "1.001" }] }),
          rate({ currency: "EUR", kind: ShippingRateKind.WEIGHT_TIERS, tiers: [{ from: "0", amount: "0.001" }] }),
        ]),
      ),
    ).toEqual([
      ["r[0].amount", "TOO_MANY_FRACTION_DIGITS"],
      ["r[0].free_above", "TOO_MANY_FRACTION_DIGITS"],
      ["r[1].tiers[0].from", "TOO_MANY_FRACTION_DIGITS"],
      ["r[1].tiers[0].amount", "TOO_MANY_FRACTION_DIGITS"],
      ["r[2].tiers[0].amount", "TOO_MANY_FRACTION_DIGITS"],
    ]);
  });

  it("refuses text that is not an amount, for callers the contract's pattern did not check", () => {
    expect(
      reasons(
        checkRates("r", [
          rate({ currency: "USD", kind: ShippingRateKind.FLAT, amount: "-1", freeAbove: "1e3" }),
          rate({ currency: "EUR", kind: ShippingRateKind.WEIGHT_TIERS, tiers: [{ from: "1 kg", amount: "01" }] }),
        ]),
      ),
    ).toEqual([
      ["r[0].amount", "INVALID_DECIMAL"],
      ["r[0].free_above", "INVALID_DECIMAL"],
      ["r[1].tiers[0].from", "INVALID_DECIMAL"],
      ["r[1].tiers[0].amount", "INVALID_DECIMAL"],
    ]);
  });

  it("asks each kind for its own price: an amount for FLAT, tiers for the tier kinds", () => {
    expect(
      reasons(
        checkRates("r", [
          rate({ currency: "USD", kind: ShippingRateKind.FLAT, tiers: [{ from: "0", amount: "1" }] }),
          rate({ currency: "EUR", kind: ShippingRateKind.SUBTOTAL_TIERS, amount: "1" }),
          rate({ currency: "GBP", amount: "1" }),
        ]),
      ),
    ).toEqual([
      ["r[0].amount", "REQUIRED"],
      ["r[0].tiers", "NOT_ALLOWED"],
      ["r[1].amount", "NOT_ALLOWED"],
      ["r[1].tiers", "REQUIRED"],
      ["r[2].kind", "REQUIRED"],
    ]);
  });

  it("takes tiers strictly ascending by from, comparing values, not text", () => {
    const tiers = (...froms: string[]) =>
      rate({
        currency: "USD",
        kind: ShippingRateKind.SUBTOTAL_TIERS,
        tiers: froms.map((from) => ({ from, amount: "1" })),
      });
    expect(reasons(checkRates("r", [tiers("0", "9.99", "10")]))).toEqual([]);
    expect(reasons(checkRates("r", [tiers("0", "10", "10.00", "9")]))).toEqual([
      ["r[0].tiers[2].from", "TIERS_NOT_ASCENDING"],
      ["r[0].tiers[3].from", "TIERS_NOT_ASCENDING"],
    ]);
  });

  it("takes weight tiers in whole grams only, ascending", () => {
    const tiers = (...froms: string[]) =>
      rate({
        currency: "USD",
        kind: ShippingRateKind.WEIGHT_TIERS,
        tiers: froms.map((from) => ({ from, amount: "1" })),
      });
    expect(reasons(checkRates("r", [tiers("0", "1000.5", "1000.0", "999", "20000")]))).toEqual([
      ["r[0].tiers[1].from", "NOT_WHOLE_GRAMS"],
      ["r[0].tiers[2].from", "NOT_WHOLE_GRAMS"],
    ]);
    expect(reasons(checkRates("r", [tiers("1000", "999")]))).toEqual([["r[0].tiers[1].from", "TIERS_NOT_ASCENDING"]]);
  });

  it("accepts every strictly ascending list of tiers and keeps its values, refusing it in any other order", () => {
    const cents = fc.uniqueArray(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 2, maxLength: 50 });
    fc.assert(
      fc.property(cents, fc.bigInt({ min: 0n, max: 10n ** 6n }), (starts, price) => {
        const text = (value: bigint) => new MoneyDecimal(value.toString()).dividedBy(100).toString();
        const ascending = [...starts].sort((a, b) => (a < b ? -1 : 1));
        const given = (order: bigint[]) =>
          rate({
            currency: "USD",
            kind: ShippingRateKind.SUBTOTAL_TIERS,
            tiers: order.map((from) => ({ from: text(from), amount: text(price) })),
          });
        const accepted = checkRates("r", [given(ascending)]);
        if (!accepted.ok) return false;
        const tiers = accepted.rates[0]?.tiers ?? [];
        const sameValues = tiers.every(
          (tier, index) =>
            new MoneyDecimal(tier.from).equals(text(ascending[index] ?? -1n)) && /^\d+\.\d{2}$/.test(tier.amount),
        );
        return sameValues && !checkRates("r", [given([...ascending].reverse())]).ok;
      }),
    );
  });
});

describe("rate kinds", () => {
  it("name the contract's kinds as the checkout engine does, both ways", () => {
    for (const [message, name] of RATE_KINDS) expect(rateKindMessage(name)).toBe(message);
    expect([...RATE_KINDS.values()]).toEqual(["FLAT", "SUBTOTAL_TIERS", "WEIGHT_TIERS"]);
  });
});
