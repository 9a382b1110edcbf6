import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type {
  CreateCustomerRequest,
  CustomersService,
  GetCustomerRequest,
} from "../../gen/orders/v1/customers_service_pb.js";
import { CreateCustomer } from "./create-customer.js";
import { GetCustomer } from "./get-customer.js";
import type { MikroORM } from "@mikro-orm/postgresql";
import { callerOf } from "../platform/auth/caller.js";

/** orders.v1.CustomersService: a thin adapter from RPCs to use cases. */
export class CustomersServiceHandler implements ServiceImpl<typeof CustomersService> {
  constructor(private readonly useCases: { createCustomer: CreateCustomer; getCustomer: GetCustomer }) {}

  createCustomer(request: CreateCustomerRequest, context: HandlerContext) {
    return this.useCases.createCustomer.execute(callerOf(context), request);
  }

  getCustomer(request: GetCustomerRequest, context: HandlerContext) {
    return this.useCases.getCustomer.execute(callerOf(context), request);
  }
}

/** The CustomersService handler over its use cases. */
export function customersHandler(deps: { orm: MikroORM }): CustomersServiceHandler {
  return new CustomersServiceHandler({
    createCustomer: new CreateCustomer(deps.orm),
    getCustomer: new GetCustomer(deps.orm),
  });
}
