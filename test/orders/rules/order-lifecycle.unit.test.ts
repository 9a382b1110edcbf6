import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ORDER_STATUSES,
  PAYMENT_STATUSES,
  STATUS_ACTIONS,
  STATUS_TRANSITIONS,
  changeStatus,
  transitionTable,
  positiveAmount,
  recordPayment,
  refund,
  type LifecycleResult,
  type LifecycleState,
  type OrderStatusName,
  type PaymentChange,
  type StatusAction,
  type StatusFacts,
} from "../../../src/orders/rules/order-lifecycle.js";

function state(overrides: Partial<LifecycleState> = {}): LifecycleState {
  return {
    status: "placed",
    paymentStatus: "unpaid",
    total: "10.00",
    paidTotal: "0.00",
    refundedTotal: "0.00",
    authorizedTotal: "0.00",
    minorUnits: 2,
    ...overrides,
  };
}

function changed(result: LifecycleResult<PaymentChange>): PaymentChange {
  if (!result.ok) throw new Error(`expected a change, got ${JSON.stringify(result.failure)}`);
  return result.change;
}

/** Applies a payment change to a state, as the use case stores it. */
function after(s: LifecycleState, change: PaymentChange): LifecycleState {
  return { ...s, paymentStatus: change.to, paidTotal: change.paidTotal, refundedTotal: change.refundedTotal };
}

describe("changeStatus", () => {
  // With the whole-order facts (changeStatus's default): every unit shipped at once, every shipment delivered.
  const legal: [StatusAction, OrderStatusName, OrderStatusName][] = [
    ["fulfill", "placed", "fulfilled"],
    ["fulfill", "partially_fulfilled", "fulfilled"],
    ["deliver", "fulfilled", "delivered"],
    ["deliver", "partially_fulfilled", "partially_fulfilled"],
    ["deliver", "on_hold", "on_hold"],
    ["cancel", "placed", "canceled"],
    ["hold", "placed", "on_hold"],
    ["hold", "partially_fulfilled", "on_hold"],
    ["release", "on_hold", "placed"],
    ["cancel", "on_hold", "canceled"],
    ["deliver", "partially_returned", "partially_returned"],
    ["request_return", "fulfilled", "fulfilled"],
    ["request_return", "delivered", "delivered"],
    ["request_return", "partially_returned", "partially_returned"],
    ["receive_return", "fulfilled", "returned"],
    ["receive_return", "delivered", "returned"],
    ["receive_return", "partially_returned", "returned"],
  ];

  it.each(legal)("%s moves %s to %s", (action, from, to) => {
    expect(changeStatus({ status: from }, action)).toEqual({ ok: true, change: { from, to } });
  });

  // Every other (action, status) pair: 8 statuses x 7 actions - 17 legal ones = 39 illegal pairs.
  const illegal = STATUS_ACTIONS.flatMap((action) =>
    ORDER_STATUSES.filter((status) => !legal.some(([a, from]) => a === action && from === status)).map(
      (status) => [action, status] as const,
    ),
  );

  it("has thirty-nine illegal pairs", () => {
    expect(illegal).toHaveLength(39);
  });

  it.each(illegal)("%s from %s is an invalid transition", (action, status) => {
    expect(changeStatus({ status }, action)).toEqual({ ok: false, failure: { kind: "invalid_transition" } });
  });

  const facts = (overrides: Partial<StatusFacts>): StatusFacts => ({
    someFulfilled: true,
    allFulfilled: true,
    allDelivered: true,
    allReturned: true,
    ...overrides,
  });

  it.each([
    ["fulfill", "placed", { allFulfilled: false }, "partially_fulfilled"],
    ["fulfill", "partially_fulfilled", { allFulfilled: false }, "partially_fulfilled"],
    ["fulfill", "partially_fulfilled", {}, "fulfilled"],
    ["deliver", "fulfilled", { allDelivered: false }, "fulfilled"],
    ["release", "on_hold", { allFulfilled: false }, "partially_fulfilled"],
    ["release", "on_hold", { someFulfilled: false, allFulfilled: false }, "placed"],
    ["receive_return", "delivered", { allReturned: false }, "partially_returned"],
    ["receive_return", "partially_returned", { allReturned: false }, "partially_returned"],
  ] as const)("%s from %s with %o goes to %s", (action, from, given, to) => {
    expect(changeStatus({ status: from }, action, facts(given))).toEqual({ ok: true, change: { from, to } });
  });

  it("a held order with a fulfilled unit cannot be canceled, nor a partially fulfilled one", () => {
    const refused = { ok: false, failure: { kind: "invalid_transition" } };
    expect(changeStatus({ status: "on_hold" }, "cancel", facts({ allFulfilled: false }))).toEqual(refused);
    expect(changeStatus({ status: "partially_fulfilled" }, "cancel", facts({ allFulfilled: false }))).toEqual(refused);
  });

  it("for any facts, an action from a status either follows a row of the table or is refused", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUS_ACTIONS),
        fc.constantFrom(...ORDER_STATUSES),
        fc.record({
          someFulfilled: fc.boolean(),
          allFulfilled: fc.boolean(),
          allDelivered: fc.boolean(),
          allReturned: fc.boolean(),
        }),
        (action, from, given) => {
          const result = changeStatus({ status: from }, action, given);
          const rows = STATUS_TRANSITIONS.filter((row) => row.action === action && row.from === from);
          if (!result.ok) return rows.every((row) => row.when !== undefined && !row.when(given));
          return rows.some((row) => row.to === result.change.to);
        },
      ),
    );
  });

  it("the table lists every row with its RPC", () => {
    const table = transitionTable().split("\n");
    expect(table).toHaveLength(STATUS_TRANSITIONS.length + 2);
    expect(table).toContain(
      "| `ON_HOLD` | `PLACED` | `ReleaseOrder` | nothing fulfilled; or hold_until passed (housekeeping) |",
    );
  });
});

