import type { CreateOrderRequest } from "../../../gen/orders/v1/orders_service_pb.js";
import type { AddressById, AddressRecord, OrderCustomer, OrderParties } from "../../customers/public.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/** Who an order is for and where it goes, decided from the request and the parties' one lookup. */
export interface PartyChoice {
  customer: OrderCustomer | null;
  companyId: string | null;
  /** The snapshots the order stores. */
  billingAddress: AddressRecord | null;
  shippingAddress: AddressRecord | null;
}

export type PartyRefusal =
  | { kind: "not_found"; reason: "CUSTOMER_NOT_FOUND" | "COMPANY_NOT_FOUND"; id: string }
  | { kind: "invalid"; violations: FieldViolation[] };

/**
 * Pure: the order's customer, company and address snapshots (seeds 001 and 002). Each address is, in this order of
 * precedence: given inline; given by id (an address of the order's customer's book or of its company, else
 * ADDRESS_NOT_FOUND on the id's field); a default. Defaults: with use_customer_default_address unset, the company's
 * (billing address, default shipping address) when the order is for a company, else the customer's; true, the
 * customer's even for a company; false, none. A customer of another company (or of none) cannot buy for a company
 * (CUSTOMER_NOT_IN_COMPANY).
 */
export function partyChoice(
  request: Pick<
    CreateOrderRequest,
    | "customerId"
    | "companyId"
    | "billingAddress"
    | "shippingAddress"
    | "billingAddressId"
    | "shippingAddressId"
    | "useCustomerDefaultAddress"
  >,
  parties: OrderParties,
  inline: { billing: AddressRecord | null; shipping: AddressRecord | null },
): { ok: true; choice: PartyChoice } | { ok: false; refusal: PartyRefusal } {
  const customer = parties.customer ?? null;
  const company = parties.company ?? null;
  if (request.customerId && !customer) {
    return { ok: false, refusal: { kind: "not_found", reason: "CUSTOMER_NOT_FOUND", id: request.customerId } };
  }
  if (request.companyId && !company) {
    return { ok: false, refusal: { kind: "not_found", reason: "COMPANY_NOT_FOUND", id: request.companyId } };
  }
  const violations: FieldViolation[] = [];
  if (customer && company && customer.companyId !== company.id) {
    violations.push(
      fieldViolation(
        "customer_id",
        "CUSTOMER_NOT_IN_COMPANY",
        `customer ${customer.id} does not buy for company ${company.id}`,
      ),
    );
  }
  const byId = (field: string, asked: AddressById | undefined): AddressRecord | null | undefined => {
    if (asked === undefined) return undefined;
    if (asked.found) return asked.address;
    violations.push(
      fieldViolation(
        field,
        "ADDRESS_NOT_FOUND",
        `address ${asked.id} is not an address of the order's customer or company`,
      ),
    );
    return null;
  };
  const billingById = inline.billing ? undefined : byId("billing_address_id", parties.billingAddress);
  const shippingById = inline.shipping ? undefined : byId("shipping_address_id", parties.shippingAddress);
  if (violations.length > 0) return { ok: false, refusal: { kind: "invalid", violations } };

  const useCustomer = request.useCustomerDefaultAddress;
  const defaults =
    useCustomer === false
      ? { billing: null, shipping: null }
      : company && useCustomer !== true
        ? { billing: company.billingAddress, shipping: company.defaultShippingAddress }
        : { billing: customer?.defaultBillingAddress ?? null, shipping: customer?.defaultShippingAddress ?? null };
  return {
    ok: true,
    choice: {
      customer,
      companyId: company?.id ?? null,
      billingAddress: inline.billing ?? billingById ?? defaults.billing,
      shippingAddress: inline.shipping ?? shippingById ?? defaults.shipping,
    },
  };
}
