import { describe, expect, it } from "vitest";
import { checkIssue } from "../../../src/gift-cards/rules/issue-rules.js";

const now = new Date("2026-12-02T12:00:00Z");
const reasons = (result: ReturnType<typeof checkIssue>) =>
  result.ok ? [] : result.violations.map((v) => `${v.field}: ${v.reason}`);

describe("checkIssue", () => {
  it("accepts a positive balance within the currency's minor units and formats it with them", () => {
    expect(checkIssue({ initialBalance: "50", currency: "USD", expiresAt: undefined }, now)).toEqual({
      ok: true,
      initialBalance: "50.00",
      minorUnits: 2,
    });
    expect(checkIssue({ initialBalance: "5000", currency: "JPY", expiresAt: undefined }, now)).toMatchObject({
      initialBalance: "5000",
    });
    expect(checkIssue({ initialBalance: "1.125", currency: "KWD", expiresAt: undefined }, now)).toMatchObject({
      initialBalance: "1.125",
    });
    const tomorrow = new Date(now.getTime() + 86_400_000);
    expect(checkIssue({ initialBalance: "0.01", currency: "EUR", expiresAt: tomorrow }, now).ok).toBe(true);
  });

  it("refuses zero, too many fraction digits, an unknown currency and an expiry not after now", () => {
    expect(reasons(checkIssue({ initialBalance: "0", currency: "USD", expiresAt: undefined }, now))).toEqual([
      "initial_balance: AMOUNT_NOT_POSITIVE",
    ]);
    expect(reasons(checkIssue({ initialBalance: "0.00", currency: "USD", expiresAt: undefined }, now))).toEqual([
      "initial_balance: AMOUNT_NOT_POSITIVE",
    ]);
    expect(reasons(checkIssue({ initialBalance: "1.001", currency: "USD", expiresAt: undefined }, now))).toEqual([
      "initial_balance: TOO_MANY_FRACTION_DIGITS",
    ]);
    expect(reasons(checkIssue({ initialBalance: "1.5", currency: "JPY", expiresAt: now }, now))).toEqual([
      "initial_balance: TOO_MANY_FRACTION_DIGITS",
      "expire_time: IN_PAST",
    ]);
    expect(reasons(checkIssue({ initialBalance: "1.001", currency: "XTS", expiresAt: undefined }, now))).toEqual([
      "currency: UNKNOWN_CURRENCY",
    ]);
    expect(reasons(checkIssue({ initialBalance: "1e3", currency: "USD", expiresAt: undefined }, now))).toEqual([
      "initial_balance: INVALID_DECIMAL",
    ]);
  });
});