describe("recordPayment", () => {
  it("3.33 then 6.67 of 10.00 is partially paid, then paid", () => {
    const first = changed(recordPayment(state(), "3.33"));
    expect(first).toEqual({
      from: "unpaid",
      to: "partially_paid",
      amount: "3.33",
      paidTotal: "3.33",
      refundedTotal: "0.00",
    });
    const second = changed(recordPayment(after(state(), first), "6.67"));
    expect(second).toEqual({
      from: "partially_paid",
      to: "paid",
      amount: "6.67",
      paidTotal: "10.00",
      refundedTotal: "0.00",
    });
  });

  it("the whole total at once is paid", () => {
    expect(changed(recordPayment(state(), "10")).to).toBe("paid");
  });

  it("reads stored numeric(19,4) amounts and answers in the currency's minor units", () => {
    const change = changed(
      recordPayment(state({ total: "10.0000", paidTotal: "2.5000", paymentStatus: "partially_paid" }), "7.5"),
    );
    expect(change).toMatchObject({ to: "paid", amount: "7.50", paidTotal: "10.00" });
  });

  it("refuses 10.01 on a total of 10.00, naming the balance", () => {
    expect(recordPayment(state(), "10.01")).toEqual({
      ok: false,
      failure: { kind: "payment_exceeds_balance", balance: "10.00" },
    });
  });

  it("refuses 0.01 over the balance after a partial payment", () => {
    const s = state({ paymentStatus: "partially_paid", paidTotal: "3.33" });
    expect(recordPayment(s, "6.68")).toEqual({
      ok: false,
      failure: { kind: "payment_exceeds_balance", balance: "6.67" },
    });
  });

  it("refuses any payment on an order of total 0", () => {
    expect(recordPayment(state({ total: "0.00" }), "0.01")).toMatchObject({
      ok: false,
      failure: { kind: "payment_exceeds_balance" },
    });
  });

  it.each(["paid", "partially_refunded", "refunded"] as const)("is an invalid transition from %s", (paymentStatus) => {
    expect(recordPayment(state({ paymentStatus, paidTotal: "5.00" }), "1.00")).toEqual({
      ok: false,
      failure: { kind: "invalid_transition" },
    });
  });

  it("is an invalid transition on a canceled order", () => {
    expect(recordPayment(state({ status: "canceled" }), "1.00")).toEqual({
      ok: false,
      failure: { kind: "invalid_transition" },
    });
  });

  it.each(["fulfilled", "delivered"] as const)("is accepted on a %s order (pay on delivery)", (status) => {
    expect(changed(recordPayment(state({ status }), "10.00")).to).toBe("paid");
  });

  it.each([
    ["0", "AMOUNT_NOT_POSITIVE"],
    ["0.00", "AMOUNT_NOT_POSITIVE"],
    ["0.001", "TOO_MANY_FRACTION_DIGITS"],
    ["1.5x", "INVALID_DECIMAL"],
  ])("refuses the amount %s (%s)", (amount, reason) => {
    const result = recordPayment(state(), amount);
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: "invalid_amount", violations: [{ field: "amount", reason }] },
    });
  });

  it("keeps the currency's precision: JPY takes no fraction, KWD takes three", () => {
    const yen = state({ total: "1200", minorUnits: 0 });
    expect(recordPayment(yen, "0.5")).toMatchObject({ ok: false, failure: { kind: "invalid_amount" } });
    expect(changed(recordPayment(yen, "1200")).paidTotal).toBe("1200");
    const dinar = state({ total: "1.250", minorUnits: 3 });
    expect(changed(recordPayment(dinar, "1.249"))).toMatchObject({ to: "partially_paid", paidTotal: "1.249" });
  });

  it("is exact at the largest amount a numeric(19,4) column holds", () => {
    const big = state({ total: "999999999999999.99" });
    const first = changed(recordPayment(big, "999999999999999.98"));
    expect(first.to).toBe("partially_paid");
    expect(recordPayment(after(big, first), "0.02")).toMatchObject({ ok: false, failure: { balance: "0.01" } });
    expect(changed(recordPayment(after(big, first), "0.01"))).toMatchObject({
      to: "paid",
      paidTotal: "999999999999999.99",
    });
  });
});

