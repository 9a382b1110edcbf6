import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import { CustomerAddress } from "./entities/customer-address.js";
import { Customer } from "./entities/customer.js";
import { customerNotFound } from "./customer-errors.js";
import type { BookEntry } from "./rules/address-book.js";

/**
 * The customer of the caller's tenant, locked (FOR UPDATE) for the rest of the transaction: every change of
 * a customer or its address book takes this lock first, so concurrent changes of one book queue and each
 * sees the one before (the bound of 100 addresses and the one default of each kind cannot race).
 */
export async function lockCustomer(tx: EntityManager, tenantId: string, customerId: string): Promise<Customer> {
  const customer = await tx.findOne(
    Customer,
    { id: customerId, tenant: tenantId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!customer) throw customerNotFound(customerId);
  return customer;
}

/** The customer's whole book (at most 100 addresses), oldest first. */
export function addressBook(em: EntityManager, customer: Customer): Promise<CustomerAddress[]> {
  return em.find(CustomerAddress, { customer }, { orderBy: { createdAt: "asc", id: "asc" } });
}

/** The addresses of the customer's book that have a default role (two at most). */
export function defaultAddresses(em: EntityManager, customer: Customer | string): Promise<CustomerAddress[]> {
  return em.find(CustomerAddress, { customer, $or: [{ defaultBilling: true }, { defaultShipping: true }] });
}

/**
 * Writes the roles rules/address-book.ts worked out (`changed`, entries of `book`): first every role given up,
 * then every role taken, each step flushed, so that the partial unique indexes never see two defaults of a
 * kind at once. Every address whose roles change gets `now` as its update time (and a new version).
 */
export async function writeRoles(
  tx: EntityManager,
  book: readonly CustomerAddress[],
  changed: readonly BookEntry[],
  now: Date,
): Promise<void> {
  const entries = changed.map((next) => {
    const entry = book.find((candidate) => candidate.id === next.id);
    if (!entry) throw new Error(`address ${next.id} is not in the book`);
    return { entry, next };
  });
  for (const { entry, next } of entries) {
    entry.defaultBilling &&= next.defaultBilling;
    entry.defaultShipping &&= next.defaultShipping;
    entry.updatedAt = now;
  }
  await tx.flush();
  for (const { entry, next } of entries) {
    entry.defaultBilling = next.defaultBilling;
    entry.defaultShipping = next.defaultShipping;
  }
  await tx.flush();
}
