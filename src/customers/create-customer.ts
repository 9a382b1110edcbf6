import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import {
  CreateCustomerRequestSchema,
  CreateCustomerResponseSchema,
  type CreateCustomerRequest,
  type CreateCustomerResponse,
} from "../../gen/orders/v1/customers_service_pb.js";
import { addressCountryViolations, addressToRecord } from "../addresses/address.js";
import { Company, companyNotFound, hasCompany } from "../companies/public.js";
import type { Principal } from "../platform/auth/principal.js";
import { isUniqueViolation } from "../platform/database/errors.js";
import { idempotencyKey, idempotently, recordResponse } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { emailTaken } from "./customer-errors.js";
import { bookDefaults, customerToMessage, customerView } from "./customer-mapper.js";
import { CustomerAddress } from "./entities/customer-address.js";
import { Customer } from "./entities/customer.js";
import { initialBook } from "./rules/address-book.js";

export const CUSTOMER_EMAIL_CONSTRAINT = "customers_tenant_id_lower_email_unique";

/**
 * CreateCustomer: the customer, the first entries of its address book (the default addresses given) and,
 * with a request_id, its idempotency record, in one transaction.
 */
export class CreateCustomer {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: CreateCustomerRequest): Promise<CreateCustomerResponse> {
    const em = this.orm.em.fork();
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.CustomersService/CreateCustomer",
          CreateCustomerRequestSchema,
          request,
        )
      : undefined;
    return idempotently(em, key, CreateCustomerResponseSchema, async () => {
      const violations = [
        ...addressCountryViolations("default_billing_address", request.defaultBillingAddress),
        ...addressCountryViolations("default_shipping_address", request.defaultShippingAddress),
      ];
      if (violations.length > 0) throw ServiceError.invalidArgument(violations);

      const now = new Date();
      try {
        return await em.fork().transactional(async (tx) => {
          const { companyId } = request;
          if (companyId && !(await hasCompany(tx, principal.tenantId, companyId))) throw companyNotFound(companyId);
          const customer = tx.create(Customer, {
            id: randomUUID(),
            tenant: principal.tenantId,
            email: request.email,
            name: request.name,
            companyName: request.company || null,
            phone: request.phone || null,
            company: companyId ? tx.getReference(Company, companyId) : null,
            createdAt: now,
            updatedAt: now,
          });
          const book = initialBook(
            addressToRecord(request.defaultBillingAddress),
            addressToRecord(request.defaultShippingAddress),
          ).map((entry) =>
            tx.create(CustomerAddress, {
              id: randomUUID(),
              tenant: principal.tenantId,
              customer,
              ...entry,
              createdAt: now,
              updatedAt: now,
            }),
          );
          // Flushed first so the answer carries the versions (etags) the rows were written with.
          await tx.flush();
          const message = customerToMessage(customerView(customer), bookDefaults(book));
          const response = create(CreateCustomerResponseSchema, { customer: message });
          if (key) recordResponse(tx, key, CreateCustomerResponseSchema, response, now);
          return response;
        });
      } catch (error) {
        if (isUniqueViolation(error, CUSTOMER_EMAIL_CONSTRAINT)) throw emailTaken(request.email);
        throw error;
      }
    });
  }
}
