import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  CustomerAddressSchema as CustomerAddressMessageSchema,
  CustomerSchema as CustomerMessageSchema,
  type Customer as CustomerMessage,
  type CustomerAddress as CustomerAddressMessage,
} from "../../gen/orders/v1/customer_pb.js";
import { recordToAddress, type AddressRecord } from "../addresses/address.js";
import { etagOf } from "../platform/database/etag.js";
import type { CustomerAddress } from "./entities/customer-address.js";
import type { Customer } from "./entities/customer.js";

/** A customer as read: from the entity (customerView) or a row of the listing (queries.ts). */
export interface CustomerView {
  id: string;
  email: string;
  name: string;
  companyName: string | null | undefined;
  phone: string | null | undefined;
  companyId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** The addresses of a customer's book that are its defaults, with their ids; null when it has none. */
export interface BookDefaults {
  billing: { id: string; address: AddressRecord } | null;
  shipping: { id: string; address: AddressRecord } | null;
}

export function customerView(customer: Customer): CustomerView {
  const { id, email, name, companyName, phone, createdAt, updatedAt, version } = customer;
  return {
    id,
    email,
    name,
    companyName,
    phone,
    companyId: customer.company?.id ?? null,
    createdAt,
    updatedAt,
    version,
  };
}

export function customerToMessage(customer: CustomerView, defaults: BookDefaults): CustomerMessage {
  return create(CustomerMessageSchema, {
    id: customer.id,
    email: customer.email,
    name: customer.name,
    company: customer.companyName ?? "",
    phone: customer.phone ?? "",
    defaultBillingAddress: recordToAddress(defaults.billing?.address),
    defaultShippingAddress: recordToAddress(defaults.shipping?.address),
    createTime: timestampFromDate(customer.createdAt),
    updateTime: timestampFromDate(customer.updatedAt),
    companyId: customer.companyId ?? "",
    etag: etagOf(customer.id, customer.version),
    defaultBillingAddressId: defaults.billing?.id ?? "",
    defaultShippingAddressId: defaults.shipping?.id ?? "",
  });
}

/** The defaults among addresses of one book (any of them, e.g. only those that are a default). */
export function bookDefaults(addresses: readonly CustomerAddress[]): BookDefaults {
  const billing = addresses.find((entry) => entry.defaultBilling);
  const shipping = addresses.find((entry) => entry.defaultShipping);
  return {
    billing: billing ? { id: billing.id, address: billing.address } : null,
    shipping: shipping ? { id: shipping.id, address: shipping.address } : null,
  };
}

export function customerAddressToMessage(entry: CustomerAddress): CustomerAddressMessage {
  return create(CustomerAddressMessageSchema, {
    id: entry.id,
    customerId: entry.customer.id,
    address: recordToAddress(entry.address),
    defaultBilling: entry.defaultBilling,
    defaultShipping: entry.defaultShipping,
    createTime: timestampFromDate(entry.createdAt),
    updateTime: timestampFromDate(entry.updatedAt),
    etag: etagOf(entry.id, entry.version),
  });
}
