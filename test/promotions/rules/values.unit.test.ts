import { describe, expect, it } from "vitest";
import { amountText, valueText } from "../../../src/promotions/rules/amounts.js";
import { customerKey } from "../../../src/promotions/rules/buyer.js";
import { codeKey, firstDuplicateCode } from "../../../src/promotions/rules/codes.js";

describe("amountText and valueText", () => {
  it("write stored amounts with the currency's minor units, or without trailing zeros when there is none", () => {
    expect(amountText("10.0000", "USD")).toBe("10.00");
    expect(amountText("500.0000", "JPY")).toBe("500");
    expect(amountText("0.0010", "KWD")).toBe("0.001");
    expect(amountText("12.5000", "")).toBe("12.5");
    expect(amountText("100.0000", "")).toBe("100");
  });

  it("write a percent without trailing zeros and an amount in its currency; free shipping has none", () => {
    expect(valueText("ORDER_PERCENTAGE", "15.0000", "USD")).toBe("15");
    expect(valueText("ITEM_PERCENTAGE", "12.5000", "")).toBe("12.5");
    expect(valueText("ORDER_FIXED_AMOUNT", "7.5000", "EUR")).toBe("7.50");
    expect(valueText("ITEM_FIXED_AMOUNT", "5.0000", "JPY")).toBe("5");
    expect(valueText("FREE_SHIPPING", null, "")).toBe("");
  });
});

describe("codes", () => {
  it("compare without regard to case", () => {
    expect(codeKey("Summer-10_X")).toBe("summer-10_x");
  });

  it("find the first code an earlier one already gives", () => {
    expect(firstDuplicateCode(["A-1", "B-2", "C-3"])).toBeUndefined();
    expect(firstDuplicateCode(["A-1", "B-2", "b-2", "a-1"])).toEqual({ index: 2, first: 1 });
    expect(firstDuplicateCode([])).toBeUndefined();
  });
});

describe("customerKey", () => {
  it("is the customer's id, else the guest's e-mail in lower case, else none", () => {
    expect(customerKey({ customerId: "c-1", email: "ada@example.com" })).toBe("c-1");
    expect(customerKey({ email: "Ada@Example.COM" })).toBe("email:ada@example.com");
    expect(customerKey({ customerId: "", email: "" })).toBeUndefined();
    expect(customerKey({})).toBeUndefined();
  });
});
