import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import {
  AddCustomerAddressRequestSchema,
  AddCustomerAddressResponseSchema,
  type AddCustomerAddressRequest,
  type AddCustomerAddressResponse,
} from "../../gen/orders/v1/customers_service_pb.js";
import { addressCountryViolations, addressToRecord } from "../addresses/address.js";
import { fieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { addressBook, lockCustomer, writeRoles } from "./address-book.js";
import { addressBookFull } from "./customer-errors.js";
import { customerAddressToMessage } from "./customer-mapper.js";
import { CustomerAddress } from "./entities/customer-address.js";
import { applyRoleChange, canAddTo, rolesOfNewAddress } from "./rules/address-book.js";

/**
 * AddCustomerAddress: under the customer's lock, checks the book's bound, takes the default roles the new
 * address gets (those asked for, and any the book lacks) from the addresses that had them, and adds it.
 */
export class AddCustomerAddress {
  constructor(private readonly orm: MikroORM) {}

  execute(principal: Principal, request: AddCustomerAddressRequest): Promise<AddCustomerAddressResponse> {
    const address = addressToRecord(request.address);
    const violations = [
      ...(address ? [] : [fieldViolation("address", "REQUIRED", "is required")]),
      ...addressCountryViolations("address", request.address),
    ];
    if (!address || violations.length > 0) throw ServiceError.invalidArgument(violations);
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.CustomersService/AddCustomerAddress",
          AddCustomerAddressRequestSchema,
          request,
        )
      : undefined;
    return changeIdempotently(
      this.orm.em.fork(),
      key,
      AddCustomerAddressResponseSchema,
      (tx) => lockCustomer(tx, principal.tenantId, request.customerId),
      async (tx, customer, now) => {
        const book = await addressBook(tx, customer);
        if (!canAddTo(book.length)) throw addressBookFull(customer.id);
        const id = randomUUID();
        const roles = rolesOfNewAddress(book, request);
        // The roles it takes leave the addresses that had them first (the new one is not in the book yet).
        await writeRoles(
          tx,
          book,
          applyRoleChange(book, id, {
            defaultBilling: roles.defaultBilling || undefined,
            defaultShipping: roles.defaultShipping || undefined,
          }),
          now,
        );
        const entry = tx.create(CustomerAddress, {
          id,
          tenant: principal.tenantId,
          customer,
          address,
          ...roles,
          createdAt: now,
          updatedAt: now,
        });
        customer.updatedAt = now;
        await tx.flush();
        return create(AddCustomerAddressResponseSchema, { customerAddress: customerAddressToMessage(entry) });
      },
    );
  }
}
