import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ADDRESS_BOOK_LIMIT,
  applyRoleChange,
  canAddTo,
  initialBook,
  rolesOfNewAddress,
  sameAddress,
  type BookEntry,
} from "../../../src/customers/rules/address-book.js";

const home = { name: "Ada", line1: "2 New Rd", city: "Bristol", country: "GB" };
const office = { line1: "1 Dock St", country: "GB" };

describe("initialBook", () => {
  it("makes one entry with both roles when billing and shipping are the same address", () => {
    expect(initialBook(home, { country: "GB", city: "Bristol", line1: "2 New Rd", name: "Ada" })).toEqual([
      { address: home, defaultBilling: true, defaultShipping: true },
    ]);
  });

  it("makes one entry per address otherwise, and none without addresses", () => {
    expect(initialBook(home, office)).toEqual([
      { address: home, defaultBilling: true, defaultShipping: false },
      { address: office, defaultBilling: false, defaultShipping: true },
    ]);
    expect(initialBook(null, office)).toEqual([{ address: office, defaultBilling: false, defaultShipping: true }]);
    expect(initialBook(null, null)).toEqual([]);
  });

  it("tells addresses apart by any field", () => {
    expect(sameAddress(home, { ...home, line2: "Flat 1" })).toBe(false);
    expect(sameAddress(home, { ...home })).toBe(true);
  });
});

describe("rolesOfNewAddress", () => {
  it("gives the first address both roles, and later ones only those asked for", () => {
    const none = { defaultBilling: false, defaultShipping: false };
    expect(rolesOfNewAddress([], none)).toEqual({ defaultBilling: true, defaultShipping: true });
    expect(rolesOfNewAddress([{ defaultBilling: true, defaultShipping: false }], none)).toEqual({
      defaultBilling: false,
      defaultShipping: true,
    });
    expect(
      rolesOfNewAddress([{ defaultBilling: true, defaultShipping: true }], {
        defaultBilling: true,
        defaultShipping: false,
      }),
    ).toEqual({ defaultBilling: true, defaultShipping: false });
  });
});

describe("canAddTo", () => {
  it(`allows ${ADDRESS_BOOK_LIMIT} addresses and no more`, () => {
    expect(canAddTo(ADDRESS_BOOK_LIMIT - 1)).toBe(true);
    expect(canAddTo(ADDRESS_BOOK_LIMIT)).toBe(false);
  });
});

describe("applyRoleChange", () => {
  const book: BookEntry[] = [
    { id: "a", defaultBilling: true, defaultShipping: false },
    { id: "b", defaultBilling: false, defaultShipping: true },
    { id: "c", defaultBilling: false, defaultShipping: false },
  ];

  it("takes a role from the address that had it, and returns only what changes", () => {
    expect(applyRoleChange(book, "c", { defaultBilling: true })).toEqual([
      { id: "a", defaultBilling: false, defaultShipping: false },
      { id: "c", defaultBilling: true, defaultShipping: false },
    ]);
  });

  it("gives a role up without handing it to anyone, and changes nothing when nothing changes", () => {
    expect(applyRoleChange(book, "b", { defaultShipping: false })).toEqual([
      { id: "b", defaultBilling: false, defaultShipping: false },
    ]);
    expect(applyRoleChange(book, "a", { defaultBilling: true, defaultShipping: undefined })).toEqual([]);
    expect(applyRoleChange(book, "c", { defaultBilling: false })).toEqual([]);
  });
});

describe("an address book, whatever is added, changed and removed", () => {
  type Operation =
    | { kind: "add"; defaultBilling: boolean; defaultShipping: boolean }
    | { kind: "change"; target: number; defaultBilling?: boolean; defaultShipping?: boolean }
    | { kind: "delete"; target: number };
  const role = fc.option(fc.boolean(), { nil: undefined });
  const operation: fc.Arbitrary<Operation> = fc.oneof(
    fc.record({ kind: fc.constant("add" as const), defaultBilling: fc.boolean(), defaultShipping: fc.boolean() }),
    fc.record({ kind: fc.constant("change" as const), target: fc.nat(), defaultBilling: role, defaultShipping: role }),
    fc.record({ kind: fc.constant("delete" as const), target: fc.nat() }),
  );

  it("never has two default billing or two default shipping addresses, and an add fills a missing default", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        let book: BookEntry[] = [];
        let next = 0;
        for (const op of operations) {
          if (op.kind === "add") {
            if (!canAddTo(book.length)) continue;
            const roles = rolesOfNewAddress(book, op);
            const id = `a${next++}`;
            const changed = applyRoleChange(book, id, {
              defaultBilling: roles.defaultBilling || undefined,
              defaultShipping: roles.defaultShipping || undefined,
            });
            book = book.map((entry) => changed.find((c) => c.id === entry.id) ?? entry);
            book.push({ id, ...roles });
            expect(book.some((e) => e.defaultBilling) && book.some((e) => e.defaultShipping)).toBe(true);
          } else if (book.length > 0) {
            const target = book[op.target % book.length];
            if (!target) continue;
            if (op.kind === "delete") {
              book = book.filter((entry) => entry.id !== target.id);
            } else {
              const changed = applyRoleChange(book, target.id, op);
              book = book.map((entry) => changed.find((c) => c.id === entry.id) ?? entry);
              if (op.defaultBilling !== undefined)
                expect(target.id === book.find((e) => e.defaultBilling)?.id).toBe(op.defaultBilling);
            }
          }
          expect(book.filter((e) => e.defaultBilling).length).toBeLessThanOrEqual(1);
          expect(book.filter((e) => e.defaultShipping).length).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});
