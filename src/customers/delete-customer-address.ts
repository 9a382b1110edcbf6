import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  DeleteCustomerAddressRequestSchema,
  DeleteCustomerAddressResponseSchema,
  type DeleteCustomerAddressRequest,
  type DeleteCustomerAddressResponse,
} from "../../gen/orders/v1/customers_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { lockCustomer } from "./address-book.js";
import { addressNotFound, etagMismatch } from "./customer-errors.js";
import { CustomerAddress } from "./entities/customer-address.js";

/**
 * DeleteCustomerAddress: removes an address of the book under the customer's lock. A default address takes
 * its role with it: the customer has no default of that kind until another address is made one.
 */
export class DeleteCustomerAddress {
  constructor(private readonly orm: MikroORM) {}

  execute(principal: Principal, request: DeleteCustomerAddressRequest): Promise<DeleteCustomerAddressResponse> {
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.CustomersService/DeleteCustomerAddress",
          DeleteCustomerAddressRequestSchema,
          request,
        )
      : undefined;
    return changeIdempotently(
      this.orm.em.fork(),
      key,
      DeleteCustomerAddressResponseSchema,
      (tx) => lockCustomer(tx, principal.tenantId, request.customerId),
      async (tx, customer, now) => {
        const entry = await tx.findOne(CustomerAddress, { id: request.id, customer });
        if (!entry) throw addressNotFound(customer.id, request.id);
        if (request.etag !== "" && request.etag !== etagOf(entry.id, entry.version)) {
          throw etagMismatch("address", entry.id);
        }
        tx.remove(entry);
        customer.updatedAt = now;
        await tx.flush();
        return create(DeleteCustomerAddressResponseSchema, {});
      },
    );
  }
}
