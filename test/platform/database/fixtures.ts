import type { EntityManager } from "@mikro-orm/postgresql";
import { Customer, Tenant } from "../../../src/database.js";

/** A tenant of its own with one customer, so test files never see each other's rows. */
export async function createTenantWithCustomer(em: EntityManager): Promise<{ tenant: Tenant; customer: Customer }> {
  const tenant = em.create(Tenant, { name: "Acme" });
  const customer = em.create(Customer, { tenant, email: "buyer@example.com", name: "Bea Buyer" });
  await em.flush();
  return { tenant, customer };
}
