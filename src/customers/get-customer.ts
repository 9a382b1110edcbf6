import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetCustomerResponseSchema,
  type GetCustomerRequest,
  type GetCustomerResponse,
} from "../../gen/orders/v1/customers_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { defaultAddresses } from "./address-book.js";
import { customerNotFound } from "./customer-errors.js";
import { bookDefaults, customerToMessage, customerView } from "./customer-mapper.js";
import { Customer } from "./entities/customer.js";

/** GetCustomer: one customer of the caller's tenant; other tenants' customers look exactly like missing ones. */
export class GetCustomer {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetCustomerRequest): Promise<GetCustomerResponse> {
    const em = this.orm.em.fork();
    const customer = await em.findOne(Customer, { id: request.id, tenant: principal.tenantId });
    if (!customer) throw customerNotFound(request.id);
    const defaults = bookDefaults(await defaultAddresses(em, customer));
    return create(GetCustomerResponseSchema, { customer: customerToMessage(customerView(customer), defaults) });
  }
}
