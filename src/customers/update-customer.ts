import { create } from "@bufbuild/protobuf";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import type { Customer as CustomerMessage } from "../../gen/orders/v1/customer_pb.js";
import {
  UpdateCustomerRequestSchema,
  UpdateCustomerResponseSchema,
  type UpdateCustomerRequest,
  type UpdateCustomerResponse,
} from "../../gen/orders/v1/customers_service_pb.js";
import { Company, companyNotFound, hasCompany } from "../companies/public.js";
import { fieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { isUniqueViolation } from "../platform/database/errors.js";
import { etagOf } from "../platform/database/etag.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { resourceIdViolations, updateMaskPaths } from "../platform/transport/update-mask.js";
import { defaultAddresses, lockCustomer } from "./address-book.js";
import { CUSTOMER_EMAIL_CONSTRAINT } from "./create-customer.js";
import { emailTaken, etagMismatch } from "./customer-errors.js";
import { bookDefaults, customerToMessage, customerView } from "./customer-mapper.js";
import type { Customer } from "./entities/customer.js";

/**
 * The Customer fields UpdateCustomer may set, by proto name as they appear in update_mask. The default
 * addresses are not among them: they are roles of the address book's entries (UpdateCustomerAddress).
 */
export const UPDATABLE_PATHS = ["email", "name", "company", "phone", "company_id"] as const;
type UpdatablePath = (typeof UPDATABLE_PATHS)[number];

/**
 * UpdateCustomer (AIP-134): sets the fields named in update_mask from the given customer, clearing those
 * left empty (never the e-mail or the name), under the customer's row lock and its etag. This is how a
 * customer joins or leaves a company (company_id).
 */
export class UpdateCustomer {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: UpdateCustomerRequest): Promise<UpdateCustomerResponse> {
    const changes = request.customer;
    if (!changes) throw ServiceError.invalidArgument([fieldViolation("customer", "REQUIRED", "is required")]);
    const paths = checkedPaths(request, changes);
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.CustomersService/UpdateCustomer",
          UpdateCustomerRequestSchema,
          request,
        )
      : undefined;
    try {
      return await changeIdempotently(
        this.orm.em.fork(),
        key,
        UpdateCustomerResponseSchema,
        (tx) => lockCustomer(tx, principal.tenantId, changes.id),
        async (tx, customer, now) => {
          if (changes.etag !== "" && changes.etag !== etagOf(customer.id, customer.version)) {
            throw etagMismatch("customer", customer.id);
          }
          const { companyId } = changes;
          if (
            paths.includes("company_id") &&
            companyId !== "" &&
            !(await hasCompany(tx, principal.tenantId, companyId))
          ) {
            throw companyNotFound(companyId);
          }
          for (const path of paths) apply(tx, customer, path, changes);
          customer.updatedAt = now;
          // Flushed first so the answer carries the version (etag) the update produced.
          await tx.flush();
          const defaults = bookDefaults(await defaultAddresses(tx, customer));
          return create(UpdateCustomerResponseSchema, {
            customer: customerToMessage(customerView(customer), defaults),
          });
        },
      );
    } catch (error) {
      if (isUniqueViolation(error, CUSTOMER_EMAIL_CONSTRAINT)) throw emailTaken(changes.email);
      throw error;
    }
  }
}

/** The mask's paths; INVALID_ARGUMENT naming every path that cannot be set and every required value left empty. */
function checkedPaths(request: UpdateCustomerRequest, changes: CustomerMessage): UpdatablePath[] {
  const mask = updateMaskPaths(request.updateMask?.paths ?? [], UPDATABLE_PATHS);
  const violations = [...resourceIdViolations("customer.id", changes.id), ...(mask.ok ? [] : mask.violations)];
  for (const path of ["email", "name"] as const) {
    if (mask.ok && mask.paths.includes(path) && changes[path] === "") {
      violations.push(fieldViolation(`customer.${path}`, "REQUIRED", `a customer's ${path} cannot be cleared`));
    }
  }
  if (!mask.ok || violations.length > 0) throw ServiceError.invalidArgument(violations);
  return mask.paths;
}

function apply(tx: EntityManager, customer: Customer, path: UpdatablePath, changes: CustomerMessage): void {
  switch (path) {
    case "email":
      customer.email = changes.email;
      return;
    case "name":
      customer.name = changes.name;
      return;
    case "company":
      customer.companyName = changes.company || null;
      return;
    case "phone":
      customer.phone = changes.phone || null;
      return;
    case "company_id":
      customer.company = changes.companyId === "" ? null : tx.getReference(Company, changes.companyId);
      return;
  }
}
