/**
 * What other capabilities may use of tax, and all they may use (.dependency-cruiser.cjs checks it): the
 * tenant's tax configuration for an order, in the pricing engine's own terms (src/domain/pricing/checkout.ts
 * TaxConfiguration), read in one statement, or as two expressions of a caller's statement (taxConfigurationSql, with
 * taxConfigurationFromRow to read them: CreateOrder's one lookup statement). Never tax's tables or use cases.
 *
 *   const tax = await loadTaxConfiguration(db, tenantId, request.marketId);   // undefined: no zone, client tax
 *   const pricing = priceCheckout({ ..., tax });
 */
export {
  loadTaxConfiguration,
  taxConfigurationFromRow,
  taxConfigurationSql,
  type TaxConfigurationRow,
} from "./queries.js";
