/** Who places an order, as CreateOrder knows them: a customer of the tenant, or a guest by e-mail. */
export interface Buyer {
  customerId?: string;
  email?: string;
}

/**
 * Whom a per-customer limit counts: the customer's id, else "email:" and the guest's e-mail in lower case
 * (so a guest's orders under one address count together, in any case); undefined for a buyer with
 * neither, whose uses no per-customer limit can count.
 */
export function customerKey(buyer: Buyer): string | undefined {
  if (buyer.customerId) return buyer.customerId;
  if (buyer.email) return `email:${buyer.email.toLowerCase()}`;
  return undefined;
}