describe("refund", () => {
  const paid = state({ paymentStatus: "paid", paidTotal: "10.00" });

  it("defaults to the whole remaining paid amount", () => {
    expect(changed(refund(paid, undefined))).toEqual({
      from: "paid",
      to: "refunded",
      amount: "10.00",
      paidTotal: "10.00",
      refundedTotal: "10.00",
    });
  });

  it("refunds in parts: 2.50 then the rest by default", () => {
    const first = changed(refund(paid, "2.50"));
    expect(first).toMatchObject({ to: "partially_refunded", refundedTotal: "2.50" });
    const rest = changed(refund(after(paid, first), undefined));
    expect(rest).toMatchObject({ from: "partially_refunded", to: "refunded", amount: "7.50", refundedTotal: "10.00" });
  });

  it("refuses 0.01 more than was paid", () => {
    expect(refund(paid, "10.01")).toEqual({ ok: false, failure: { kind: "refund_exceeds_paid", refundable: "10.00" } });
  });

  it("refuses 0.01 more than is left after an earlier refund", () => {
    const s = state({ paymentStatus: "partially_refunded", paidTotal: "10.00", refundedTotal: "3.33" });
    expect(refund(s, "6.68")).toEqual({ ok: false, failure: { kind: "refund_exceeds_paid", refundable: "6.67" } });
    expect(changed(refund(s, "6.67")).to).toBe("refunded");
  });

  it("refunds a partial payment (e.g. a deposit on a canceled order)", () => {
    const s = state({ status: "canceled", paymentStatus: "partially_paid", paidTotal: "4.00" });
    expect(changed(refund(s, undefined))).toMatchObject({ from: "partially_paid", to: "refunded", amount: "4.00" });
    expect(changed(refund(s, "1.00"))).toMatchObject({ to: "partially_refunded", refundedTotal: "1.00" });
  });

  it.each(["unpaid", "refunded"] as const)("is an invalid transition from %s", (paymentStatus) => {
    const s = state({
      paymentStatus,
      paidTotal: paymentStatus === "refunded" ? "10.00" : "0.00",
      refundedTotal: paymentStatus === "refunded" ? "10.00" : "0.00",
    });
    expect(refund(s, undefined)).toEqual({ ok: false, failure: { kind: "invalid_transition" } });
  });

  it("checks a given amount before the state", () => {
    expect(refund(state(), "0")).toMatchObject({ ok: false, failure: { kind: "invalid_amount" } });
  });

  it("never lets refunded exceed paid or paid exceed total over many small steps", () => {
    let s = state({ total: "1.00" });
    for (let i = 0; i < 100; i++) s = after(s, changed(recordPayment(s, "0.01")));
    expect(s).toMatchObject({ paymentStatus: "paid", paidTotal: "1.00" });
    expect(recordPayment(s, "0.01")).toMatchObject({ ok: false, failure: { kind: "invalid_transition" } });
    for (let i = 0; i < 100; i++) s = after(s, changed(refund(s, "0.01")));
    expect(s).toMatchObject({ paymentStatus: "refunded", refundedTotal: "1.00" });
  });
});

describe("positiveAmount", () => {
  it("names the field it checks", () => {
    expect(positiveAmount("import_details.paid_total", "0", 2)).toMatchObject({
      ok: false,
      failure: { violations: [{ field: "import_details.paid_total" }] },
    });
  });
});

it("lists every payment status the contract has", () => {
  expect(PAYMENT_STATUSES).toEqual([
    "unpaid",
    "partially_paid",
    "paid",
    "partially_refunded",
    "refunded",
    "authorized",
  ]);
});
