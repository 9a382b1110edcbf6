import { describe, expect, it } from "vitest";
import { partyChoice } from "../../../src/orders/rules/order-parties.js";

const address = (line1: string) => ({ line1, country: "US" });
const customer = {
  id: "c",
  email: "c@example.com",
  companyId: "co",
  defaultBillingAddress: address("customer billing"),
  defaultShippingAddress: address("customer shipping"),
};
const company = {
  id: "co",
  billingAddress: address("company billing"),
  defaultShippingAddress: address("company shipping"),
};
const none = {
  customerId: "c",
  companyId: "",
  billingAddressId: "",
  shippingAddressId: "",
  useCustomerDefaultAddress: undefined,
};
const noInline = { billing: null, shipping: null };

describe("partyChoice", () => {
  it("prefers inline, then by id, then the defaults: the company's for a company order, else the customer's", () => {
    const forCompany = partyChoice({ ...none, companyId: "co" }, { customer, company }, noInline);
    expect(
      forCompany.ok && [forCompany.choice.billingAddress?.line1, forCompany.choice.shippingAddress?.line1],
    ).toEqual(["company billing", "company shipping"]);
    const byId = partyChoice(
      { ...none, billingAddressId: "a" },
      { customer, billingAddress: { id: "a", found: true, owner: "customer", address: address("saved") } },
      { billing: null, shipping: address("inline") },
    );
    expect(byId.ok && [byId.choice.billingAddress?.line1, byId.choice.shippingAddress?.line1]).toEqual([
      "saved",
      "inline",
    ]);
  });

  it("takes use_customer_default_address as unset, true (customer's even for a company) or false (none)", () => {
    const customers = partyChoice(
      { ...none, companyId: "co", useCustomerDefaultAddress: true },
      { customer, company },
      noInline,
    );
    expect(customers.ok && customers.choice.shippingAddress?.line1).toBe("customer shipping");
    const empty = partyChoice({ ...none, useCustomerDefaultAddress: false }, { customer }, noInline);
    expect(empty.ok && [empty.choice.billingAddress, empty.choice.shippingAddress]).toEqual([null, null]);
  });

  it("refuses missing parties, a customer of another company and addresses that are not theirs", () => {
    expect(partyChoice(none, { customer: null }, noInline)).toEqual({
      ok: false,
      refusal: { kind: "not_found", reason: "CUSTOMER_NOT_FOUND", id: "c" },
    });
    const refused = partyChoice(
      { ...none, companyId: "co", shippingAddressId: "x" },
      { customer: { ...customer, companyId: null }, company, shippingAddress: { id: "x", found: false } },
      noInline,
    );
    expect(
      refused.ok || refused.refusal.kind !== "invalid" ? [] : refused.refusal.violations.map((v) => v.reason),
    ).toEqual(["CUSTOMER_NOT_IN_COMPANY", "ADDRESS_NOT_FOUND"]);
  });
});
