/**
 * What other capabilities may use of customers, and all they may use (.dependency-cruiser.cjs checks it):
 * the address snapshot rules, the customer's read model for a new order, and the entity an order's
 * `customer` relation points at. Never customers' tables or use cases.
 */
export {
  addressCountryViolations,
  addressToRecord,
  recordToAddress,
  type AddressRecord,
} from "../addresses/address.js";
export { Customer } from "./entities/customer.js";
export { CUSTOMER_DEFAULTS_SQL, findCustomerDefaults, type CustomerDefaultsRow } from "./queries.js";
