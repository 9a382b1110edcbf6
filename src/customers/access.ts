import type { MethodRoles } from "../platform/auth/method-access.js";

/** The role each CustomersService RPC needs (handed to the auth interceptor by src/app.ts). */
export const CUSTOMERS_METHOD_ROLES: MethodRoles = {
  "orders.v1.CustomersService/CreateCustomer": "editor",
  "orders.v1.CustomersService/GetCustomer": "viewer",
  "orders.v1.CustomersService/ListCustomers": "viewer",
  "orders.v1.CustomersService/UpdateCustomer": "editor",
  "orders.v1.CustomersService/AddCustomerAddress": "editor",
  "orders.v1.CustomersService/UpdateCustomerAddress": "editor",
  "orders.v1.CustomersService/DeleteCustomerAddress": "editor",
  "orders.v1.CustomersService/ListCustomerAddresses": "viewer",
};
