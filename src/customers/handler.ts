import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type {
  CreateCustomerRequest,
  CustomersService,
  GetCustomerRequest,
} from "../../gen/orders/v1/customers_service_pb.js";
import type { CreateCustomer } from "./create-customer.js";
import type { GetCustomer } from "./get-customer.js";
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
