/**
 * What other capabilities may use of customers, and all they may use (.dependency-cruiser.cjs checks it):
 * the address snapshot rules, the customer's read model for a new order, and the entity an order's
 * `customer` relation points at. Never customers' tables or use cases.
 *
 * For CreateOrder, findOrderParties is the one call: the customer, the company and the addresses asked for
 * by id (each only if it is that customer's or that company's), in one query. CUSTOMER_DEFAULTS_SQL and
 * findCustomerDefaults are the older read model (the customer's default addresses only), which CreateOrder
 * runs today as a CTE of its own statement.
 */
export {
  addressCountryViolations,
  addressToRecord,
  recordToAddress,
  type AddressRecord,
} from "../addresses/address.js";
export { Customer } from "./entities/customer.js";
export {
  CUSTOMER_DEFAULTS_SQL,
  findCustomerDefaults,
  findOrderParties,
  ORDER_PARTIES_SQL,
  orderPartiesFromRow,
  orderPartiesParameters,
  type OrderPartiesRow,
  type AddressById,
  type CustomerDefaultsRow,
  type OrderCustomer,
  type OrderParties,
  type OrderPartiesQuery,
} from "./queries.js";
export type { CompanyForOrder } from "../companies/public.js";
