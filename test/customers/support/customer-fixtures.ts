import type { MessageInitShape } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import type { AddressSchema } from "../../../gen/orders/v1/address_pb.js";
import type { Customer, CustomerAddress } from "../../../gen/orders/v1/customer_pb.js";
import type { Clients } from "../../support/clients.js";

type AddressInit = MessageInitShape<typeof AddressSchema>;

export const home = { name: "Ada Buyer", line1: "2 New Rd", city: "Bristol", postalCode: "BS1 1AA", country: "GB" };
export const office = { company: "Acme", line1: "1 Dock St", city: "London", country: "GB" };
export const depot = { line1: "7 Depot Way", city: "Leeds", country: "GB" };

/** A fresh customer of the clients' tenant (unique e-mail), with the fields given. */
export async function newCustomer(
  clients: Clients,
  fields: {
    email?: string;
    phone?: string;
    companyId?: string;
    defaultBillingAddress?: AddressInit;
    defaultShippingAddress?: AddressInit;
  } = {},
): Promise<Customer> {
  const { customer } = await clients.customers.createCustomer({
    email: `book-${randomUUID()}@example.com`,
    name: "Ada Buyer",
    ...fields,
  });
  if (!customer) throw new Error("CreateCustomer returned no customer");
  return customer;
}

/** Adds an address to the customer's book and returns it. */
export async function addAddress(
  clients: Clients,
  customerId: string,
  address: AddressInit,
  roles: { defaultBilling?: boolean; defaultShipping?: boolean } = {},
): Promise<CustomerAddress> {
  const { customerAddress } = await clients.customers.addCustomerAddress({ customerId, address, ...roles });
  if (!customerAddress) throw new Error("AddCustomerAddress returned no address");
  return customerAddress;
}

export function customerOf(response: { customer?: Customer }): Customer {
  if (!response.customer) throw new Error("no customer in the response");
  return response.customer;
}
