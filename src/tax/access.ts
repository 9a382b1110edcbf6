import type { MethodRoles } from "../platform/auth/method-access.js";

/**
 * The role each TaxService RPC needs (handed to the auth interceptor by src/app.ts). Any key reads; only
 * admin keys write: the tax configuration prices every later order of the tenant, the store owner's
 * decision (as for StoreService), not that of an integration holding an editor key to place orders.
 */
export const TAX_METHOD_ROLES: MethodRoles = {
  "orders.v1.TaxService/CreateTaxZone": "admin",
  "orders.v1.TaxService/GetTaxZone": "viewer",
  "orders.v1.TaxService/ListTaxZones": "viewer",
  "orders.v1.TaxService/UpdateTaxZone": "admin",
  "orders.v1.TaxService/DeleteTaxZone": "admin",
  "orders.v1.TaxService/GetTaxSettings": "viewer",
  "orders.v1.TaxService/UpdateTaxSettings": "admin",
};
