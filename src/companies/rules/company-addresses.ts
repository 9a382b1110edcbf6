import type { CompanyAddress } from "../../../gen/orders/v1/company_pb.js";
import { addressCountryViolations, addressToRecord, type AddressRecord } from "../../addresses/address.js";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/** Most shipping addresses a company keeps (the contract's Company.shipping_addresses limit). */
export const MAX_SHIPPING_ADDRESSES = 50;

/** One shipping address of a company as stored in `companies.shipping_addresses` (jsonb). */
export interface CompanyAddressRecord {
  id: string;
  address: AddressRecord;
  /** Exactly one address of a non-empty list is the default. */
  default: boolean;
}

export type ShippingAddresses =
  { ok: true; addresses: CompanyAddressRecord[] } | { ok: false; violations: FieldViolation[] };

/**
 * The list a company stores for the shipping addresses a client gave (CreateCompany, or UpdateCompany
 * naming shipping_addresses), or every field violation of it, at `field`[i]:
 * - an address is required and its country must be an ISO 3166-1 country (REQUIRED, UNKNOWN_COUNTRY);
 * - at most one address says default (MULTIPLE_DEFAULTS at each later one); when none does, the first is
 *   the default, so a non-empty list always has exactly one;
 * - `current` is the company's list when updating: an entry's id must name one of its addresses
 *   (UNKNOWN_ADDRESS_ID), at most once (DUPLICATE_ADDRESS_ID), and keeps it; an entry without an id is a
 *   new address. On create (`current` undefined) every address is new and given ids are ignored.
 * New ids come from `newId`.
 */
export function shippingAddressList(
  field: string,
  given: readonly CompanyAddress[],
  current: readonly CompanyAddressRecord[] | undefined,
  newId: () => string,
): ShippingAddresses {
  const violations: FieldViolation[] = [];
  if (given.length > MAX_SHIPPING_ADDRESSES) {
    violations.push(
      fieldViolation(field, "TOO_MANY_ADDRESSES", `a company has at most ${MAX_SHIPPING_ADDRESSES} shipping addresses`),
    );
  }
  const known = new Set(current?.map((entry) => entry.id));
  const seen = new Set<string>();
  let defaultSeen = false;
  const addresses: CompanyAddressRecord[] = [];
  for (const [index, entry] of given.entries()) {
    const at = `${field}[${index}]`;
    const keepsId = current !== undefined && entry.id !== "";
    if (keepsId && !known.has(entry.id)) {
      violations.push(
        fieldViolation(`${at}.id`, "UNKNOWN_ADDRESS_ID", `is not the id of one of the company's addresses`),
      );
    } else if (keepsId && seen.has(entry.id)) {
      violations.push(fieldViolation(`${at}.id`, "DUPLICATE_ADDRESS_ID", `names an address an earlier entry names`));
    }
    if (keepsId) seen.add(entry.id);
    if (entry.default && defaultSeen) {
      violations.push(
        fieldViolation(`${at}.default`, "MULTIPLE_DEFAULTS", "only one shipping address can be the default"),
      );
    }
    defaultSeen ||= entry.default;
    const record = addressToRecord(entry.address);
    if (!record) violations.push(fieldViolation(`${at}.address`, "REQUIRED", "is required"));
    violations.push(...addressCountryViolations(`${at}.address`, entry.address));
    if (record) addresses.push({ id: keepsId ? entry.id : newId(), address: record, default: entry.default });
  }
  if (violations.length > 0) return { ok: false, violations };
  const first = addresses.at(0);
  if (!defaultSeen && first) first.default = true;
  return { ok: true, addresses };
}

/** The company's default shipping address, or null when it has none. */
export function defaultShippingAddress(addresses: readonly CompanyAddressRecord[]): CompanyAddressRecord | null {
  return addresses.find((entry) => entry.default) ?? null;
}
