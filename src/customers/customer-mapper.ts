import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  CustomerSchema as CustomerMessageSchema,
  type Customer as CustomerMessage,
} from "../../gen/orders/v1/customer_pb.js";
import type { Customer } from "./entities/customer.js";
import { recordToAddress } from "../addresses/address.js";

export function customerToMessage(customer: Customer): CustomerMessage {
  return create(CustomerMessageSchema, {
    id: customer.id,
    email: customer.email,
    name: customer.name,
    company: customer.company ?? "",
    phone: customer.phone ?? "",
    defaultBillingAddress: recordToAddress(customer.defaultBillingAddress),
    defaultShippingAddress: recordToAddress(customer.defaultShippingAddress),
    createTime: timestampFromDate(customer.createdAt),
    updateTime: timestampFromDate(customer.updatedAt),
  });
}
