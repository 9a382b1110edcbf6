import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListCustomerAddressesResponseSchema,
  type ListCustomerAddressesRequest,
  type ListCustomerAddressesResponse,
} from "../../gen/orders/v1/customers_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { addressBook } from "./address-book.js";
import { customerNotFound } from "./customer-errors.js";
import { customerAddressToMessage } from "./customer-mapper.js";
import { Customer } from "./entities/customer.js";

/** ListCustomerAddresses: the whole book (at most 100 addresses, so no pages), oldest first. */
export class ListCustomerAddresses {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: ListCustomerAddressesRequest): Promise<ListCustomerAddressesResponse> {
    const em = this.orm.em.fork();
    const customer = await em.findOne(Customer, { id: request.customerId, tenant: principal.tenantId });
    if (!customer) throw customerNotFound(request.customerId);
    const book = await addressBook(em, customer);
    return create(ListCustomerAddressesResponseSchema, { customerAddresses: book.map(customerAddressToMessage) });
  }
}
