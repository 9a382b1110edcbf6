import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressSchema } from "../../../gen/orders/v1/address_pb.js";
import { CompanyAddressSchema, type CompanyAddress } from "../../../gen/orders/v1/company_pb.js";
import {
  defaultShippingAddress,
  MAX_SHIPPING_ADDRESSES,
  shippingAddressList,
  type CompanyAddressRecord,
} from "../../../src/companies/rules/company-addresses.js";

const ID_A = "00000000-0000-4000-8000-00000000000a";
const ID_B = "00000000-0000-4000-8000-00000000000b";

function entry(line1: string, options: { id?: string; isDefault?: boolean; country?: string } = {}): CompanyAddress {
  return create(CompanyAddressSchema, {
    id: options.id ?? "",
    address: create(AddressSchema, { line1, country: options.country ?? "US" }),
    default: options.isDefault ?? false,
  });
}

function counter(): () => string {
  let next = 0;
  return () => `00000000-0000-4000-8000-${String(++next).padStart(12, "0")}`;
}

const current: CompanyAddressRecord[] = [
  { id: ID_A, address: { line1: "1 Dock Rd", country: "US" }, default: true },
  { id: ID_B, address: { line1: "2 Yard Ln", country: "US" }, default: false },
];

describe("shippingAddressList on create", () => {
  it("gives every address a new id, keeps the order and makes the first the default when none is marked", () => {
    const result = shippingAddressList(
      "shipping_addresses",
      [entry("1 A St", { id: ID_A }), entry("2 B St")],
      undefined,
      counter(),
    );
    expect(result).toEqual({
      ok: true,
      addresses: [
        { id: "00000000-0000-4000-8000-000000000001", address: { line1: "1 A St", country: "US" }, default: true },
        { id: "00000000-0000-4000-8000-000000000002", address: { line1: "2 B St", country: "US" }, default: false },
      ],
    });
  });

  it("keeps the one the client marked as the default", () => {
    const result = shippingAddressList(
      "s",
      [entry("1 A St"), entry("2 B St", { isDefault: true })],
      undefined,
      counter(),
    );
    expect(result.ok && result.addresses.map((a) => a.default)).toEqual([false, true]);
  });

  it("accepts no addresses at all", () => {
    expect(shippingAddressList("s", [], undefined, counter())).toEqual({ ok: true, addresses: [] });
  });

  it("refuses a second default, an unknown country and a missing address, each where it is", () => {
    const missing = create(CompanyAddressSchema, {});
    const result = shippingAddressList(
      "shipping_addresses",
      [entry("1 A St", { isDefault: true }), entry("2 B St", { isDefault: true, country: "XX" }), missing],
      undefined,
      counter(),
    );
    expect(result).toMatchObject({
      ok: false,
      violations: [
        { field: "shipping_addresses[1].default", reason: "MULTIPLE_DEFAULTS" },
        { field: "shipping_addresses[1].address.country", reason: "UNKNOWN_COUNTRY" },
        { field: "shipping_addresses[2].address", reason: "REQUIRED" },
      ],
    });
  });

  it(`refuses more than ${MAX_SHIPPING_ADDRESSES} addresses`, () => {
    const many = Array.from({ length: MAX_SHIPPING_ADDRESSES + 1 }, (_, i) => entry(`${i} Long Rd`));
    expect(shippingAddressList("shipping_addresses", many, undefined, counter())).toMatchObject({
      ok: false,
      violations: [{ field: "shipping_addresses", reason: "TOO_MANY_ADDRESSES" }],
    });
    expect(shippingAddressList("s", many.slice(1), undefined, counter()).ok).toBe(true);
  });
});

describe("shippingAddressList on update", () => {
  it("keeps the ids of the addresses named, gives new ones an id, and drops the rest", () => {
    const result = shippingAddressList(
      "company.shipping_addresses",
      [entry("2 Yard Lane", { id: ID_B, isDefault: true }), entry("3 New St")],
      current,
      counter(),
    );
    expect(result).toEqual({
      ok: true,
      addresses: [
        { id: ID_B, address: { line1: "2 Yard Lane", country: "US" }, default: true },
        { id: "00000000-0000-4000-8000-000000000001", address: { line1: "3 New St", country: "US" }, default: false },
      ],
    });
  });

  it("refuses an id that is not one of the company's addresses, and one given twice", () => {
    const result = shippingAddressList(
      "company.shipping_addresses",
      [entry("x", { id: ID_A }), entry("y", { id: ID_A }), entry("z", { id: "00000000-0000-4000-8000-0000000000ff" })],
      current,
      counter(),
    );
    expect(result).toMatchObject({
      ok: false,
      violations: [
        { field: "company.shipping_addresses[1].id", reason: "DUPLICATE_ADDRESS_ID" },
        { field: "company.shipping_addresses[2].id", reason: "UNKNOWN_ADDRESS_ID" },
      ],
    });
  });
});

describe("a company's shipping addresses, whatever the client sends", () => {
  const given = fc.array(
    fc.record({
      line1: fc.string({ minLength: 1, maxLength: 20 }),
      isDefault: fc.boolean(),
      keep: fc.constantFrom(undefined, ID_A, ID_B),
    }),
    { maxLength: MAX_SHIPPING_ADDRESSES },
  );

  it("are kept in order with exactly one default (none when empty), or refused with a reason", () => {
    fc.assert(
      fc.property(given, (entries) => {
        const result = shippingAddressList(
          "s",
          entries.map((e) => entry(e.line1, { id: e.keep, isDefault: e.isDefault })),
          current,
          counter(),
        );
        const marked = entries.filter((e) => e.isDefault).length;
        const kept = entries.flatMap((e) => (e.keep ? [e.keep] : []));
        const valid = marked <= 1 && new Set(kept).size === kept.length;
        expect(result.ok).toBe(valid);
        if (!result.ok) return;
        expect(result.addresses.map((a) => a.address.line1)).toEqual(entries.map((e) => e.line1));
        expect(result.addresses.filter((a) => a.default)).toHaveLength(entries.length === 0 ? 0 : 1);
        expect(new Set(result.addresses.map((a) => a.id)).size).toBe(entries.length);
        expect(defaultShippingAddress(result.addresses)?.default ?? entries.length === 0).toBe(true);
      }),
    );
  });
});
