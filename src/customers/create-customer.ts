import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import {
  CreateCustomerRequestSchema,
  CreateCustomerResponseSchema,
  type CreateCustomerRequest,
  type CreateCustomerResponse,
} from "../../gen/orders/v1/customers_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { idempotencyKey, idempotently, recordResponse } from "../platform/idempotency/idempotency.js";
import { Customer } from "./entities/customer.js";
import { isUniqueViolation } from "../platform/database/errors.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { addressCountryViolations, addressToRecord } from "../addresses/address.js";
import { customerToMessage } from "./customer-mapper.js";

export const CUSTOMER_EMAIL_CONSTRAINT = "customers_tenant_id_lower_email_unique";

/** CreateCustomer: one row plus, with a request_id, its idempotency record, in one transaction. */
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
        return await em.fork().transactional((tx) => {
          const customer = tx.create(Customer, {
            id: randomUUID(),
            tenant: principal.tenantId,
            email: request.email,
            name: request.name,
            company: request.company || null,
            phone: request.phone || null,
            defaultBillingAddress: addressToRecord(request.defaultBillingAddress),
            defaultShippingAddress: addressToRecord(request.defaultShippingAddress),
            createdAt: now,
            updatedAt: now,
          });
          const response = create(CreateCustomerResponseSchema, { customer: customerToMessage(customer) });
          if (key) recordResponse(tx, key, CreateCustomerResponseSchema, response, now);
          return response;
        });
      } catch (error) {
        if (isUniqueViolation(error, CUSTOMER_EMAIL_CONSTRAINT)) {
          throw new ServiceError(
            "already_exists",
            "CUSTOMER_EMAIL_TAKEN",
            "a customer with this e-mail already exists",
            [],
            {
              email: request.email,
            },
          );
        }
        throw error;
      }
    });
  }
}
