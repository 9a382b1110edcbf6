import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetCustomerResponseSchema,
  type GetCustomerRequest,
  type GetCustomerResponse,
} from "../../gen/orders/v1/customers_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { Customer } from "./entities/customer.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { customerToMessage } from "./customer-mapper.js";

/** GetCustomer: one customer of the caller's tenant; other tenants' customers look exactly like missing ones. */
export class GetCustomer {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetCustomerRequest): Promise<GetCustomerResponse> {
    const customer = await this.orm.em.fork().findOne(Customer, { id: request.id, tenant: principal.tenantId });
    if (!customer) {
      throw new ServiceError("not_found", "CUSTOMER_NOT_FOUND", `customer ${request.id} was not found`, [], {
        customerId: request.id,
      });
    }
    return create(GetCustomerResponseSchema, { customer: customerToMessage(customer) });
  }
}
