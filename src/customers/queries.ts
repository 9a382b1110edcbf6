import type { Queryable } from "../platform/database/query.js";
import { query } from "../platform/database/query.js";
import type { AddressRecord } from "../addresses/address.js";

/** What a new order needs of its customer (customers' read model for orders, see public.ts). */
export interface CustomerDefaultsRow {
  email: string;
  defaultShippingAddress: AddressRecord | null;
  defaultBillingAddress: AddressRecord | null;
}

/**
 * The read model's statement: the customer's defaults, if the customer exists in the tenant
 * ($1 customer id, $2 tenant id), in the fields of CustomerDefaultsRow. Orders may run it as a CTE
 * of their own statement (one round trip for CreateOrder) without naming customers' table or columns.
 */
export const CUSTOMER_DEFAULTS_SQL = `select email, default_shipping_address as "defaultShippingAddress", default_billing_address as "defaultBillingAddress"
  from customers where id = $1 and tenant_id = $2`;

/** The customer's defaults, or undefined when the tenant has no such customer. */
export async function findCustomerDefaults(
  db: Queryable,
  tenantId: string,
  customerId: string,
): Promise<CustomerDefaultsRow | undefined> {
  const { rows } = await query<CustomerDefaultsRow & Record<string, unknown>>(db, CUSTOMER_DEFAULTS_SQL, [
    customerId,
    tenantId,
  ]);
  return rows[0];
}
