import type { AddressRecord } from "../../addresses/address.js";

/** Most addresses a customer's address book holds (the contract's CustomerAddress limit). */
export const ADDRESS_BOOK_LIMIT = 100;

/** The roles an address of a book can have: at most one address of a book has each. */
export interface DefaultRoles {
  defaultBilling: boolean;
  defaultShipping: boolean;
}

/** An address of a book, as far as its roles go. */
export interface BookEntry extends DefaultRoles {
  id: string;
}

/** A role change asked for one address: true takes the role, false gives it up, undefined leaves it. */
export interface RoleChange {
  defaultBilling?: boolean;
  defaultShipping?: boolean;
}

/** Whether a book of `size` addresses can take one more. */
export function canAddTo(size: number): boolean {
  return size < ADDRESS_BOOK_LIMIT;
}

/**
 * The roles a new address takes: those asked for, and any role no address of the book has yet, so a
 * customer's first address is both defaults (as Shopify and Spree make the first saved address the default).
 */
export function rolesOfNewAddress(book: readonly DefaultRoles[], asked: DefaultRoles): DefaultRoles {
  return {
    defaultBilling: asked.defaultBilling || !book.some((entry) => entry.defaultBilling),
    defaultShipping: asked.defaultShipping || !book.some((entry) => entry.defaultShipping),
  };
}

/**
 * The book after address `targetId` gets `change`: taking a role takes it from the address that had it;
 * giving one up leaves the book without that default. Only the entries whose roles change are returned,
 * with their new roles (the target included when its roles change).
 */
export function applyRoleChange(book: readonly BookEntry[], targetId: string, change: RoleChange): BookEntry[] {
  const changed: BookEntry[] = [];
  for (const entry of book) {
    const next = { ...entry };
    for (const role of ["defaultBilling", "defaultShipping"] as const) {
      const asked = change[role];
      if (asked === undefined) continue;
      if (entry.id === targetId) next[role] = asked;
      else if (asked) next[role] = false;
    }
    if (next.defaultBilling !== entry.defaultBilling || next.defaultShipping !== entry.defaultShipping) {
      changed.push(next);
    }
  }
  return changed;
}

/**
 * The first entries of a new customer's book from the default addresses CreateCustomer was given: one
 * entry with both roles when they are the same address, else one per address given.
 */
export function initialBook(
  billing: AddressRecord | null,
  shipping: AddressRecord | null,
): (DefaultRoles & { address: AddressRecord })[] {
  if (billing && shipping && sameAddress(billing, shipping)) {
    return [{ address: billing, defaultBilling: true, defaultShipping: true }];
  }
  return [
    ...(billing ? [{ address: billing, defaultBilling: true, defaultShipping: false }] : []),
    ...(shipping ? [{ address: shipping, defaultBilling: false, defaultShipping: true }] : []),
  ];
}

/** Two address snapshots say the same thing (the same fields with the same values, in any key order). */
export function sameAddress(a: AddressRecord, b: AddressRecord): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof AddressRecord>;
  return [...keys].every((key) => a[key] === b[key]);
}
