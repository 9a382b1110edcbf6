/**
 * What other capabilities may use of companies, and all they may use (.dependency-cruiser.cjs checks it):
 * the entity a customer's `company` relation points at, whether a tenant has a company and the error when
 * it has not (COMPANY_NOT_FOUND), and the read model of a company for a new order —
 * as one query (findCompanyForOrder) and as SQL that customers' one-statement lookup for an order composes
 * (customers/public.ts findOrderParties, which is what orders use). Never companies' tables or use cases.
 */
export { Company } from "./entities/company.js";
export { companyNotFound } from "./company-errors.js";
export {
  companyForOrderSql,
  companyShippingAddressesSql,
  findCompanyForOrder,
  hasCompany,
  type CompanyForOrder,
  type CompanyLookup,
} from "./queries.js";
