import type { MethodRoles } from "../platform/auth/method-access.js";

/** The role each CompaniesService RPC needs (handed to the auth interceptor by src/app.ts). */
export const COMPANIES_METHOD_ROLES: MethodRoles = {
  "orders.v1.CompaniesService/CreateCompany": "editor",
  "orders.v1.CompaniesService/GetCompany": "viewer",
  "orders.v1.CompaniesService/ListCompanies": "viewer",
  "orders.v1.CompaniesService/UpdateCompany": "editor",
};
