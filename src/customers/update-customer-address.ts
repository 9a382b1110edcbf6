import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { CustomerAddress as CustomerAddressMessage } from "../../gen/orders/v1/customer_pb.js";
import {
  UpdateCustomerAddressRequestSchema,
  UpdateCustomerAddressResponseSchema,
  type UpdateCustomerAddressRequest,
  type UpdateCustomerAddressResponse,
} from "../../gen/orders/v1/customers_service_pb.js";
import { addressCountryViolations, addressToRecord } from "../addresses/address.js";
import { fieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { resourceIdViolations, updateMaskPaths } from "../platform/transport/update-mask.js";
import { addressBook, lockCustomer, writeRoles } from "./address-book.js";
import { addressNotFound, etagMismatch } from "./customer-errors.js";
import { customerAddressToMessage } from "./customer-mapper.js";
import { applyRoleChange, type RoleChange } from "./rules/address-book.js";

/** The CustomerAddress fields UpdateCustomerAddress may set, by proto name as they appear in update_mask. */
export const UPDATABLE_PATHS = ["address", "default_billing", "default_shipping"] as const;
type UpdatablePath = (typeof UPDATABLE_PATHS)[number];

/**
 * UpdateCustomerAddress (AIP-134): replaces the address and/or gives or takes its default roles, under the
 * customer's lock (so two concurrent "make default" calls queue and leave exactly one default) and the
 * address's etag.
 */
export class UpdateCustomerAddress {
  constructor(private readonly orm: MikroORM) {}

  execute(principal: Principal, request: UpdateCustomerAddressRequest): Promise<UpdateCustomerAddressResponse> {
    const changes = request.customerAddress;
    if (!changes) throw ServiceError.invalidArgument([fieldViolation("customer_address", "REQUIRED", "is required")]);
    const paths = checkedPaths(request, changes);
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.CustomersService/UpdateCustomerAddress",
          UpdateCustomerAddressRequestSchema,
          request,
        )
      : undefined;
    return changeIdempotently(
      this.orm.em.fork(),
      key,
      UpdateCustomerAddressResponseSchema,
      (tx) => lockCustomer(tx, principal.tenantId, changes.customerId),
      async (tx, customer, now) => {
        const book = await addressBook(tx, customer);
        const entry = book.find((candidate) => candidate.id === changes.id);
        if (!entry) throw addressNotFound(customer.id, changes.id);
        if (changes.etag !== "" && changes.etag !== etagOf(entry.id, entry.version)) {
          throw etagMismatch("address", entry.id);
        }
        const address = paths.includes("address") ? addressToRecord(changes.address) : null;
        if (address) entry.address = address;
        const change: RoleChange = {
          defaultBilling: paths.includes("default_billing") ? changes.defaultBilling : undefined,
          defaultShipping: paths.includes("default_shipping") ? changes.defaultShipping : undefined,
        };
        entry.updatedAt = now;
        customer.updatedAt = now;
        await writeRoles(tx, book, applyRoleChange(book, entry.id, change), now);
        return create(UpdateCustomerAddressResponseSchema, { customerAddress: customerAddressToMessage(entry) });
      },
    );
  }
}

/** The mask's paths; INVALID_ARGUMENT naming every path that cannot be set and every bad value named. */
function checkedPaths(request: UpdateCustomerAddressRequest, changes: CustomerAddressMessage): UpdatablePath[] {
  const mask = updateMaskPaths(request.updateMask?.paths ?? [], UPDATABLE_PATHS);
  const violations = [
    ...resourceIdViolations("customer_address.id", changes.id),
    ...resourceIdViolations("customer_address.customer_id", changes.customerId),
    ...(mask.ok ? [] : mask.violations),
  ];
  if (mask.ok && mask.paths.includes("address")) {
    if (!changes.address) {
      violations.push(
        fieldViolation("customer_address.address", "REQUIRED", "an address of the book cannot be cleared"),
      );
    }
    violations.push(...addressCountryViolations("customer_address.address", changes.address));
  }
  if (!mask.ok || violations.length > 0) throw ServiceError.invalidArgument(violations);
  return mask.paths;
}
