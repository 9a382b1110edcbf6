import type { MethodRoles } from "../platform/auth/method-access.js";

/** The role each CustomersService RPC needs (handed to the auth interceptor by src/app.ts). */
export const CUSTOMERS_METHOD_ROLES: MethodRoles = {
  "orders.v1.CustomersService/CreateCustomer": "editor",
  "orders.v1.CustomersService/GetCustomer": "viewer",
};
