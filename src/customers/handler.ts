import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import type {
  AddCustomerAddressRequest,
  CreateCustomerRequest,
  CustomersService,
  DeleteCustomerAddressRequest,
  GetCustomerRequest,
  ListCustomerAddressesRequest,
  ListCustomersRequest,
  UpdateCustomerAddressRequest,
  UpdateCustomerRequest,
} from "../../gen/orders/v1/customers_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { AddCustomerAddress } from "./add-customer-address.js";
import { CreateCustomer } from "./create-customer.js";
import { DeleteCustomerAddress } from "./delete-customer-address.js";
import { GetCustomer } from "./get-customer.js";
import { ListCustomerAddresses } from "./list-customer-addresses.js";
import { ListCustomers } from "./list-customers.js";
import { UpdateCustomerAddress } from "./update-customer-address.js";
import { UpdateCustomer } from "./update-customer.js";

/** orders.v1.CustomersService: a thin adapter from RPCs to use cases. */
export class CustomersServiceHandler implements ServiceImpl<typeof CustomersService> {
  constructor(
    private readonly useCases: {
      createCustomer: CreateCustomer;
      getCustomer: GetCustomer;
      listCustomers: ListCustomers;
      updateCustomer: UpdateCustomer;
      addCustomerAddress: AddCustomerAddress;
      updateCustomerAddress: UpdateCustomerAddress;
      deleteCustomerAddress: DeleteCustomerAddress;
      listCustomerAddresses: ListCustomerAddresses;
    },
  ) {}

  createCustomer(request: CreateCustomerRequest, context: HandlerContext) {
    return this.useCases.createCustomer.execute(callerOf(context), request);
  }

  getCustomer(request: GetCustomerRequest, context: HandlerContext) {
    return this.useCases.getCustomer.execute(callerOf(context), request);
  }

  listCustomers(request: ListCustomersRequest, context: HandlerContext) {
    return this.useCases.listCustomers.execute(callerOf(context), request);
  }

  updateCustomer(request: UpdateCustomerRequest, context: HandlerContext) {
    return this.useCases.updateCustomer.execute(callerOf(context), request);
  }

  addCustomerAddress(request: AddCustomerAddressRequest, context: HandlerContext) {
    return this.useCases.addCustomerAddress.execute(callerOf(context), request);
  }

  updateCustomerAddress(request: UpdateCustomerAddressRequest, context: HandlerContext) {
    return this.useCases.updateCustomerAddress.execute(callerOf(context), request);
  }

  deleteCustomerAddress(request: DeleteCustomerAddressRequest, context: HandlerContext) {
    return this.useCases.deleteCustomerAddress.execute(callerOf(context), request);
  }

  listCustomerAddresses(request: ListCustomerAddressesRequest, context: HandlerContext) {
    return this.useCases.listCustomerAddresses.execute(callerOf(context), request);
  }
}

export interface CustomersDeps {
  orm: MikroORM;
  /** The page-token key, loaded once (platform/pagination/page-token-key.ts). */
  pageTokens: () => Promise<PageTokens>;
}

/** The CustomersService handler over its use cases. */
export function customersHandler(deps: CustomersDeps): CustomersServiceHandler {
  const { orm } = deps;
  return new CustomersServiceHandler({
    createCustomer: new CreateCustomer(orm),
    getCustomer: new GetCustomer(orm),
    listCustomers: new ListCustomers(orm, deps.pageTokens),
    updateCustomer: new UpdateCustomer(orm),
    addCustomerAddress: new AddCustomerAddress(orm),
    updateCustomerAddress: new UpdateCustomerAddress(orm),
    deleteCustomerAddress: new DeleteCustomerAddress(orm),
    listCustomerAddresses: new ListCustomerAddresses(orm),
  });
}
