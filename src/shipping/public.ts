/**
 * What other capabilities may use of shipping, and all they may use (.dependency-cruiser.cjs checks it): a
 * tenant's shipping methods as the checkout engine prices them (domain/pricing ShippingMethod, active or not by
 * id, also as an expression of a caller's statement; every active one for a checkout's options) and the error for an id the tenant has no method with
 * (SHIPPING_METHOD_NOT_FOUND). Never shipping's tables or use cases.
 */
export {
  findShippingMethod,
  listActiveShippingMethods,
  shippingMethodFromJson,
  shippingMethodIdValue,
  shippingMethodSql,
} from "./queries.js";
export { shippingMethodNotFound } from "./shipping-errors.js";
