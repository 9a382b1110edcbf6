import { create } from "@bufbuild/protobuf";
import { AddressSchema, type Address } from "../../gen/orders/v1/address_pb.js";
import { isCountryCode } from "../money/country.js";
import { fieldViolation, type FieldViolation } from "../money/field-violation.js";

// The postal address value every capability shares (customers' address books, companies, orders'
// snapshots): pure, like src/money, so that no capability owns what all of them use.

// Keys follow the protobuf JSON names (camelCase) of orders.v1.Address, so an address can be copied
// between the contract and the row without renaming fields.
/** A postal address snapshot as stored in `*_address` jsonb columns. */
export interface AddressRecord {
  name?: string;
  company?: string;
  line1: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  phone?: string;
  email?: string;
}

/**
 * Address snapshots between the contract's orders.v1.Address and the jsonb
 * columns of orders, customers' address books and companies. Empty optional
 * fields are left out of the stored JSON.
 */
export function addressToRecord(address: Address | undefined): AddressRecord | null {
  if (!address) return null;
  const record: AddressRecord = { line1: address.line1, country: address.country };
  for (const key of ["name", "company", "line2", "city", "region", "postalCode", "phone", "email"] as const) {
    if (address[key] !== "") record[key] = address[key];
  }
  return record;
}

export function recordToAddress(record: AddressRecord | null | undefined): Address | undefined {
  return record ? create(AddressSchema, record) : undefined;
}

/** The address rule protovalidate cannot express: the country must be an assigned ISO 3166-1 code. */
export function addressCountryViolations(field: string, address: Address | undefined): FieldViolation[] {
  if (!address || isCountryCode(address.country)) return [];
  return [
    fieldViolation(
      `${field}.country`,
      "UNKNOWN_COUNTRY",
      `"${address.country}" is not an ISO 3166-1 alpha-2 country code`,
    ),
  ];
}
